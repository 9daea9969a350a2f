/**
 * Restart safety: the engine runs in a child process, is killed with SIGKILL, and a new engine on
 * the same state dir re-adopts its containers (never restarting them) and reports what changed
 * meanwhile exactly once, continuing each task's seq.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TaskState } from '../../src/agent/engine/task-state.ts';
import { type ChildEngine, kill9, startChildEngine } from './child-engine.ts';
import {
  assignment,
  docker,
  ensureDocker,
  instanceArn,
  removeLabelled,
  sleep,
  uniqueId,
} from './docker-helpers.ts';

const arn = instanceArn(uniqueId());
let dataDir = '';
const children: ChildEngine[] = [];

after(async () => {
  for (const c of children) await kill9(c);
  await removeLabelled(arn);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('kill -9 and restart: containers are re-adopted, exits meanwhile reported once', {
  timeout: 90_000,
}, async () => {
  await ensureDocker();
  dataDir = await mkdtemp(join(tmpdir(), 'longshore-restart-'));
  const init = { initProcessEnabled: true };
  const keep = assignment('keep', [{ name: 'app', command: ['sleep', '600'], linuxParameters: init }]);
  const exiter = assignment('exiter', [
    {
      name: 'app',
      command: ['sh', '-c', 'while [ ! -e /tmp/stop ]; do sleep 0.1; done; exit 7'],
      linuxParameters: init,
    },
  ]);
  const byName = assignment('byname', [{ name: 'app', command: ['sleep', '600'], linuxParameters: init }]);

  const first = await startChildEngine(dataDir, arn);
  children.push(first);
  for (const a of [keep, exiter, byName]) await first.apply(a);
  const running = await Promise.all(
    [keep, exiter, byName].map((a) => first.reports.status(a.taskArn, 'RUNNING')),
  );
  const [keepId, exiterId, byNameId] = running.map((r) => r.containers[0].runtimeId!);
  const keepStartedAt = (await docker.getContainer(keepId).inspect()).State.StartedAt;
  const lastSeq = (taskArn: string) => first.reports.for(taskArn).at(-1)!.seq;
  const seqBefore = {
    keep: lastSeq(keep.taskArn),
    exiter: lastSeq(exiter.taskArn),
    byName: lastSeq(byName.taskArn),
  };

  await kill9(first);

  // While no engine runs: one container exits, and one task's state looks as if the engine died
  // right after `docker create` returned but before it recorded the container id.
  const exec = await docker.getContainer(exiterId).exec({ Cmd: ['touch', '/tmp/stop'] });
  await exec.start({});
  const waited = (await docker.getContainer(exiterId).wait()) as { StatusCode: number };
  assert.equal(waited.StatusCode, 7);
  const file = join(dataDir, 'tasks', `${byName.taskArn.split('/').at(-1)}.json`);
  const saved = JSON.parse(await readFile(file, 'utf8')) as { task: TaskState };
  delete saved.task.containers[0].runtimeId;
  saved.task.containers[0].known = 'PULLED';
  await writeFile(file, JSON.stringify(saved));

  const second = await startChildEngine(dataDir, arn);
  children.push(second);
  const stopped = await second.reports.status(exiter.taskArn, 'STOPPED');
  assert.equal(stopped.containers[0].exitCode, 7);
  assert.equal(stopped.containers[0].runtimeId, exiterId);
  assert.equal(stopped.stopCode, 'EssentialContainerExited');
  assert.equal(stopped.seq, seqBefore.exiter + 1);

  await sleep(1000);
  assert.equal(second.reports.for(exiter.taskArn).length, 1, 'the exit is reported exactly once');
  assert.equal(second.reports.for(keep.taskArn).length, 0, 'nothing changed for the running task');
  assert.equal(second.reports.for(byName.taskArn).length, 0, 'the container found by name is the same one');
  const keepInfo = await docker.getContainer(keepId).inspect();
  assert.equal(keepInfo.State.Running, true);
  assert.equal(keepInfo.State.StartedAt, keepStartedAt, 'the running container was not restarted');
  assert.equal((await docker.getContainer(byNameId).inspect()).State.Running, true);

  // The new engine drives the adopted tasks: stopping them works and seqs carry on.
  await second.apply({ ...keep, desiredStatus: 'STOPPED', version: 2 });
  await second.apply({ ...byName, desiredStatus: 'STOPPED', version: 2 });
  const keepStopped = await second.reports.status(keep.taskArn, 'STOPPED');
  const byNameStopped = await second.reports.status(byName.taskArn, 'STOPPED');
  assert.equal(keepStopped.containers[0].runtimeId, keepId);
  assert.equal(keepStopped.containers[0].exitCode, 143);
  assert.equal(byNameStopped.containers[0].runtimeId, byNameId);
  assert.ok(second.reports.for(keep.taskArn)[0].seq === seqBefore.keep + 1);
  await kill9(second);
});
