/** The EC2 domain layer on a real SQLite store: default VPC, address allocation, task firewalls. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { seededRng } from '../../src/core/clock.ts';
import { ensureDefaultVpc } from '../../src/ec2/model/default-vpc.ts';
import {
  createTaskNetworkInterface,
  deleteNetworkInterface,
  getNetworkInterface,
  listNetworkInterfaces,
} from '../../src/ec2/model/network-interfaces.ts';
import type { Ec2Scope, NetworkInterfaceRecord, SecurityGroupRecord } from '../../src/ec2/model/records.ts';
import {
  defaultSecurityGroupOf,
  createSecurityGroupRecord,
  getSecurityGroup,
} from '../../src/ec2/model/security-groups.ts';
import {
  availableAddressCount,
  createSubnetRecord,
  getSubnet,
  listSubnets,
} from '../../src/ec2/model/subnets.ts';
import { taskEniOf } from '../../src/ec2/model/task-eni.ts';
import { taskFirewall } from '../../src/ec2/model/task-firewall.ts';
import { createVpcRecord, defaultVpc, listVpcs } from '../../src/ec2/model/vpcs.ts';
import { findZone } from '../../src/ec2/model/zones.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../../src/store/store.ts';

const scopeFor = (region: string): Ec2Scope => ({
  clock: { now: () => 1_700_000_000_000 },
  rng: seededRng(`ec2-${region}`),
  partition: { region, accountId: '123456789012' },
});

let store: Store;
let scope: Ec2Scope;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
  scope = scopeFor('us-east-1');
});
afterEach(() => store.close());

async function defaultSubnet(zone = 'us-east-1b') {
  await store.transact((tx) => ensureDefaultVpc(tx, scope));
  const subnet = (await listSubnets(store)).find((s) => s.availabilityZone === zone);
  assert.ok(subnet);
  return subnet;
}

/** A VPC 10.0.0.0/16 with one /28 subnet (11 usable addresses). */
async function smallSubnet() {
  return store.transact(async (tx) => {
    const { vpc, group } = await createVpcRecord(tx, scope, {
      cidrBlock: '10.0.0.0/16',
      isDefault: false,
      dhcpOptionsId: 'dopt-1',
    });
    const zone = findZone('us-east-1', 'us-east-1a')!;
    const subnet = await createSubnetRecord(tx, scope, {
      vpcId: vpc.vpcId,
      cidrBlock: '10.0.0.0/28',
      zone,
      defaultForAz: false,
    });
    return { vpc, group, subnet };
  });
}

const taskEni = (subnetId: string, groupIds: string[] = []) =>
  store.transact((tx) =>
    createTaskNetworkInterface(tx, scope, {
      subnetId,
      groupIds,
      description: 'arn:aws:ecs:us-east-1:123456789012:attachment/2c1a7b4e-0000-4000-8000-000000000000',
      assignPublicIp: false,
    }),
  );

