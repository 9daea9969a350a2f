/**
 * The Docker daemon restarts while a task runs (on a private dockerd, so other tests are not
 * disturbed): nothing gets stuck, what the restart did to containers is reported, and the engine
 * keeps working afterwards.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DockerRuntime } from '../../src/agent/docker/docker-runtime.ts';
import { assignment, ensureDocker, startEngine, TEST_IMAGE, type TestEngine } from './docker-helpers.ts';
import { PrivateDockerd } from './private-dockerd.ts';

let dockerd: PrivateDockerd | undefined;
let t: TestEngine | undefined;

after(async () => {
  await t?.dispose();
  await dockerd?.destroy();
});

test('Docker daemon restart while a task runs', { timeout: 90_000 }, async () => {
  await ensureDocker();
  dockerd = new PrivateDockerd(await mkdtemp(join(tmpdir(), 'longshore-dockerd-')));
  await dockerd.start();
  await dockerd.loadImage(TEST_IMAGE);
  t = await startEngine({
    runtime: new DockerRuntime({ docker: { socketPath: dockerd.socket } }),
    metadataEndpoint: false,
    // A short retry budget: about 0.3 s of retries, then the step fails.
    dockerRetry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 200 },
  });
  const task = (family: string) =>
    assignment(
      family,
      [{ name: 'app', command: ['sleep', '600'], linuxParameters: { initProcessEnabled: true } }],
      {
        networkMode: 'none',
      },
    );

  const survivor = task('survivor');
  await t.engine.apply(survivor);
  await t.reports.status(survivor.taskArn, 'RUNNING');

  await dockerd.stop();
  // Assigned while the daemon is down: bounded retries, then STOPPED, never stuck in PENDING.
  const orphan = task('orphan');
  const assignedAt = Date.now();
  await t.engine.apply(orphan);
  const failed = await t.reports.status(orphan.taskArn, 'STOPPED', 10_000);
  assert.ok(Date.now() - assignedAt < 10_000);
  assert.equal(failed.stopCode, 'TaskFailedToStart');
  assert.match(failed.stoppedReason!, /^CannotPullContainerError: Cannot connect to the Docker daemon/);

  await dockerd.start();
  // dockerd stopped the running container on its way down (SIGTERM via the init process: 143,
  // or SIGKILL when the shutdown ran out of time: 137); once the event stream reconnects the
  // engine re-reads it and reports that exit code.
  const stopped = await t.reports.status(survivor.taskArn, 'STOPPED', 20_000);
  const exitCode = stopped.containers[0].exitCode;
  assert.ok(exitCode === 143 || exitCode === 137, `exit code ${exitCode}`);
  const info = await dockerd.client.getContainer(stopped.containers[0].runtimeId!).inspect();
  assert.equal(info.State.ExitCode, exitCode);
  assert.equal(stopped.stopCode, 'EssentialContainerExited');

  const after = task('after');
  await t.engine.apply(after);
  await t.reports.status(after.taskArn, 'RUNNING');
  await t.engine.apply({ ...after, desiredStatus: 'STOPPED', version: 2 });
  await t.reports.status(after.taskArn, 'STOPPED');
});
