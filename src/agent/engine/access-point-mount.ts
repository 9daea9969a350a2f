/**
 * An EFS access point's POSIX user, enforced as EFS enforces it: every file created through the
 * access point is owned by its uid/gid, whatever user the container runs as (EFS replaces the NFS
 * client's identity with the access point's; ECS does not change the container's user). Here a
 * bindfs (FUSE) mount of the access point's root directory does the mapping: `--create-for-*`
 * gives new files the access point's owner on the backing storage, `--force-*` shows every file as
 * owned by it. The mount lives at `<agent data dir>/efs-mounts/<task id>/<volume>` and is removed
 * at cleanup, or at the next start for a task that is gone (a kill -9 leaves the bindfs daemon
 * and its mount behind: the running containers still use it).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** bindfs mounts in milliseconds; a hung FUSE setup must not hold a task in PROVISIONING. */
const MOUNT_TIMEOUT_MS = 15_000;
const MOUNTS_DIR = 'efs-mounts';

export class AccessPointMountError extends Error {
  override name = 'AccessPointMountError';
}

export interface PosixUser {
  uid: number;
  gid: number;
  secondaryGids?: number[];
}

/** Mounts `dir` at `mountPoint` with the user's identity (idempotent: a retry reuses a live mount). */
export async function mountAccessPoint(dir: string, user: PosixUser, mountPoint: string): Promise<string> {
  if ((await mountedUnder(mountPoint)).includes(mountPoint)) return mountPoint;
  await mkdir(mountPoint, { recursive: true });
  const args = [
    '-o',
    'allow_other',
    `--force-user=${user.uid}`,
    `--force-group=${user.gid}`,
    `--create-for-user=${user.uid}`,
    `--create-for-group=${user.gid}`,
    // chown/chgrp through the access point keep the access point's owner, as on EFS.
    '--chown-ignore',
    '--chgrp-ignore',
    dir,
    mountPoint,
  ];
  try {
    await run('bindfs', args, { timeout: MOUNT_TIMEOUT_MS });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const detail =
      e.code === 'ENOENT'
        ? 'bindfs is not installed on this host (apt-get install bindfs): it enforces access points with a POSIX user'
        : (e.stderr?.trim() ?? e.message);
    throw new AccessPointMountError(
      `failed to invoke EFS utils commands to set up EFS volumes: stderr: ${detail}`,
    );
  }
  return mountPoint;
}

/** Unmounts and removes the task's access-point mounts (nothing to do when it has none). */
export async function unmountTaskAccessPoints(dataDir: string, taskId: string): Promise<void> {
  const base = join(dataDir, MOUNTS_DIR, taskId);
  for (const mount of await mountedUnder(base)) await unmount(mount);
  // rmdir, never a recursive rm: should a mount have escaped the table, a recursive removal would
  // delete the file system's data through it; rmdir of a mount point fails instead (EBUSY).
  for (const name of await readdir(base).catch(() => [])) await rmdir(join(base, name));
  await rmdir(base).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** At start: the mounts of tasks the engine no longer knows. Returns the task ids cleaned. */
export async function unmountOrphanAccessPoints(
  dataDir: string,
  known: (taskId: string) => boolean,
): Promise<string[]> {
  const base = join(dataDir, MOUNTS_DIR);
  const ids = new Set<string>();
  for (const mount of await mountedUnder(base)) {
    const id = mount.slice(base.length + 1).split('/')[0];
    if (id && !known(id)) ids.add(id);
  }
  for (const id of ids) await unmountTaskAccessPoints(dataDir, id);
  return [...ids];
}

async function unmount(path: string): Promise<void> {
  try {
    await run('umount', [path], { timeout: MOUNT_TIMEOUT_MS });
  } catch {
    // Still busy (a container the agent does not own holds it): detach it now, freed when unused.
    await run('umount', ['-l', path], { timeout: MOUNT_TIMEOUT_MS });
  }
}

/** Mount points at or below `prefix`, deepest first (from /proc/self/mountinfo, octal escapes decoded). */
export async function mountedUnder(prefix: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))))
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}
