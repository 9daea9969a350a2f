/**
 * Security groups in the task's namespace: default deny before the control plane sends a firewall,
 * a firewall sent before the namespace exists (or before the engine has taken the task's
 * assignment) applied once it does, an update replacing the rules
 * on a running task, egress rules, and the rules living only inside the task (none on the host).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  awsvpcAssignment,
  eniAt,
  execIn,
  firewall,
  ncGet,
  pauseContainers,
  removeVpcBridge,
  settle,
  tcpIn,
  type TestVpc,
  vpcLeftovers,
  waitForProbe,
} from './awsvpc-helpers.ts';
import { startEngine, type TestEngine, uniqueId } from './docker-helpers.ts';

const run = promisify(execFile);
/** Two listeners in one container: port 80 and port 81. */
const WEB_80_81 = ['sh', '-c', 'httpd -p 81 -h /www; exec httpd -f -p 80 -h /www'];
const VPC: TestVpc = { vpcId: `vpc-0202${uniqueId().slice(0, 13)}`, cidr: '10.202.0.0/16' };

describe('awsvpc security groups', { timeout: 120_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine();
  });
  after(async () => {
    await t.dispose();
    await removeVpcBridge(VPC.vpcId);
  });

  test('default deny until a firewall arrives; an update takes effect on the running task', async () => {
    const ip = '10.202.1.10';
    const a = awsvpcAssignment(
      'sg',
      [{ name: 'web', command: WEB_80_81, memory: 32 }],
      eniAt(VPC, ip, '10.202.1.0/24'),
    );
    await t.engine.apply(a);
    const running = await t.reports.status(a.taskArn, 'RUNNING', 30_000);
    // No firewall yet: nothing gets in (dropped, so the connect times out rather than being refused).
    assert.equal(await waitForProbe(ip, 80, 'timeout', 3000), 'timeout');
    assert.equal(await waitForProbe(ip, 81, 'timeout', 3000), 'timeout');

    await t.engine.applyFirewall(a.taskArn, firewall([tcpIn(80)]), 'r1');
    assert.equal(await waitForProbe(ip, 80, 'open'), 'open', 'tcp/80 from 0.0.0.0/0 is allowed');
    assert.equal(await waitForProbe(ip, 81, 'timeout', 3000), 'timeout', 'tcp/81 is not');
    assert.equal(t.engine.task(a.taskArn)?.firewall?.revision, 'r1');

    // A repeated revision changes nothing; a new one replaces the whole rule set.
    await t.engine.applyFirewall(a.taskArn, firewall([tcpIn(80)]), 'r1');
    await t.engine.applyFirewall(a.taskArn, firewall([tcpIn(81, ['10.202.0.1/32'])]), 'r2');
    assert.equal(await waitForProbe(ip, 81, 'open'), 'open', 'tcp/81 from the host gateway now allowed');
    assert.equal(await waitForProbe(ip, 80, 'timeout', 3000), 'timeout', 'tcp/80 no longer');

    // The rules live in the task's namespace only: the host's tables hold none of them.
    const save = await run('iptables-save').then((r) => r.stdout);
    assert.doesNotMatch(save, /longshore-sg/);
    const inside = await execIn(
      running.containers[0].runtimeId!,
      'cat /proc/net/if_inet6 2>/dev/null | wc -l',
    );
    assert.equal(inside.trim(), '0', 'no IPv6 address to bypass the IPv4 rules');
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(a.taskArn, 'STOPPED', 30_000);
  });

  test('a firewall sent before the namespace exists is applied once it does; egress is enforced too', async () => {
    const server = awsvpcAssignment(
      'sgsrv',
      [{ name: 'web', command: WEB_80_81, memory: 32 }],
      eniAt(VPC, '10.202.2.10', '10.202.2.0/24'),
    );
    const client = awsvpcAssignment(
      'sgcli',
      [{ name: 'cli', command: ['sleep', '600'], memory: 32 }],
      eniAt(VPC, '10.202.3.10', '10.202.3.0/24'),
    );
    // Sent right after the assignment, while the task is still provisioning.
    await t.engine.apply(server);
    await t.engine.applyFirewall(server.taskArn, firewall([tcpIn(80, ['10.202.0.0/16'])]), 's1');
    await t.engine.apply(client);
    await t.engine.applyFirewall(client.taskArn, firewall([], []), 'c1');
    await t.reports.status(server.taskArn, 'RUNNING', 30_000);
    const cli = await t.reports.status(client.taskArn, 'RUNNING', 30_000);
    const cliId = cli.containers[0].runtimeId!;
    assert.equal(await waitForProbe('10.202.2.10', 80, 'open'), 'open', 'from the host (in the VPC range)');

    // The client's egress allows nothing: it cannot reach the server.
    assert.doesNotMatch(await execIn(cliId, ncGet('10.202.2.10', 80, '/')), /hello/);
    await t.engine.applyFirewall(client.taskArn, firewall([], [tcpIn(80, ['10.202.2.0/24'])]), 'c2');
    assert.match(await execIn(cliId, ncGet('10.202.2.10', 80, '/')), /hello from longshore-test busybox/);
    // Egress to 81 is still closed; ingress to the server's 81 too.
    assert.doesNotMatch(await execIn(cliId, ncGet('10.202.2.10', 81, '/')), /hello/);

    for (const a of [server, client]) await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    for (const a of [server, client]) {
      await t.reports.status(a.taskArn, 'STOPPED', 30_000);
      assert.deepEqual(await pauseContainers(a.taskArn), []);
    }
    assert.deepEqual(await settle(() => vpcLeftovers(VPC.vpcId)), []);
  });

  test('a firewall that comes with its assignment, before apply() has taken it, is applied', async () => {
    const ip = '10.202.4.10';
    const a = awsvpcAssignment(
      'sgnow',
      [{ name: 'web', command: WEB_80_81, memory: 32 }],
      eniAt(VPC, ip, '10.202.4.0/24'),
    );
    // As the control channel delivers them: one message after the other, neither awaited.
    const applied = t.engine.apply(a);
    const firewalled = t.engine.applyFirewall(a.taskArn, firewall([tcpIn(80)]), 'n1');
    await Promise.all([applied, firewalled]);
    await t.reports.status(a.taskArn, 'RUNNING', 30_000);
    assert.equal(await waitForProbe(ip, 80, 'open'), 'open');
    assert.equal(t.engine.task(a.taskArn)?.firewall?.revision, 'n1');
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(a.taskArn, 'STOPPED', 30_000);
  });
});
