/** Container ordering on real Docker: dependsOn conditions, shared volumes, reverse-order shutdown, cleanup. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assignment, docker, sleep, startEngine, type TestEngine, taskLogs } from './docker-helpers.ts';

const INIT = { initProcessEnabled: true };

describe('container dependencies on Docker', { concurrency: true, timeout: 60_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine({ taskCleanupWaitMs: 1000 });
  });
  after(async () => {
    await t.dispose();
  });

  test('sidecar: app waits for a HEALTHY dependency and shares its volume; shutdown in reverse order', async () => {
    const a = assignment(
      'sidecar',
      [
        {
          name: 'init',
          command: ['sh', '-c', 'sleep 1; echo ready-from-init > /shared/ready; exec sleep 600'],
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared' }],
          healthCheck: {
            command: ['CMD-SHELL', 'test -f /shared/ready'],
            interval: 1,
            timeout: 2,
            retries: 1,
          },
          linuxParameters: INIT,
        },
        {
          name: 'app',
          command: ['sh', '-c', 'cat /shared/ready; exec sleep 600'],
          dependsOn: [{ containerName: 'init', condition: 'HEALTHY' }],
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared', readOnly: true }],
          linuxParameters: INIT,
        },
      ],
      { volumes: [{ name: 'shared' }] },
    );
    await t.engine.apply(a);
    const running = await t.reports.status(a.taskArn, 'RUNNING');
    assert.equal(running.healthStatus, 'HEALTHY');
    // No report ever showed app running before init was healthy.
    for (const r of t.reports.for(a.taskArn)) {
      const [init, app] = ['init', 'app'].map((n) => r.containers.find((c) => c.name === n)!);
      if (app.lastStatus === 'RUNNING') assert.equal(init.healthStatus, 'HEALTHY');
    }
    const lines = await taskLogs(a.taskArn, (l) => l.includes('app: ready-from-init'));
    assert.ok(lines.includes('app: ready-from-init'), lines.join('\n'));
    const volumeName = (await docker.getContainer(running.containers[0].runtimeId!).inspect()).Mounts[0]
      .Name!;
    assert.match(volumeName, /^ecs-sidecar-1-shared-/);

    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    const finished = await Promise.all(
      stopped.containers.map(async (c) =>
        Date.parse((await docker.getContainer(c.runtimeId!).inspect()).State.FinishedAt),
      ),
    );
    assert.ok(finished[1] <= finished[0], 'app (the dependent) stopped before init');

    // Cleanup after the (1 s) wait removes containers and the task volume; the state file goes
    // once the control plane acknowledged the final report.
    const deadline0 = Date.now() + 10_000;
    while (!t.engine.task(a.taskArn)?.cleanedAt && Date.now() < deadline0) await sleep(200);
    assert.ok(t.engine.task(a.taskArn)?.cleanedAt, 'cleaned up');
    t.engine.acknowledge(a.taskArn, stopped.seq);
    const deadline = Date.now() + 10_000;
    while (t.engine.task(a.taskArn) && Date.now() < deadline) await sleep(200);
    assert.equal(t.engine.task(a.taskArn), undefined);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`com.amazonaws.ecs.task-arn=${a.taskArn}`] },
    });
    assert.equal(left.length, 0);
    await assert.rejects(docker.getVolume(volumeName).inspect());
    assert.equal(existsSync(join(t.dataDir, 'tasks', `${a.taskArn.split('/').at(-1)}.json`)), false);
    // A replayed assignment for the cleaned task does not start it again.
    await t.engine.apply({ ...a, version: 3, desiredStatus: 'RUNNING' });
    assert.equal(t.engine.task(a.taskArn), undefined);
  });

  test('SUCCESS dependency exiting non-zero: the dependent never starts and the task fails', async () => {
    const a = assignment('migrate', [
      { name: 'migrate', command: ['sh', '-c', 'exit 3'], essential: false },
      {
        name: 'app',
        command: ['sleep', '600'],
        dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }],
      },
    ]);
    await t.engine.apply(a);
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    const app = stopped.containers.find((c) => c.name === 'app')!;
    assert.equal(app.runtimeId, undefined);
    assert.equal(app.exitCode, 143);
    assert.match(
      app.reason!,
      /^CannotStartContainerError: dependency graph: .*\[migrate\].*did not exit successfully/,
    );
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.equal(stopped.containers.find((c) => c.name === 'migrate')?.exitCode, 3);
  });

  test('COMPLETE dependency: an init container runs to completion first', async () => {
    const a = assignment('complete', [
      { name: 'setup', command: ['sh', '-c', 'exit 1'], essential: false },
      {
        name: 'app',
        command: ['sleep', '600'],
        dependsOn: [{ containerName: 'setup', condition: 'COMPLETE' }],
        linuxParameters: INIT,
      },
    ]);
    await t.engine.apply(a);
    const running = await t.reports.status(a.taskArn, 'RUNNING');
    assert.equal(running.containers.find((c) => c.name === 'setup')?.exitCode, 1);
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(a.taskArn, 'STOPPED');
  });

  test('a dependency that does not become healthy within its startTimeout stops the task', async () => {
    const a = assignment('timeout', [
      {
        name: 'db',
        command: ['sleep', '600'],
        healthCheck: { command: ['CMD', 'false'], interval: 1, retries: 10 },
        startTimeout: 2,
        linuxParameters: INIT,
      },
      { name: 'app', command: ['sleep', '600'], dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] },
    ]);
    const t0 = Date.now();
    await t.engine.apply(a);
    const stopped = await t.reports.status(a.taskArn, 'STOPPED', 15_000);
    assert.ok(Date.now() - t0 >= 2000);
    const app = stopped.containers.find((c) => c.name === 'app')!;
    assert.match(
      app.reason!,
      /dependency graph: container ordering dependency \[db\] for target \[app\] has timed out/,
    );
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
  });
});
