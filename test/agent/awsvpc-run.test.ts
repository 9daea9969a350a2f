/**
 * awsvpc tasks on real Docker: a pause container per task whose namespace the agent plumbs onto
 * the VPC's bridge with the ENI's address and MAC, containers sharing it, reachability from the
 * host and between subnets, isolation between VPCs and from docker0, egress masqueraded, name
 * resolution files, metadata v4 at 169.254.170.2 from inside, refusals (no ENI, overlapping
 * ranges), and nothing left behind once the tasks stop.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { vethNameFor } from '../../src/agent/network/task-network.ts';
import { bridgeNameFor } from '../../src/agent/network/vpc-networks.ts';
import {
  awsvpcAssignment,
  eniAt,
  execIn,
  firewall,
  ncGet,
  netnsInUse,
  netnsOf,
  pauseContainers,
  removeVpcBridge,
  settle,
  tcpIn,
  type TestVpc,
  vpcHostRules,
  vpcLeftovers,
  waitForProbe,
} from './awsvpc-helpers.ts';
import { docker, httpGet, startEngine, type TestEngine, uniqueId } from './docker-helpers.ts';

const run = promisify(execFile);
const WEB = ['httpd', '-f', '-p', '80', '-h', '/www'];
const SLEEP = ['sleep', '600'];
/** A range unlikely to clash with anything on a test machine, and distinct per awsvpc test file. */
const VPC: TestVpc = { vpcId: `vpc-0201${uniqueId().slice(0, 13)}`, cidr: '10.201.0.0/16' };
/** A second VPC, to check that VPCs are isolated from each other. */
const OTHER_VPC: TestVpc = { vpcId: `vpc-0205${uniqueId().slice(0, 13)}`, cidr: '10.205.0.0/16' };

