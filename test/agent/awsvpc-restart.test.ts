/**
 * awsvpc across an agent killed with SIGKILL: a new engine on the same state directory re-adopts
 * the pause containers (same container, same address, never duplicated), re-applies the
 * persisted firewall, applies new ones, and still tears everything down when the tasks stop.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import type { TaskAssignment, TaskFirewall } from '../../src/core/agent-protocol.ts';
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
import { docker, ensureDocker, instanceArn, Reports, removeLabelled, uniqueId } from './docker-helpers.ts';

const CHILD = new URL('./fixtures/awsvpc-engine-child.ts', import.meta.url).pathname;
const CHILD_READY_TIMEOUT_MS = 15_000;
const WEB = ['sh', '-c', 'httpd -p 81 -h /www; exec httpd -f -p 80 -h /www'];
const VPC: TestVpc = { vpcId: `vpc-0203${uniqueId().slice(0, 13)}`, cidr: '10.203.0.0/16' };

interface Child {
  process: ChildProcess;
  reports: Reports;
  apply(a: TaskAssignment): Promise<void>;
  firewall(taskArn: string, fw: TaskFirewall, revision: string): Promise<void>;
}

async function startChild(dataDir: string, arn: string): Promise<Child> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CHILD], {
    env: { ...process.env, DATA_DIR: dataDir, INSTANCE_ARN: arn },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const reports = new Reports();
  const waiting: (() => void)[] = [];
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child engine did not start')), CHILD_READY_TIMEOUT_MS);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    child.once('exit', (code) => reject(new Error(`child engine exited early (${code})`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { type: string; report?: never };
    if (message.type === 'ready') onReady();
    if (message.type === 'report') reports.push(message.report!);
    if (message.type === 'applied') waiting.shift()?.();
  });
  await ready;
  const send = (message: object) =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    });
  return {
    process: child,
    reports,
    apply: (assignment) => send({ type: 'apply', assignment }),
    firewall: (taskArn, fw, revision) => send({ type: 'firewall', taskArn, firewall: fw, revision }),
  };
}

async function kill9(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

const arn = instanceArn(uniqueId());
let dataDir = '';
const children: Child[] = [];

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
  const first = await startChild(dataDir, arn);
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

  const second = await startChild(dataDir, arn);
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
