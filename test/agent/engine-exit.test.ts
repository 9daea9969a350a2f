/** How tasks end on real Docker: essential exits, non-essential exits, OOM kills, and tasks that cannot start. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assignment, docker, startEngine, type TestEngine } from './docker-helpers.ts';

/** Allocates ~40 MB in a pipe buffer (tail keeps the last 40 MB in memory). */
const MEMORY_HOG = ['sh', '-c', 'head -c 50000000 /dev/zero | tail -c 40000000 > /dev/null'];

describe('task endings on Docker', { concurrency: true, timeout: 60_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine();
  });
  after(async () => {
    await t.dispose();
  });

  test('an essential container exiting stops the task (EssentialContainerExited)', async () => {
    const a = assignment('essential', [
      { name: 'main', command: ['sh', '-c', 'sleep 0.5; exit 3'] },
      { name: 'side', command: ['sleep', '600'], essential: false },
    ]);
    await t.engine.apply(a);
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.stoppedReason, 'Essential container in task exited');
    const byName = Object.fromEntries(stopped.containers.map((c) => [c.name, c]));
    assert.equal(byName.main.exitCode, 3);
    assert.equal(byName.side.lastStatus, 'STOPPED');
    assert.equal(byName.side.exitCode, 137);
    assert.ok(stopped.executionStoppedAt! >= (stopped.startedAt ?? stopped.pullStartedAt!));
  });

  test('a non-essential container exiting leaves the task running', async () => {
    const a = assignment('nonessential', [
      { name: 'main', command: ['sleep', '600'], linuxParameters: { initProcessEnabled: true } },
      { name: 'job', command: ['sh', '-c', 'exit 0'], essential: false },
    ]);
    await t.engine.apply(a);
    const r = await t.reports.waitFor(
      a.taskArn,
      (x) => x.containers.find((c) => c.name === 'job')?.lastStatus === 'STOPPED',
    );
    assert.equal(r.containers.find((c) => c.name === 'job')?.exitCode, 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const last = t.reports.for(a.taskArn).at(-1)!;
    assert.equal(last.lastStatus, 'RUNNING');
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    assert.equal(stopped.containers.find((c) => c.name === 'main')?.exitCode, 143);
  });

  test('an OOM kill is reported with ECS reason and exit code 137', async () => {
    const a = assignment('oom', [{ name: 'hog', command: MEMORY_HOG, memory: 8 }]);
    await t.engine.apply(a);
    // Docker's oom event may arrive just after the exit: the reason can come in a later report.
    const stopped = await t.reports.waitFor(
      a.taskArn,
      (x) => x.lastStatus === 'STOPPED' && x.containers[0].reason !== undefined,
    );
    assert.equal(stopped.containers[0].exitCode, 137);
    assert.equal(stopped.containers[0].reason, 'OutOfMemoryError: Container killed due to memory usage');
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
  });

  test('task-level memory is enforced for all containers together (parent cgroup)', async () => {
    const a = assignment('taskmem', [{ name: 'hog', command: MEMORY_HOG }], { memory: '16', cpu: '256' });
    await t.engine.apply(a);
    const stopped = await t.reports.waitFor(
      a.taskArn,
      (x) => x.lastStatus === 'STOPPED' && x.containers[0].reason !== undefined,
    );
    assert.equal(stopped.containers[0].exitCode, 137);
    assert.equal(stopped.containers[0].reason, 'OutOfMemoryError: Container killed due to memory usage');
    const info = await docker.getContainer(stopped.containers[0].runtimeId!).inspect();
    const taskId = a.taskArn.split('/').at(-1);
    // Parent cgroup where the host allows it, else the documented per-container fallback.
    if (info.HostConfig.CgroupParent) assert.equal(info.HostConfig.CgroupParent, `/longshore/${taskId}`);
    else assert.equal(info.HostConfig.Memory, 16 * 1024 * 1024);
  });

  test('a missing image fails the task with CannotPullContainerError', async () => {
    const a = assignment('noimage', [{ name: 'app', image: `longshore-test/does-not-exist:${Date.now()}` }]);
    await t.engine.apply(a);
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason!, /^CannotPullContainerError: /);
    assert.match(stopped.containers[0].reason!, /^CannotPullContainerError: /);
    assert.equal(stopped.containers[0].runtimeId, undefined);
    assert.ok(stopped.pullStartedAt! <= stopped.pullStoppedAt!);
  });

  test('awsvpc without an ENI and unsupported fields stop the task with a clear reason', async () => {
    const awsvpc = assignment('vpc', [{ name: 'app', command: ['sleep', '1'] }], { networkMode: 'awsvpc' });
    const secrets = assignment('secret', [
      {
        name: 'app',
        command: ['sleep', '1'],
        secrets: [{ name: 'X', valueFrom: 'arn:aws:ssm:us-east-1:0:parameter/x' }],
      },
    ]);
    const syslog = assignment('syslog', [{ name: 'app', logConfiguration: { logDriver: 'syslog' } }]);
    await Promise.all([awsvpc, secrets, syslog].map((x) => t.engine.apply(x)));
    const [v, s, l] = await Promise.all(
      [awsvpc, secrets, syslog].map((x) => t.reports.status(x.taskArn, 'STOPPED')),
    );
    assert.equal(v.stopCode, 'TaskFailedToStart');
    assert.match(
      v.stoppedReason!,
      /^ResourceInitializationError: .*awsvpc but its assignment carries no network interface/,
    );
    // This engine has no secrets source (a Docker agent reads them from the control plane).
    assert.match(
      s.stoppedReason!,
      /^ResourceInitializationError: secrets: this agent has no Secrets Manager/,
    );
    assert.match(s.containers[0].reason!, /secrets/);
    assert.match(l.stoppedReason!, /log driver syslog is not supported/);
    // Refused before anything was created: the first report is already the final one. (Secrets
    // are resolved when the container is created, after its image is pulled.)
    for (const x of [awsvpc, syslog])
      assert.deepEqual(
        t.reports.for(x.taskArn).map((r) => r.lastStatus),
        ['STOPPED'],
      );
  });
});