describe('ensureDefaultVpc', () => {
  it('makes the default VPC, a /20 per zone and the default group, once', async () => {
    await store.transact((tx) => ensureDefaultVpc(tx, scope));
    const revision = store.revision();
    await store.transact((tx) => ensureDefaultVpc(tx, scope));
    assert.equal(store.revision(), revision, 'a second call writes nothing');
    const vpcs = await listVpcs(store);
    assert.equal(vpcs.length, 1);
    const [vpc] = vpcs;
    assert.match(vpc.vpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(vpc.cidrBlock, '172.31.0.0/16');
    assert.equal(vpc.isDefault, true);
    const subnets = (await listSubnets(store)).sort((a, b) =>
      a.availabilityZone < b.availabilityZone ? -1 : 1,
    );
    assert.deepEqual(
      subnets.map((s) => `${s.availabilityZone} ${s.cidrBlock}`),
      [
        'us-east-1a 172.31.0.0/20',
        'us-east-1b 172.31.16.0/20',
        'us-east-1c 172.31.32.0/20',
        'us-east-1d 172.31.48.0/20',
        'us-east-1e 172.31.64.0/20',
        'us-east-1f 172.31.80.0/20',
      ],
    );
    assert.ok(subnets.every((s) => s.defaultForAz && s.mapPublicIpOnLaunch && s.vpcId === vpc.vpcId));
    assert.equal(availableAddressCount(subnets[0]), 4091);
    const group = await defaultSecurityGroupOf(store, vpc.vpcId);
    assert.ok(group);
    assert.equal(group.groupName, 'default');
    assert.equal(group.description, 'default VPC security group');
    assert.deepEqual(
      group.ingress.map((r) => [r.protocol, r.peer]),
      [['-1', { type: 'group', groupId: group.groupId, userId: '123456789012' }]],
    );
    assert.deepEqual(
      group.egress.map((r) => [r.protocol, r.peer]),
      [['-1', { type: 'cidr4', cidr: '0.0.0.0/0' }]],
    );
  });

  it('gives other regions three zones', async () => {
    const west = scopeFor('eu-west-1');
    await store.transact((tx) => ensureDefaultVpc(tx, west));
    assert.deepEqual((await listSubnets(store)).map((s) => s.availabilityZoneId).sort(), [
      'euw1-az1',
      'euw1-az2',
      'euw1-az3',
    ]);
    assert.ok(await defaultVpc(store));
  });
});

describe('task network interfaces', () => {
  it('allocate the lowest free address, skipping the reserved ones, with no duplicates', async () => {
    const subnet = await defaultSubnet();
    const enis: NetworkInterfaceRecord[] = [];
    for (let i = 0; i < 5; i++) enis.push(await taskEni(subnet.subnetId));
    assert.deepEqual(
      enis.map((e) => e.privateIpAddress),
      ['172.31.16.4', '172.31.16.5', '172.31.16.6', '172.31.16.7', '172.31.16.8'],
    );
    const eni = enis[1];
    assert.match(eni.networkInterfaceId, /^eni-[0-9a-f]{17}$/);
    assert.match(eni.macAddress, /^0a(:[0-9a-f]{2}){5}$/);
    assert.equal(eni.privateDnsName, 'ip-172-31-16-5.ec2.internal');
    assert.equal(eni.requesterManaged, true);
    assert.equal(eni.status, 'in-use');
    assert.equal(eni.interfaceType, 'interface');
    assert.match(eni.attachment?.attachmentId ?? '', /^eni-attach-[0-9a-f]{17}$/);
    const group = await defaultSecurityGroupOf(store, subnet.vpcId);
    assert.deepEqual(eni.groupIds, [group?.groupId], 'no groups: the default group');
    assert.equal(availableAddressCount((await getSubnet(store, subnet.subnetId))!), 4091 - 5);
  });

  it('concurrent allocations never share an address', async () => {
    const subnet = await defaultSubnet();
    const enis = await Promise.all(Array.from({ length: 20 }, () => taskEni(subnet.subnetId)));
    assert.equal(new Set(enis.map((e) => e.privateIpAddress)).size, 20);
  });

  it('a full subnet refuses with InsufficientFreeAddressesInSubnet; a release makes the address reusable', async () => {
    const { subnet } = await smallSubnet();
    const enis: NetworkInterfaceRecord[] = [];
    for (let i = 0; i < 11; i++) enis.push(await taskEni(subnet.subnetId));
    assert.equal(enis.at(-1)?.privateIpAddress, '10.0.0.14');
    await assert.rejects(taskEni(subnet.subnetId), { name: 'InsufficientFreeAddressesInSubnet' });
    assert.equal(availableAddressCount((await getSubnet(store, subnet.subnetId))!), 0);
    assert.equal(await store.transact((tx) => deleteNetworkInterface(tx, enis[3].networkInterfaceId)), true);
    assert.equal(await store.transact((tx) => deleteNetworkInterface(tx, enis[3].networkInterfaceId)), false);
    assert.equal(await getNetworkInterface(store, enis[3].networkInterfaceId), undefined);
    assert.equal(availableAddressCount((await getSubnet(store, subnet.subnetId))!), 1);
    assert.equal((await taskEni(subnet.subnetId)).privateIpAddress, enis[3].privateIpAddress);
  });

  it('refuse unknown subnets and groups, and groups of another VPC', async () => {
    const subnet = await defaultSubnet();
    const { group } = await smallSubnet();
    await assert.rejects(taskEni('subnet-00000000000000000'), { name: 'InvalidSubnetID.NotFound' });
    await assert.rejects(taskEni(subnet.subnetId, ['sg-00000000000000000']), {
      name: 'InvalidGroup.NotFound',
    });
    await assert.rejects(taskEni(subnet.subnetId, [group.groupId]), { name: 'InvalidParameter' });
    assert.equal((await listNetworkInterfaces(store)).length, 0);
  });

  it('taskEniOf gives the agent the address, ranges and gateway', async () => {
    const subnet = await defaultSubnet();
    const eni = await taskEni(subnet.subnetId);
    assert.deepEqual(await taskEniOf(store, eni), {
      networkInterfaceId: eni.networkInterfaceId,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      macAddress: eni.macAddress,
      privateIpv4Address: '172.31.16.4',
      privateDnsName: 'ip-172-31-16-4.ec2.internal',
      subnetCidr: '172.31.16.0/20',
      subnetGatewayIpv4Address: '172.31.16.1',
      vpcCidr: '172.31.0.0/16',
      vpcCidrs: ['172.31.0.0/16'],
      assignPublicIp: false,
    });
  });
});

describe('taskFirewall', () => {
  async function addRules(groupId: string, change: (g: SecurityGroupRecord) => void) {
    await store.transact(async (tx) => {
      const stored = await tx.get<SecurityGroupRecord>(Kind.SecurityGroup, groupId);
      const group = structuredClone(stored!.value);
      change(group);
      await tx.put(Kind.SecurityGroup, groupId, group, stored!.version);
    });
  }

  it('resolves the default group: its members /32 in, everything out', async () => {
    const subnet = await defaultSubnet();
    const a = await taskEni(subnet.subnetId);
    const b = await taskEni(subnet.subnetId);
    assert.deepEqual(await taskFirewall(store, a.networkInterfaceId), {
      ingress: [{ protocol: 'all', cidrs: ['172.31.16.4/32', '172.31.16.5/32'] }],
      egress: [{ protocol: 'all', cidrs: ['0.0.0.0/0'] }],
    });
    assert.deepEqual(
      await taskFirewall(store, b.networkInterfaceId),
      await taskFirewall(store, a.networkInterfaceId),
    );
    await store.transact((tx) => deleteNetworkInterface(tx, b.networkInterfaceId));
    assert.deepEqual((await taskFirewall(store, a.networkInterfaceId))?.ingress, [
      { protocol: 'all', cidrs: ['172.31.16.4/32'] },
    ]);
    assert.equal(await taskFirewall(store, b.networkInterfaceId), undefined);
  });

  it('expands references to other groups, merges rules and maps protocols', async () => {
    const subnet = await defaultSubnet();
    const { web, db } = await store.transact(async (tx) => ({
      web: await createSecurityGroupRecord(tx, scope, {
        vpcId: subnet.vpcId,
        groupName: 'web',
        description: 'web',
        isDefault: false,
      }),
      db: await createSecurityGroupRecord(tx, scope, {
        vpcId: subnet.vpcId,
        groupName: 'db',
        description: 'db',
        isDefault: false,
      }),
    }));
    const rule = (
      protocol: string,
      fromPort: number,
      toPort: number,
      peer: SecurityGroupRecord['ingress'][number]['peer'],
    ) => ({
      ruleId: `sgr-${protocol}${fromPort}${JSON.stringify(peer).length}`,
      protocol,
      fromPort,
      toPort,
      peer,
    });
    await addRules(web.groupId, (g) => {
      g.ingress.push(rule('tcp', 80, 80, { type: 'cidr4', cidr: '0.0.0.0/0' }));
      g.ingress.push(rule('icmp', -1, -1, { type: 'cidr4', cidr: '10.0.0.0/8' }));
      g.ingress.push(rule('tcp', 22, 22, { type: 'cidr6', cidr: '::/0' }));
      g.ingress.push(rule('50', -1, -1, { type: 'cidr4', cidr: '10.0.0.0/8' }));
    });
    await addRules(db.groupId, (g) => {
      g.ingress.push(
        rule('tcp', 5432, 5432, { type: 'group', groupId: web.groupId, userId: '123456789012' }),
      );
      g.ingress.push(rule('udp', 53, 53, { type: 'group', groupId: 'sg-gone', userId: '123456789012' }));
      g.egress = [];
    });
    const webTask = await taskEni(subnet.subnetId, [web.groupId]);
    const webTask2 = await taskEni(subnet.subnetId, [web.groupId]);
    const dbTask = await taskEni(subnet.subnetId, [db.groupId, web.groupId]);
    assert.deepEqual(await taskFirewall(store, webTask.networkInterfaceId), {
      ingress: [
        { protocol: 'icmp', cidrs: ['10.0.0.0/8'] },
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'] },
      ],
      egress: [{ protocol: 'all', cidrs: ['0.0.0.0/0'] }],
    });
    assert.deepEqual(await taskFirewall(store, dbTask.networkInterfaceId), {
      ingress: [
        { protocol: 'icmp', cidrs: ['10.0.0.0/8'] },
        {
          protocol: 'tcp',
          fromPort: 5432,
          toPort: 5432,
          cidrs: [webTask.privateIpAddress, webTask2.privateIpAddress, dbTask.privateIpAddress]
            .map((a) => `${a}/32`)
            .sort(),
        },
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'] },
      ],
      egress: [{ protocol: 'all', cidrs: ['0.0.0.0/0'] }],
    });
    assert.ok(await getSecurityGroup(store, db.groupId));
  });
});