describe('awsvpc tasks on Docker', { timeout: 120_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine();
  });
  after(async () => {
    await t.dispose();
    await removeVpcBridge(VPC.vpcId);
    await removeVpcBridge(OTHER_VPC.vpcId);
  });

  test('two tasks get their own address on the VPC bridge, share localhost within, reach each other and leave nothing when stopped', async () => {
    const eniA = eniAt(VPC, '10.201.16.10', '10.201.16.0/20');
    const eniB = eniAt(VPC, '10.201.32.10', '10.201.32.0/20');
    const a = awsvpcAssignment(
      'vpcweb',
      [
        { name: 'web', command: WEB, portMappings: [{ containerPort: 80 }], memory: 32 },
        { name: 'side', command: SLEEP, essential: false, memory: 32 },
      ],
      eniA,
    );
    const b = awsvpcAssignment('vpcweb', [{ name: 'web', command: WEB, memory: 32 }], eniB);
    const started = Date.now();
    await Promise.all([t.engine.apply(a), t.engine.apply(b)]);
    const allow80 = firewall([tcpIn(80)]);
    await Promise.all([
      t.engine.applyFirewall(a.taskArn, allow80, 'r1'),
      t.engine.applyFirewall(b.taskArn, allow80, 'r1'),
    ]);
    const [runA] = await Promise.all([
      t.reports.status(a.taskArn, 'RUNNING', 30_000),
      t.reports.status(b.taskArn, 'RUNNING', 30_000),
    ]);
    const setupMs = Date.now() - started;
    assert.equal(runA.containers[0].networkBindings, undefined, 'awsvpc allocates no host ports');

    // The pause container holds the namespace (Docker does not network it); the agent plumbed
    // eth0 into it on the VPC's bridge with the ENI's address and MAC; the containers join it.
    const [pauseA] = await pauseContainers(a.taskArn);
    assert.ok(pauseA, 'task A has a pause container');
    const pauseInfo = await docker.getContainer(pauseA.Id).inspect();
    assert.equal(pauseInfo.HostConfig.NetworkMode, 'none');
    assert.equal(pauseInfo.Config.Hostname, 'ip-10-201-16-10');
    for (const c of runA.containers) {
      const info = await docker.getContainer(c.runtimeId!).inspect();
      assert.equal(info.HostConfig.NetworkMode, `container:${pauseA.Id}`);
    }
    const bridge = bridgeNameFor(VPC.vpcId);
    const vethA = vethNameFor(a.taskArn);
    assert.ok(vethA.length <= 15);
    const bridgeAddr = JSON.parse((await run('ip', ['-j', '-4', 'addr', 'show', 'dev', bridge])).stdout);
    assert.deepEqual(
      bridgeAddr[0].addr_info.map((x: { local: string; prefixlen: number }) => `${x.local}/${x.prefixlen}`),
      ['10.201.0.1/16'],
    );
    assert.match((await run('ip', ['-o', 'link', 'show', vethA])).stdout, new RegExp(`master ${bridge} `));
    // Host rules of the bridge: within the VPC, isolation, egress, replies, masquerade; once each.
    const hostRules = await vpcHostRules(VPC.vpcId);
    assert.equal(hostRules.filter((l) => l.startsWith('-A FORWARD')).length, 5, hostRules.join('\n'));
    assert.equal(hostRules.filter((l) => l.includes('MASQUERADE')).length, 1, hostRules.join('\n'));

    // From the host, through the bridge's gateway address.
    for (const ip of ['10.201.16.10', '10.201.32.10']) {
      const res = await httpGet(`http://${ip}/`);
      assert.equal(res.status, 200);
      assert.match(res.body, /hello from longshore-test busybox/);
    }
    const side = runA.containers.find((c) => c.name === 'side')!.runtimeId!;
    // Shared localhost inside the task, and the other subnet's task over the VPC's one L2 domain.
    assert.match(await execIn(side, ncGet('127.0.0.1', 80, '/')), /hello from longshore-test busybox/);
    assert.match(await execIn(side, ncGet('10.201.32.10', 80, '/')), /hello from longshore-test busybox/);
    assert.match(await execIn(side, 'ip -4 addr show eth0'), /10\.201\.16\.10\/16/);
    assert.equal((await execIn(side, 'cat /sys/class/net/eth0/address')).trim(), eniA.macAddress);
    assert.match(await execIn(side, 'ip route'), /default via 10\.201\.0\.1 dev eth0/);
    // Name resolution: the task's hosts and resolv.conf (written by the agent, shared by its containers).
    assert.match(
      await execIn(side, 'cat /etc/hosts'),
      /10\.201\.16\.10\tip-10-201-16-10\.ec2\.internal ip-10-201-16-10\n/,
    );
    assert.match(await execIn(side, 'cat /etc/resolv.conf'), /^nameserver \S+/m);
    assert.equal((await execIn(side, 'hostname')).trim(), 'ip-10-201-16-10');

    // Task metadata v4 at 169.254.170.2 from inside, with the ENI in Networks.
    const uri = (await execIn(side, 'echo $ECS_CONTAINER_METADATA_URI_V4')).trim();
    const url = new URL(uri);
    const body = await execIn(side, ncGet(url.hostname, Number(url.port || 80), url.pathname));
    const json = body.slice(body.indexOf('{'));
    const self = JSON.parse(json);
    assert.equal(url.hostname, '169.254.170.2');
    assert.deepEqual(self.Networks, [
      {
        NetworkMode: 'awsvpc',
        IPv4Addresses: ['10.201.16.10'],
        AttachmentIndex: 0,
        MACAddress: eniA.macAddress,
        IPv4SubnetCIDRBlock: '10.201.16.0/20',
        PrivateDNSName: 'ip-10-201-16-10.ec2.internal',
        SubnetGatewayIpv4Address: '10.201.16.1/20',
      },
    ]);

    // Stop: the pause container (and its namespace) go before STOPPED; the bridge with the last task.
    const netnsA = await netnsOf(pauseA.Id);
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    const stoppedA = await t.reports.status(a.taskArn, 'STOPPED', 30_000);
    const statuses = t.reports.for(a.taskArn).map((r) => r.lastStatus);
    assert.ok(statuses.includes('DEPROVISIONING'), `statuses: ${statuses.join(' ')}`);
    assert.equal(stoppedA.stopCode, undefined);
    assert.deepEqual(await pauseContainers(a.taskArn), [], 'no pause container once STOPPED is reported');
    assert.equal(await netnsInUse(netnsA), false, 'the namespace is gone');
    assert.equal(
      await run('ip', ['link', 'show', vethA]).then(
        () => 'present',
        () => 'gone',
      ),
      'gone',
      'its veth went with it',
    );
    assert.equal(await waitForProbe('10.201.32.10', 80, 'open'), 'open', 'the other task still answers');
    assert.ok(
      (await vpcLeftovers(VPC.vpcId)).some((l) => l.startsWith(`link `) && l.includes(`${bridge}:`)),
      'bridge kept for task B',
    );
    assert.equal((await vpcHostRules(VPC.vpcId)).length, 6, 'and its host rules');

    await t.engine.apply({ ...b, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(b.taskArn, 'STOPPED', 30_000);
    assert.deepEqual(await pauseContainers(b.taskArn), []);
    assert.deepEqual(await settle(() => vpcLeftovers(VPC.vpcId)), [], 'nothing of the VPC left on the host');
    console.log(`# two awsvpc tasks assigned -> RUNNING (pause, bridge, firewall) in ${setupMs} ms`);
  });

  test('VPCs are isolated from each other and from docker0; egress leaves masqueraded', async () => {
    const eniA = eniAt(VPC, '10.201.48.10', '10.201.48.0/20');
    const eniB = eniAt(OTHER_VPC, '10.205.1.10', '10.205.1.0/24');
    const a = awsvpcAssignment('iso', [{ name: 'web', command: WEB, memory: 32 }], eniA);
    const b = awsvpcAssignment('iso', [{ name: 'web', command: WEB, memory: 32 }], eniB);
    await Promise.all([t.engine.apply(a), t.engine.apply(b)]);
    const open = firewall([tcpIn(80)]);
    await Promise.all([
      t.engine.applyFirewall(a.taskArn, open, 'r1'),
      t.engine.applyFirewall(b.taskArn, open, 'r1'),
    ]);
    const [runA, runB] = await Promise.all([
      t.reports.status(a.taskArn, 'RUNNING', 30_000),
      t.reports.status(b.taskArn, 'RUNNING', 30_000),
    ]);
    const inA = runA.containers[0].runtimeId!;
    const inB = runB.containers[0].runtimeId!;
    // A plain container on docker0 serving HTTP.
    const plain = await docker.createContainer({
      Image: 'longshore-test/busybox:latest',
      Cmd: WEB,
      Labels: { 'longshore.test': 'awsvpc-run' },
    });
    try {
      await plain.start();
      const plainIp = (await plain.inspect()).NetworkSettings.Networks.bridge.IPAddress;
      assert.equal(await waitForProbe('10.201.48.10', 80, 'open'), 'open', 'the host reaches both VPCs');
      assert.equal(await waitForProbe('10.205.1.10', 80, 'open'), 'open');
      // Not across VPCs, either way.
      assert.doesNotMatch(await execIn(inA, ncGet('10.205.1.10', 80, '/')), /hello/);
      assert.doesNotMatch(await execIn(inB, ncGet('10.201.48.10', 80, '/')), /hello/);
      // Not from docker0 into a VPC.
      assert.doesNotMatch(await execIn(plain.id, ncGet('10.201.48.10', 80, '/')), /hello/);
      // Out of the VPC (to docker0 here): forwarded and masqueraded behind the host's address.
      const masqueraded = async () => {
        const nat = (await run('iptables-save', ['-c', '-t', 'nat'])).stdout;
        const rule = nat.split('\n').find((l) => l.includes(`longshore-vpc:${bridgeNameFor(VPC.vpcId)}`));
        return Number(/^\[(\d+):/.exec(rule ?? '')?.[1] ?? -1);
      };
      const before = await masqueraded();
      assert.match(await execIn(inA, ncGet(plainIp, 80, '/')), /hello from longshore-test busybox/);
      assert.ok((await masqueraded()) > before, 'the VPC masquerade rule matched the egress flow');
    } finally {
      await plain.remove({ force: true });
    }
    for (const x of [a, b]) await t.engine.apply({ ...x, desiredStatus: 'STOPPED', version: 2 });
    for (const x of [a, b]) await t.reports.status(x.taskArn, 'STOPPED', 30_000);
    assert.deepEqual(await settle(() => vpcLeftovers(VPC.vpcId)), []);
    assert.deepEqual(await settle(() => vpcLeftovers(OTHER_VPC.vpcId)), []);
  });

  test('an awsvpc task without an ENI, or with a hostname, fails with ResourceInitializationError', async () => {
    const noEni = awsvpcAssignment('vpcbad', [{ name: 'web', command: WEB, memory: 32 }], undefined);
    await t.engine.apply(noEni);
    const stopped = await t.reports.status(noEni.taskArn, 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason ?? '', /^ResourceInitializationError: .*awsvpc.*no network interface/);

    const named = awsvpcAssignment(
      'vpcbad',
      [{ name: 'web', command: WEB, memory: 32, hostname: 'web' }],
      eniAt(VPC, '10.201.16.30', '10.201.16.0/20'),
    );
    await t.engine.apply(named);
    const refused = await t.reports.status(named.taskArn, 'STOPPED');
    assert.match(
      refused.stoppedReason ?? '',
      /^ResourceInitializationError: container web: hostname cannot be used with network mode awsvpc/,
    );
    assert.deepEqual(await pauseContainers(named.taskArn), []);
  });

  test('a VPC range that overlaps a Docker network or a host route fails the task, naming the overlap', async () => {
    const other = `longshore-test-overlap-${uniqueId()}`;
    await docker.createNetwork({ Name: other, IPAM: { Config: [{ Subnet: '10.211.0.0/16' }] } });
    await run('ip', ['route', 'add', 'blackhole', '10.212.0.0/16']);
    try {
      const clashDocker: TestVpc = { vpcId: `vpc-0211${uniqueId().slice(0, 13)}`, cidr: '10.211.0.0/16' };
      const a = awsvpcAssignment(
        'vpcclash',
        [{ name: 'web', command: WEB, memory: 32 }],
        eniAt(clashDocker, '10.211.1.5', '10.211.1.0/24'),
      );
      await t.engine.apply(a);
      const stopped = await t.reports.status(a.taskArn, 'STOPPED', 20_000);
      assert.equal(stopped.stopCode, 'TaskFailedToStart');
      assert.match(
        stopped.stoppedReason ?? '',
        new RegExp(
          `^ResourceInitializationError: the range 10\\.211\\.0\\.0/16 of ${clashDocker.vpcId} overlaps the Docker network ${other} .*use a VPC with another CIDR`,
        ),
      );

      const clashRoute: TestVpc = { vpcId: `vpc-0212${uniqueId().slice(0, 13)}`, cidr: '10.212.0.0/16' };
      const b = awsvpcAssignment(
        'vpcclash',
        [{ name: 'web', command: WEB, memory: 32 }],
        eniAt(clashRoute, '10.212.1.5', '10.212.1.0/24'),
      );
      await t.engine.apply(b);
      const refused = await t.reports.status(b.taskArn, 'STOPPED', 20_000);
      assert.match(
        refused.stoppedReason ?? '',
        /^ResourceInitializationError: the range 10\.212\.0\.0\/16 .* overlaps the host route 10\.212\.0\.0\/16/,
      );
      assert.deepEqual(await vpcLeftovers(clashDocker.vpcId), []);
      assert.deepEqual(await vpcLeftovers(clashRoute.vpcId), []);
    } finally {
      await docker
        .getNetwork(other)
        .remove()
        .catch(() => undefined);
      await run('ip', ['route', 'del', 'blackhole', '10.212.0.0/16']).catch(() => undefined);
    }
  });
});
