/**
 * The pause image: the process that holds an awsvpc task's network namespace. The agent makes it
 * itself when the engine lacks it (no registry may be reachable): the host's static BusyBox in a
 * one-layer image, `docker import`ed. Its command waits forever and exits at once on SIGTERM (as
 * PID 1 it would otherwise ignore the signal and be killed only after the stop timeout).
 */
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { tarArchive } from './tar.ts';

export const PAUSE_IMAGE = 'longshore/pause:1';
/** Debian's busybox-static installs a static binary here. */
export const DEFAULT_BUSYBOX = '/bin/busybox';
/** `wait` returns when a trapped signal arrives, so the trap runs at once. */
export const PAUSE_COMMAND = [
  '/bin/sh',
  '-c',
  "trap 'exit 0' TERM INT; while :; do sleep 86400 & wait $!; done",
] as const;

export class PauseImageError extends Error {}

/**
 * Makes sure `PAUSE_IMAGE` is in the engine; builds and imports it from `busybox` when not.
 * Rejects with a PauseImageError (the task's ResourceInitializationError) when neither exists.
 */
export async function ensurePauseImage(runtime: ContainerRuntime, busybox = DEFAULT_BUSYBOX): Promise<void> {
  if (await runtime.inspectImage(PAUSE_IMAGE)) return;
  try {
    await access(busybox, constants.X_OK);
  } catch {
    throw new PauseImageError(
      `the pause image ${PAUSE_IMAGE} is not in the Docker engine and ${busybox} (a static BusyBox) is missing to build it: install busybox-static, or load an image tagged ${PAUSE_IMAGE} whose /bin/sh can run "sleep"`,
    );
  }
  const archive = tarArchive([
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: await readFile(busybox), mode: 0o755 },
    { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    { type: 'symlink', path: 'bin/sleep', target: 'busybox' },
    ...['etc', 'proc', 'sys', 'dev', 'tmp'].map((path) => ({ type: 'dir' as const, path })),
  ]);
  const [repo, tag] = PAUSE_IMAGE.split(':');
  await runtime.importImage(archive, {
    repo,
    tag,
    changes: ['ENV PATH=/bin', `CMD ${JSON.stringify(PAUSE_COMMAND)}`],
  });
}
