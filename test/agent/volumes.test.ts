/**
 * Docker volumes and bind mounts on real Docker: the sidecar pattern over a bind volume, readOnly
 * mount points and volumesFrom, shared volumes that outlive their tasks (autoprovision, ECS's
 * errors for a missing or different one), task-scoped volumes removed at cleanup.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TaskAssignment } from '../../src/core/agent-protocol.ts';
import {
  assignment,
  docker,
  sleep,
  startEngine,
  type TestEngine,
  taskLogs,
  uniqueId,
} from './docker-helpers.ts';

const INIT = { initProcessEnabled: true };

describe('task volumes on Docker', { concurrency: true, timeout: 90_000 }, () => {
  let t: TestEngine;
  const sharedNames: string[] = [];
  const dirs: string[] = [];
  before(async () => {
    t = await startEngine({ taskCleanupWaitMs: 500 });
  });
  after(async () => {
    await t.dispose();
    for (const name of sharedNames)
      await docker
        .getVolume(name)
        .remove()
        .catch(() => {});
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function stopAndClean(a: TaskAssignment): Promise<void> {
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: a.version + 1 });
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    const deadline = Date.now() + 15_000;
    while (!t.engine.task(a.taskArn)?.cleanedAt && Date.now() < deadline) await sleep(100);
    assert.ok(t.engine.task(a.taskArn)?.cleanedAt, 'cleaned up');
    t.engine.acknowledge(a.taskArn, stopped.seq);
  }

  test('sidecar: one container writes into a host bind volume, another reads it read-only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'longshore-sidecar-'));
    dirs.push(dir);
    const a = assignment(
      'sidecar-bind',
      [
        {
          name: 'app',
          command: [
            'sh',
            '-c',
            'for i in $(seq 1 100); do echo "line $i" >> /logs/app.log; sleep 0.05; done; exec sleep 600',
          ],
          mountPoints: [{ sourceVolume: 'logs', containerPath: '/logs' }],
          linuxParameters: INIT,
        },
        {
          name: 'shipper',
          // Ships what the app wrote, and shows that its read-only mount refuses writes.
          command: [
            'sh',
            '-c',
            'until grep -q "line 100" /logs/app.log 2>/dev/null; do sleep 0.1; done; echo "shipped $(wc -l < /logs/app.log)"; touch /logs/x 2>/dev/null && echo writable || echo read-only; exec sleep 600',
          ],
          mountPoints: [{ sourceVolume: 'logs', containerPath: '/logs', readOnly: true }],
          linuxParameters: INIT,
        },
      ],
      { volumes: [{ name: 'logs', host: { sourcePath: dir } }] },
    );
    await t.engine.apply(a);
    await t.reports.status(a.taskArn, 'RUNNING');
    const lines = await taskLogs(a.taskArn, (l) => l.some((x) => /read-only|writable/.test(x)), 20_000);
    assert.ok(lines.includes('shipper: shipped 100'), lines.join('\n'));
    assert.ok(lines.includes('shipper: read-only'), lines.join('\n'));
    // The bind is the host directory itself: the host sees the app's writes.
    assert.match(await readFile(join(dir, 'app.log'), 'utf8'), /^line 1\n[\s\S]*line 100\n$/);
    await stopAndClean(a);
    // Bind mounts are the user's: cleanup leaves the directory and its content.
    assert.match(await readFile(join(dir, 'app.log'), 'utf8'), /line 100/);
  });

  test('a volume without sourcePath is an empty task-scoped volume; volumesFrom read-only', async () => {
    const a = assignment(
      'scratch',
      [
        {
          name: 'writer',
          command: [
            'sh',
            '-c',
            'n=$(ls -A /scratch | wc -l); echo $n > /scratch/count; echo hello > /scratch/note; exec sleep 600',
          ],
          mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
          linuxParameters: INIT,
        },
        {
          name: 'reader',
          command: [
            'sh',
            '-c',
            'until [ -f /scratch/note ]; do sleep 0.1; done; echo "count $(cat /scratch/count) note $(cat /scratch/note)"; touch /scratch/y 2>/dev/null && echo writable || echo read-only; exec sleep 600',
          ],
          volumesFrom: [{ sourceContainer: 'writer', readOnly: true }],
          dependsOn: [{ containerName: 'writer', condition: 'START' }],
          linuxParameters: INIT,
        },
      ],
      { volumes: [{ name: 'scratch', host: {} }] },
    );
    await t.engine.apply(a);
    const running = await t.reports.status(a.taskArn, 'RUNNING');
    const lines = await taskLogs(
      a.taskArn,
      (l) => l.some((x) => /reader: (read-only|writable)/.test(x)),
      20_000,
    );
    assert.ok(lines.includes('reader: count 0 note hello'), lines.join('\n'));
    assert.ok(lines.includes('reader: read-only'), lines.join('\n'));
    const writer = running.containers.find((c) => c.name === 'writer')!;
    const volume = (await docker.getContainer(writer.runtimeId!).inspect()).Mounts[0].Name!;
    const taskId = a.taskArn.split('/').at(-1)!;
    // Named for the task, as the ECS agent names its task volumes (ecs-family-revision-volume-...).
    assert.equal(volume, `ecs-scratch-1-scratch-${taskId}`);
    const labels = (await docker.getVolume(volume).inspect()).Labels ?? {};
    assert.equal(labels['com.amazonaws.ecs.task-arn'], a.taskArn);
    await stopAndClean(a);
    await assert.rejects(docker.getVolume(volume).inspect(), /no such volume/i);
  });

  test('a shared volume survives task replacement; the task-scoped one of each task is removed', async () => {
    const shared = `longshore-test-keep-${uniqueId()}`;
    sharedNames.push(shared);
    const def = (n: number) =>
      assignment(
        'replace',
        [
          {
            name: 'app',
            command: ['sh', '-c', `echo run-${n} >> /keep/runs; echo mine > /tmp-vol/x; exec sleep 600`],
            mountPoints: [
              { sourceVolume: shared, containerPath: '/keep' },
              { sourceVolume: 'scratch', containerPath: '/tmp-vol' },
            ],
            linuxParameters: INIT,
          },
        ],
        {
          volumes: [
            {
              name: shared,
              dockerVolumeConfiguration: {
                scope: 'shared',
                autoprovision: true,
                driver: 'local',
                labels: { app: 'replace' },
              },
            },
            {
              name: 'scratch',
              dockerVolumeConfiguration: { scope: 'task', driver: 'local', labels: { kind: 'scratch' } },
            },
          ],
        },
      );
    const scratchOf = (a: TaskAssignment) => `ecs-replace-1-scratch-${a.taskArn.split('/').at(-1)}`;
    const first = def(1);
    await t.engine.apply(first);
    await t.reports.status(first.taskArn, 'RUNNING');
    assert.equal((await docker.getVolume(scratchOf(first)).inspect()).Labels?.kind, 'scratch');
    await stopAndClean(first);
    await assert.rejects(docker.getVolume(scratchOf(first)).inspect());
    assert.deepEqual((await docker.getVolume(shared).inspect()).Labels, { app: 'replace' });

    // The replacement finds what the first task wrote.
    const second = def(2);
    second.containers[0].definition.command = ['sh', '-c', 'cat /keep/runs; exec sleep 600'];
    await t.engine.apply(second);
    await t.reports.status(second.taskArn, 'RUNNING');
    const lines = await taskLogs(second.taskArn, (l) => l.includes('app: run-1'));
    assert.ok(lines.includes('app: run-1'), lines.join('\n'));
    await stopAndClean(second);
    await assert.rejects(docker.getVolume(scratchOf(second)).inspect());
    await docker.getVolume(shared).inspect();
  });

  test('shared volume errors: missing without autoprovision, existing with other labels or options', async () => {
    const missing = `longshore-test-missing-${uniqueId()}`;
    const a = assignment(
      'noauto',
      [
        {
          name: 'app',
          command: ['sleep', '600'],
          mountPoints: [{ sourceVolume: missing, containerPath: '/v' }],
        },
      ],
      {
        volumes: [{ name: missing, dockerVolumeConfiguration: { scope: 'shared', autoprovision: false } }],
      },
    );
    await t.engine.apply(a);
    const stopped = await t.reports.status(a.taskArn, 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.equal(
      stopped.stoppedReason,
      `CannotCreateVolumeError: initialize volume: volume detection failed, volume '${missing}' does not exist and autoprovision is set to false: get ${missing}: no such volume`,
    );
    await assert.rejects(docker.getVolume(missing).inspect());

    const existing = `longshore-test-existing-${uniqueId()}`;
    sharedNames.push(existing);
    await docker.createVolume({ Name: existing, Driver: 'local', Labels: { team: 'a' } });
    const mismatch = (config: object) =>
      assignment(
        'mismatch',
        [
          {
            name: 'app',
            command: ['sleep', '600'],
            mountPoints: [{ sourceVolume: existing, containerPath: '/v' }],
          },
        ],
        {
          volumes: [
            {
              name: existing,
              dockerVolumeConfiguration: { scope: 'shared', autoprovision: true, ...config },
            },
          ],
        },
      );
    const labels = mismatch({ labels: { team: 'b' } });
    await t.engine.apply(labels);
    assert.equal(
      (await t.reports.status(labels.taskArn, 'STOPPED')).stoppedReason,
      'CannotCreateVolumeError: intialize volume: non-autoprovisioned volume does not match existing volume labels: existing: map[team:a], expected: map[team:b]',
    );
    const options = mismatch({ labels: { team: 'a' }, driverOpts: { type: 'tmpfs', device: 'tmpfs' } });
    await t.engine.apply(options);
    assert.equal(
      (await t.reports.status(options.taskArn, 'STOPPED')).stoppedReason,
      'CannotCreateVolumeError: initialize volume: non-autoprovisioned volume does not match existing volume options: existing: map[], expected: map[device:tmpfs type:tmpfs]',
    );
    // The same labels and options: it runs, and the volume is left as it was.
    const same = mismatch({ labels: { team: 'a' } });
    await t.engine.apply(same);
    await t.reports.status(same.taskArn, 'RUNNING');
    await stopAndClean(same);
    assert.deepEqual((await docker.getVolume(existing).inspect()).Labels, { team: 'a' });
  });
});
