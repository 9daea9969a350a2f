/**
 * awsvpc tasks on real Docker: a pause container per task on the VPC's bridge with the ENI's
 * address and MAC, containers sharing its namespace, reachability from the host and between
 * subnets, metadata v4 at 169.254.170.2 from inside, refusals (no ENI, overlapping ranges), and
 * nothing left behind once the tasks stop.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { bridgeNameFor, networkNameFor } from '../../src/agent/network/vpc-networks.ts';
import {
  awsvpcAssignment,
  eniAt,
  execIn,
  firewall,
  ncGet,
  netnsMounted,
  pauseContainers,
  removeVpcNetwork,
  sandboxKey,
  settle,
  tcpIn,
  type TestVpc,
  vpcLeftovers,
  waitForProbe,
} from './awsvpc-helpers.ts';
import { docker, httpGet, startEngine, type TestEngine, uniqueId } from './docker-helpers.ts';

const run = promisify(execFile);
const WEB = ['httpd', '-f', '-p', '80', '-h', '/www'];
const SLEEP = ['sleep', '600'];
/** A range unlikely to clash with anything on a test machine, and distinct per awsvpc test file. */
const VPC: TestVpc = { vpcId: `vpc-0201${uniqueId().slice(0, 13)}`, cidr: '10.201.0.0/16' };

describe('awsvpc tasks on Docker', { timeout: 120_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine();
  });
  after(async () => {
    await t.dispose();
    await removeVpcNetwork(VPC.vpcId);
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

    // The pause container holds the address and MAC; the task's containers join its namespace.
    const [pauseA] = await pauseContainers(a.taskArn);
    assert.ok(pauseA, 'task A has a pause container');
    const pauseInfo = await docker.getContainer(pauseA.Id).inspect();
    const endpoint = pauseInfo.NetworkSettings.Networks[networkNameFor(VPC.vpcId)];
    assert.equal(endpoint.IPAddress, '10.201.16.10');
    assert.equal(endpoint.MacAddress, eniA.macAddress);
    assert.equal(endpoint.Gateway, '10.201.0.1');
    assert.equal(pauseInfo.Config.Hostname, 'ip-10-201-16-10');
    for (const c of runA.containers) {
      const info = await docker.getContainer(c.runtimeId!).inspect();
      assert.equal(info.HostConfig.NetworkMode, `container:${pauseA.Id}`);
    }
    const net = await docker.getNetwork(networkNameFor(VPC.vpcId)).inspect();
    assert.equal(net.Options?.['com.docker.network.bridge.name'], bridgeNameFor(VPC.vpcId));
    assert.deepEqual(
      (net.IPAM?.Config ?? []).map((c) => [c.Subnet, c.Gateway]),
      [['10.201.0.0/16', '10.201.0.1']],
    );

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
    const netnsA = await sandboxKey(pauseA.Id);
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    const stoppedA = await t.reports.status(a.taskArn, 'STOPPED', 30_000);
    const statuses = t.reports.for(a.taskArn).map((r) => r.lastStatus);
    assert.ok(statuses.includes('DEPROVISIONING'), `statuses: ${statuses.join(' ')}`);
    assert.equal(stoppedA.stopCode, undefined);
    assert.deepEqual(await pauseContainers(a.taskArn), [], 'no pause container once STOPPED is reported');
    assert.equal(await netnsMounted(netnsA), false, 'the namespace is gone (unmounted)');
    assert.equal(await waitForProbe('10.201.32.10', 80, 'open'), 'open', 'the other task still answers');
    assert.ok(
      (await vpcLeftovers(VPC.vpcId)).some((l) => l.startsWith('docker network')),
      'bridge kept for task B',
    );

    await t.engine.apply({ ...b, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(b.taskArn, 'STOPPED', 30_000);
    assert.deepEqual(await pauseContainers(b.taskArn), []);
    assert.deepEqual(await settle(() => vpcLeftovers(VPC.vpcId)), [], 'nothing of the VPC left on the host');
    console.log(`# two awsvpc tasks assigned -> RUNNING (pause, bridge, firewall) in ${setupMs} ms`);
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
