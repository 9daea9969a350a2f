/**
 * The pure parts of awsvpc: IPv4 ranges, the firewall's iptables-restore text, the pause spec, the
 * namespace batch, the VPC bridge's host rules, the task's resolv.conf and hosts, the stop plan.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../src/agent/engine/plan.ts';
import { newTaskState } from '../../src/agent/engine/new-task.ts';
import { deriveTaskStatus, requestStop } from '../../src/agent/engine/task-mutations.ts';
import { contains, overlaps, parseCidr, routerAddress } from '../../src/agent/network/cidr.ts';
import { DEFAULT_DENY, firewallRestoreInput } from '../../src/agent/network/firewall-rules.ts';
import { pauseNameFor, pauseSpec } from '../../src/agent/network/pause-container.ts';
import { bridgeMacFor, bridgeNameFor } from '../../src/agent/network/vpc-networks.ts';
import { bridgeRules, replaceInput, taggedRules } from '../../src/agent/network/bridge-rules.ts';
import { namespaceBatch } from '../../src/agent/network/netns.ts';
import { resolvConfFor, hostsFor } from '../../src/agent/network/task-files.ts';
import { taskDns, vethNameFor } from '../../src/agent/network/task-network.ts';
import { ensurePauseImage, PauseImageError } from '../../src/agent/network/pause-image.ts';
import { tarArchive } from '../../src/agent/network/tar.ts';
import type { ContainerRuntime } from '../../src/agent/docker/runtime.ts';
import { awsvpcAssignment, eniAt } from './awsvpc-helpers.ts';

const VPC = { vpcId: 'vpc-0123456789abcdef0', cidr: '172.31.0.0/16' };
const rng = { next: () => 0.5, hex: (n: number) => 'a'.repeat(n * 2) };
const clock = { now: () => 1000 };

describe('awsvpc pure parts', () => {
  test('IPv4 ranges: normalised, overlapping, holding, and the VPC router address', () => {
    const vpc = parseCidr('172.31.7.9/16')!;
    assert.equal(vpc.text, '172.31.0.0/16');
    assert.equal(routerAddress(vpc), '172.31.0.1');
    assert.ok(overlaps(vpc, parseCidr('172.31.16.0/20')!));
    assert.ok(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('10.201.0.0/16')!));
    assert.ok(!overlaps(vpc, parseCidr('172.32.0.0/16')!));
    assert.ok(contains(vpc, '172.31.255.254'));
    assert.ok(!contains(vpc, '172.30.0.1'));
    assert.equal(parseCidr('300.1.1.1/8'), undefined);
    assert.equal(parseCidr('10.0.0.1')?.text, '10.0.0.1/32');
  });

  test('the firewall is one filter table: default deny, stateful, metadata and DNS out, one ACCEPT per rule and range', () => {
    const deny = firewallRestoreInput(DEFAULT_DENY);
    assert.match(deny, /^\*filter\n:INPUT DROP \[0:0\]\n:FORWARD DROP \[0:0\]\n:OUTPUT DROP \[0:0\]\n/);
    assert.match(deny, /-A OUTPUT -d 169\.254\.170\.2\/32 -p tcp .*-j ACCEPT/);
    assert.match(deny, /-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED .*-j ACCEPT/);
    assert.doesNotMatch(deny, /-A INPUT -s/);
    assert.match(deny, /COMMIT\n$/);
    const text = firewallRestoreInput({
      ingress: [
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'] },
        { protocol: 'udp', fromPort: 1000, toPort: 2000, cidrs: ['10.0.0.0/8', '192.168.1.7/32', 'bogus'] },
        { protocol: 'icmp', fromPort: -1, toPort: -1, cidrs: ['10.1.0.0/16'] },
      ],
      egress: [{ protocol: 'all', cidrs: ['0.0.0.0/0'] }],
    });
    const rules = text
      .split('\n')
      .filter((l) => l.startsWith('-A') && !l.includes('lo ') && !l.includes('ctstate'));
    assert.deepEqual(
      rules.map((l) => l.replace(/ -m comment --comment longshore-sg -j ACCEPT$/, '')),
      [
        '-A OUTPUT -d 169.254.170.2/32 -p tcp',
        '-A OUTPUT -p udp --dport 53',
        '-A OUTPUT -p tcp --dport 53',
        '-A INPUT -p tcp --dport 80',
        '-A INPUT -s 10.0.0.0/8 -p udp --dport 1000:2000',
        '-A INPUT -s 192.168.1.7/32 -p udp --dport 1000:2000',
        '-A INPUT -s 10.1.0.0/16 -p icmp',
        '-A OUTPUT',
      ],
    );
  });

  test('the pause container: no Docker networking, hostname from the ENI, named from the task id', () => {
    const eni = eniAt(VPC, '172.31.16.5', '172.31.16.0/20');
    const a = awsvpcAssignment('web', [{ name: 'web', dnsServers: ['10.0.0.2'] }], eni);
    const spec = pauseSpec({ assignment: a, eni, instanceArn: 'arn:i' });
    assert.equal(spec.name, pauseNameFor(a));
    assert.match(spec.name, /^ecs-web-1-internalecspause-[0-9a-f]{32}$/);
    assert.equal(spec.Hostname, 'ip-172-31-16-5');
    assert.equal(spec.Domainname, 'ec2.internal');
    assert.equal(spec.HostConfig?.NetworkMode, 'none');
    assert.equal(
      spec.NetworkDisabled,
      true,
      'no libnetwork hook: the start is as fast as a joining container',
    );
    assert.equal(spec.HostConfig?.Sysctls?.['net.ipv6.conf.default.disable_ipv6'], '1');
    assert.equal(spec.Labels?.['com.amazonaws.ecs.container-name'], '~internal~ecs~pause');
    assert.deepEqual(taskDns(a), { dnsServers: ['10.0.0.2'], dnsSearchDomains: [] });
    assert.ok(bridgeNameFor(VPC.vpcId).length <= 15);
    assert.match(vethNameFor(a.taskArn), /^lsp[0-9a-f]{12}$/);
    assert.match(bridgeMacFor(VPC.vpcId), /^02(:[0-9a-f]{2}){5}$/);
    assert.deepEqual(
      namespaceBatch({
        pid: 1,
        veth: 'lspx',
        bridge: 'lsv-x',
        macAddress: eni.macAddress,
        address: '172.31.16.5/16',
        gateway: '172.31.0.1',
      }),
      [
        'addr replace 172.31.16.5/16 dev eth0',
        'link set lo up',
        'link set eth0 up',
        'route replace default via 172.31.0.1 dev eth0',
      ],
    );
  });

  test("the VPC bridge's host rules: forward within, drop to other VPCs, egress masqueraded, replaced atomically", () => {
    const want = bridgeRules('lsv-abc', ['10.201.0.0/16', '10.202.0.0/16']);
    const tag = '-m comment --comment "longshore-vpc:lsv-abc"';
    assert.deepEqual(want.filter, [
      `-A FORWARD -i lsv-abc -o lsv-abc ${tag} -j ACCEPT`,
      `-A FORWARD -i lsv-abc -o lsv+ ${tag} -j DROP`,
      `-A FORWARD -i lsv-abc ${tag} -j ACCEPT`,
      `-A FORWARD -o lsv-abc -m conntrack --ctstate RELATED,ESTABLISHED ${tag} -j ACCEPT`,
      `-A FORWARD -o lsv-abc ${tag} -j DROP`,
    ]);
    assert.deepEqual(want.nat, [
      `-A POSTROUTING -s 10.201.0.0/16 ! -o lsv-abc ${tag} -j MASQUERADE`,
      `-A POSTROUTING -s 10.202.0.0/16 ! -o lsv-abc ${tag} -j MASQUERADE`,
    ]);
    const save = [
      '*nat',
      ':POSTROUTING ACCEPT [0:0]',
      '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
      want.nat[0],
      'COMMIT',
      '*filter',
      want.filter[1],
      '-A FORWARD -j DOCKER-USER',
      '-A FORWARD -i lsv-other -m comment --comment "longshore-vpc:lsv-other" -j ACCEPT',
      'COMMIT',
    ].join('\n');
    const tagged = taggedRules(save);
    assert.deepEqual([...tagged.keys()].sort(), ['lsv-abc', 'lsv-other']);
    assert.deepEqual(tagged.get('lsv-abc'), { filter: [want.filter[1]], nat: [want.nat[0]] });
    const input = replaceInput(tagged.get('lsv-abc')!, want);
    assert.deepEqual(input.split('\n'), [
      '*filter',
      `-D FORWARD -i lsv-abc -o lsv+ ${tag} -j DROP`,
      `-I FORWARD 1 -o lsv-abc ${tag} -j DROP`,
      `-I FORWARD 1 -o lsv-abc -m conntrack --ctstate RELATED,ESTABLISHED ${tag} -j ACCEPT`,
      `-I FORWARD 1 -i lsv-abc ${tag} -j ACCEPT`,
      `-I FORWARD 1 -i lsv-abc -o lsv+ ${tag} -j DROP`,
      `-I FORWARD 1 -i lsv-abc -o lsv-abc ${tag} -j ACCEPT`,
      'COMMIT',
      '*nat',
      `-D POSTROUTING -s 10.201.0.0/16 ! -o lsv-abc ${tag} -j MASQUERADE`,
      `-I POSTROUTING 1 -s 10.202.0.0/16 ! -o lsv-abc ${tag} -j MASQUERADE`,
      `-I POSTROUTING 1 -s 10.201.0.0/16 ! -o lsv-abc ${tag} -j MASQUERADE`,
      'COMMIT',
      '',
    ]);
  });

  test("the task's resolv.conf and hosts: as Docker writes them, the task's DNS settings first", () => {
    const host =
      'nameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver fd00::1\nsearch corp.example\noptions edns0\n';
    assert.equal(
      resolvConfFor({ host, dnsServers: [], dnsSearchDomains: [] }),
      'nameserver 10.0.0.2\nsearch corp.example\noptions edns0\n',
    );
    assert.equal(
      resolvConfFor({ host: 'nameserver 127.0.0.1\n', dnsServers: [], dnsSearchDomains: [] }),
      'nameserver 8.8.8.8\nnameserver 8.8.4.4\n',
      "Docker's fallback when only localhost resolvers exist",
    );
    assert.equal(
      resolvConfFor({ host, dnsServers: ['10.9.0.2'], dnsSearchDomains: ['a.example'] }),
      'nameserver 10.9.0.2\nsearch a.example\noptions edns0\n',
    );
    const hosts = hostsFor('172.31.16.5', 'ip-172-31-16-5.ec2.internal', 'ip-172-31-16-5');
    assert.match(hosts, /^127\.0\.0\.1\tlocalhost\n/);
    assert.match(hosts, /\n172\.31\.16\.5\tip-172-31-16-5\.ec2\.internal ip-172-31-16-5\n$/);
  });

  test('the pause image: made from BusyBox when missing, a clear error when BusyBox is missing too', async () => {
    const imported: { archive: Buffer; changes: string[] }[] = [];
    const runtime = {
      inspectImage: async () => undefined,
      importImage: async (archive: Buffer, o: { changes: string[] }) => {
        imported.push({ archive, changes: o.changes });
      },
    } as unknown as ContainerRuntime;
    await assert.rejects(ensurePauseImage(runtime, '/nonexistent/busybox'), (error: Error) => {
      assert.ok(error instanceof PauseImageError);
      assert.match(
        error.message,
        /longshore\/pause:1 is not in the Docker engine and \/nonexistent\/busybox .* is missing/,
      );
      return true;
    });
    await ensurePauseImage(runtime, process.execPath);
    assert.equal(imported.length, 1);
    assert.ok(imported[0].changes.some((c) => c.startsWith('CMD ["/bin/sh","-c"')));
    // A valid ustar archive: 512-byte blocks, ending in two zero blocks.
    const tar = tarArchive([{ type: 'symlink', path: 'bin/sh', target: 'busybox' }]);
    assert.equal(tar.length, 3 * 512);
    assert.equal(tar.subarray(257, 262).toString(), 'ustar');
    assert.equal(tar.subarray(156, 157).toString(), '2');
  });

  test('a stopping awsvpc task deprovisions (DEPROVISIONING) before it may be STOPPED', () => {
    const a = awsvpcAssignment('web', [{ name: 'web' }], eniAt(VPC, '172.31.16.5', '172.31.16.0/20'));
    const task = newTaskState(a, rng, clock);
    requestStop(task, 1000);
    const first = plan(task, new Set(), 1000);
    assert.deepEqual(first.changes, [{ type: 'container-stopped', container: 'web' }]);
    task.containers[0].known = 'STOPPED';
    deriveTaskStatus(task, 1000);
    assert.equal(task.known, 'DEPROVISIONING');
    assert.deepEqual(plan(task, new Set(), 1000), { changes: [], actions: [{ type: 'deprovision' }] });
    task.networkReleasedAt = 1001;
    assert.deepEqual(plan(task, new Set(), 1001).changes, [{ type: 'task-stopped' }]);
  });
});
