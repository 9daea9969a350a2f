/**
 * Agent kill -9 with volumes: the next engine re-adopts the running task with its volumes and
 * access-point mount in place (the container never restarted), removes what tasks that are gone
 * left (their task-scoped volumes and access-point mounts), and after the last task's cleanup
 * nothing of either is left.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mountedUnder } from '../../src/agent/engine/access-point-mount.ts';
import type { TaskAssignment } from '../../src/core/agent-protocol.ts';
import { type ChildEngine, kill9, startChildEngine } from './child-engine.ts';
import {
  assignment,
  docker,
  ensureDocker,
  instanceArn,
  removeLabelled,
  sleep,
  startEngine,
  type TestEngine,
  uniqueId,
} from './docker-helpers.ts';

const arn = instanceArn(uniqueId());
let dataDir = '';
let efsRoot = '';
const children: ChildEngine[] = [];
let second: TestEngine | undefined;

after(async () => {
  for (const c of children) await kill9(c);
  if (second) await second.dispose();
  await removeLabelled(arn);
  for (const m of dataDir ? await mountedUnder(dataDir) : []) await umount(m);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (efsRoot) await rm(efsRoot, { recursive: true, force: true });
});

async function umount(path: string): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise((resolve) => execFile('umount', ['-l', path], resolve));
}

/** A task with a task-scoped Docker volume and an EFS volume through an access point with a POSIX user. */
function volumeTask(family: string): TaskAssignment {
  const a = assignment(
    family,
    [
      {
        name: 'app',
        command: ['sh', '-c', 'echo up > /scratch/up; echo from-task > /efs/owned; exec sleep 600'],
        mountPoints: [
          { sourceVolume: 'scratch', containerPath: '/scratch' },
          { sourceVolume: 'data', containerPath: '/efs' },
        ],
        linuxParameters: { initProcessEnabled: true },
      },
    ],
    {
      volumes: [
        { name: 'scratch', dockerVolumeConfiguration: { scope: 'task', driver: 'local' } },
        {
          name: 'data',
          efsVolumeConfiguration: {
            fileSystemId: 'fs-0123456789abcdef0',
            authorizationConfig: { accessPointId: 'fsap-0123456789abcdef0' },
          },
        },
      ],
    },
  );
  a.efsVolumes = {
    data: {
      fileSystemId: 'fs-0123456789abcdef0',
      path: efsRoot,
      accessPoint: {
        accessPointId: 'fsap-0123456789abcdef0',
        posixUser: { uid: 1234, gid: 5678 },
        rootDirectory: {
          path: `/${family}`,
          creationInfo: { ownerUid: 1234, ownerGid: 5678, permissions: '750' },
        },
      },
    },
  };
  return a;
}

test('kill -9 with volumes: running task re-adopted with its mounts, gone tasks leave nothing', {
  timeout: 120_000,
}, async () => {
  await ensureDocker();
  dataDir = await mkdtemp(join(tmpdir(), 'longshore-volrestart-'));
  efsRoot = await mkdtemp(join(tmpdir(), 'longshore-efsroot-'));
  const keep = volumeTask('keep');
  const gone = volumeTask('gone');
  const first = await startChildEngine(dataDir, arn);
  children.push(first);
  for (const a of [keep, gone]) await first.apply(a);
  const running = await Promise.all([keep, gone].map((a) => first.reports.status(a.taskArn, 'RUNNING')));
  const keepId = running[0].containers[0].runtimeId!;
  const startedAt = (await docker.getContainer(keepId).inspect()).State.StartedAt;
  const idOf = (a: TaskAssignment) => a.taskArn.split('/').at(-1)!;
  const volumeOf = (a: TaskAssignment) => `ecs-${a.taskDefinition.family}-1-scratch-${idOf(a)}`;
  const mountOf = (a: TaskAssignment) => join(dataDir, 'efs-mounts', idOf(a), 'data');
  // The access point's root was made with CreationInfo, and the task's file has its owner.
  for (const a of [keep, gone]) {
    const root = await stat(join(efsRoot, a.taskDefinition.family!));
    assert.equal(root.uid, 1234);
    assert.equal(root.mode & 0o777, 0o750);
    const owned = await waitForFile(join(efsRoot, a.taskDefinition.family!, 'owned'));
    assert.deepEqual([owned.uid, owned.gid], [1234, 5678]);
    assert.deepEqual(await mountedUnder(mountOf(a)), [mountOf(a)]);
  }

  await kill9(first);
  // While no engine runs, "gone" disappears: its container is removed and its state file lost.
  await docker.getContainer(running[1].containers[0].runtimeId!).remove({ force: true });
  await rm(join(dataDir, 'tasks', `${idOf(gone)}.json`));

  second = await startEngine({ dataDir, containerInstanceArn: arn, taskCleanupWaitMs: 500 });
  // The gone task's volume and mount are removed at start; the kept task's are untouched.
  await assert.rejects(docker.getVolume(volumeOf(gone)).inspect(), /no such volume/i);
  assert.deepEqual(await mountedUnder(join(dataDir, 'efs-mounts', idOf(gone))), []);
  await docker.getVolume(volumeOf(keep)).inspect();
  assert.deepEqual(await mountedUnder(mountOf(keep)), [mountOf(keep)]);
  const info = await docker.getContainer(keepId).inspect();
  assert.equal(info.State.Running, true);
  assert.equal(info.State.StartedAt, startedAt, 'never restarted');
  // The re-adopted container still writes through its access-point mount.
  const exec = await docker.getContainer(keepId).exec({ Cmd: ['sh', '-c', 'echo again > /efs/after'] });
  await exec.start({});
  const after = await waitForFile(join(efsRoot, 'keep', 'after'));
  assert.deepEqual([after.uid, after.gid], [1234, 5678]);

  await second.engine.apply({ ...keep, desiredStatus: 'STOPPED', version: 2 });
  await second.reports.status(keep.taskArn, 'STOPPED');
  const deadline = Date.now() + 15_000;
  while (!second.engine.task(keep.taskArn)?.cleanedAt && Date.now() < deadline) await sleep(100);
  assert.ok(second.engine.task(keep.taskArn)?.cleanedAt, 'cleaned up');
  await assert.rejects(docker.getVolume(volumeOf(keep)).inspect(), /no such volume/i);
  assert.deepEqual(await mountedUnder(join(dataDir, 'efs-mounts')), []);
  const left = await docker.listVolumes({ filters: { label: [`longshore.instance=${arn}`] } });
  assert.deepEqual(left.Volumes ?? [], []);
  // The file system's data stays: it belongs to the file system, not the task.
  assert.equal(await readFile(join(efsRoot, 'keep', 'owned'), 'utf8'), 'from-task\n');
});

async function waitForFile(path: string): Promise<import('node:fs').Stats> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await stat(path);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
