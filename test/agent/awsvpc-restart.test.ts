/**
 * awsvpc across an agent killed with SIGKILL: a new engine on the same state directory re-adopts
 * the pause containers (same container, same address, never duplicated), re-applies the
 * persisted firewall, applies new ones, and still tears everything down when the tasks stop.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  awsvpcAssignment,
  eniAt,
  firewall,
  pauseContainers,
  removeVpcBridge,
  settle,
  tcpIn,
  type TestVpc,
  vpcHostRules,
  vpcLeftovers,
  waitForProbe,
} from './awsvpc-helpers.ts';
import { type ChildEngine, kill9, startChildEngine } from './child-engine.ts';
import { docker, ensureDocker, instanceArn, removeLabelled, uniqueId } from './docker-helpers.ts';

const WEB = ['sh', '-c', 'httpd -p 81 -h /www; exec httpd -f -p 80 -h /www'];
const VPC: TestVpc = { vpcId: `vpc-0203${uniqueId().slice(0, 13)}`, cidr: '10.203.0.0/16' };

const arn = instanceArn(uniqueId());
let dataDir = '';
const children: ChildEngine[] = [];

after(async () => {
  for (const child of children) await kill9(child);
  await removeLabelled(arn);
  await removeVpcBridge(VPC.vpcId);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('kill -9 and restart: awsvpc tasks keep running with their addresses, pause containers re-adopted', {
  timeout: 120_000,
}, async () => {
  await ensureDocker();
  dataDir = await mkdtemp(join(tmpdir(), 'longshore-awsvpc-restart-'));
  const first = await startChildEngine(dataDir, arn);
  children.push(first);
  const ips = ['10.203.1.10', '10.203.2.10'];
  const tasks = ips.map((ip, i) =>
    awsvpcAssignment(
      'restart',
      [{ name: 'web', command: WEB, memory: 32 }],
      eniAt(VPC, ip, `10.203.${i + 1}.0/24`),
    ),
  );
  for (const a of tasks) {
    await first.apply(a);
    await first.firewall(a.taskArn, firewall([tcpIn(80)]), 'r1');
  }
  const before: { pause: string; web: string | undefined }[] = [];
  for (const a of tasks) {
    const running = await first.reports.status(a.taskArn, 'RUNNING', 30_000);
    const [pause] = await pauseContainers(a.taskArn);
    before.push({ pause: pause.Id, web: running.containers[0].runtimeId });
  }
  for (const ip of ips) assert.equal(await waitForProbe(ip, 80, 'open'), 'open');
  const rulesBefore = await vpcHostRules(VPC.vpcId);
  assert.equal(rulesBefore.length, 6, 'the bridge has its host rules once');
  await kill9(first);

  const second = await startChildEngine(dataDir, arn);
  children.push(second);
  for (const [i, a] of tasks.entries()) {
    const pauses = await pauseContainers(a.taskArn);
    assert.equal(pauses.length, 1, 'one pause container, not a second one');
    assert.equal(pauses[0].Id, before[i].pause);
    const info = await docker.getContainer(before[i].web!).inspect();
    assert.equal(info.State.Running, true);
    assert.equal(info.RestartCount, 0);
  }
  for (const ip of ips) {
    assert.equal(await waitForProbe(ip, 80, 'open'), 'open', `${ip} still answers on 80`);
    assert.equal(await waitForProbe(ip, 81, 'timeout', 3000), 'timeout', `${ip} still closed on 81`);
  }
  // The bridge's host rules are checked again on restart, not duplicated.
  assert.deepEqual(await vpcHostRules(VPC.vpcId), rulesBefore);
  // The restarted engine applies a new firewall to the adopted namespace.
  await second.firewall(tasks[0].taskArn, firewall([tcpIn(81)]), 'r2');
  assert.equal(await waitForProbe(ips[0], 81, 'open'), 'open');
  assert.equal(await waitForProbe(ips[0], 80, 'timeout', 3000), 'timeout');
  // Nothing was re-reported as new: no report went back to an earlier status.
  for (const a of tasks) assert.ok(second.reports.for(a.taskArn).every((r) => r.lastStatus !== 'PENDING'));

  for (const a of tasks) await second.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
  for (const a of tasks) {
    await second.reports.status(a.taskArn, 'STOPPED', 30_000);
    assert.deepEqual(await pauseContainers(a.taskArn), []);
  }
  assert.deepEqual(await settle(() => vpcLeftovers(VPC.vpcId)), [], 'the bridge went with the last task');
  // A clean stop (stdin closed) removes the agent's host rules too.
  const exited = new Promise((resolve) => second.process.once('exit', resolve));
  second.process.stdin!.end();
  await exited;
});
