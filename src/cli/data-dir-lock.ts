/**
 * An exclusive lock on a data directory, so that two processes never share one (two agents that
 * share a directory take over each other's container instance; two control planes, its database).
 *
 * The lock is a file holding the owner's pid and host, created atomically: written under a
 * temporary name, then hard-linked to `longshore.lock` (link fails with EEXIST when the lock
 * exists, and the lock never appears half-written). A lock whose pid is dead on this host is stale
 * (kill -9 leaves one) and is taken over; the takeover itself is serialized by an O_EXCL file, so
 * two newcomers cannot both remove a stale lock and one of them remove the other's fresh lock.
 * Released on stop and on process exit.
 *
 * Why not the npm `proper-lockfile` (installable here): its locks go stale by age (a directory
 * whose mtime a timer refreshes), so a lock killed with -9 blocks for its stale period, a blocked
 * event loop makes a live lock look stale, and it cannot say which process holds it.
 */
import {
  linkSync,
  openSync,
  closeSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  mkdirSync,
  statSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../agent/process-alive.ts';

export const LOCK_FILE = 'longshore.lock';
/** A takeover takes microseconds; one older than this was left by a process that died during it. */
const TAKEOVER_STALE_MS = 5_000;
/** Tries at taking the lock: a takeover in progress elsewhere makes one try fail. */
const ATTEMPTS = 50;
const ATTEMPT_PAUSE_MS = 20;

interface LockOwner {
  pid: number;
  hostname: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if this process still holds it; idempotent. */
  release(): void;
}

/** Thrown when another live process holds the directory. */
export class DataDirLockedError extends Error {}

/**
 * Lock files held by this process, with their release: a second lock of the same directory in this
 * process is refused too, and one exit handler releases them all.
 */
const held = new Map<string, () => void>();
const releaseAll = () => {
  for (const release of [...held.values()]) release();
};

/**
 * Takes the lock on `dir` (created if missing) or throws DataDirLockedError naming the directory,
 * the pid that holds it and `flag`, the option that picks another directory.
 */
export function lockDataDir(dir: string, flag = '--data-dir'): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: hostname() };
  for (let attempt = 1; ; attempt++) {
    if (tryCreate(path, me)) break;
    const owner = readOwner(path);
    if (owner && isLive(owner, path)) throw lockedError(dir, owner, flag);
    // A lock that vanished meanwhile needs no takeover; one with no readable owner is stale.
    if (owner !== undefined || exists(path)) takeOver(path, owner);
    if (attempt >= ATTEMPTS) throw new Error(`could not lock ${dir}: ${path} keeps changing; try again`);
    sleepSync(ATTEMPT_PAUSE_MS);
  }
  const release = () => {
    if (!held.delete(path)) return;
    if (held.size === 0) process.off('exit', releaseAll);
    const owner = readOwner(path);
    if (owner?.pid === me.pid && owner.hostname === me.hostname) unlinkQuietly(path);
  };
  if (held.size === 0) process.on('exit', releaseAll);
  held.set(path, release);
  return { path, release };
}

/** Creates the lock with our content, atomically; false when a lock exists. */
function tryCreate(path: string, me: LockOwner): boolean {
  const tmp = `${path}.${me.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(me)}\n`);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkQuietly(tmp);
  }
}

/** The lock's owner; undefined when the file is gone, or unreadable (treated as stale). */
function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.hostname === 'string')
      return { pid: owner.pid, hostname: owner.hostname };
  } catch {
    // Missing or not ours to parse: stale (the file is only ever written whole, by link).
  }
  return undefined;
}

/**
 * Another host's pid cannot be checked (a data directory on a shared file system): live until
 * someone removes the file. Our own pid is live only if this process holds the lock (a pid reused
 * after a container restart is not).
 */
function isLive(owner: LockOwner, path: string): boolean {
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return held.has(path);
  return processAlive(owner.pid);
}

/** Removes a stale lock, unless another process is doing the same (then the caller tries again). */
function takeOver(path: string, stale: LockOwner | undefined): void {
  const guard = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (Date.now() - mtimeOf(guard) > TAKEOVER_STALE_MS) unlinkQuietly(guard);
    return;
  }
  try {
    // Still the stale lock we saw (not one a faster newcomer just took)?
    const now = readOwner(path);
    if (now?.pid === stale?.pid && now?.hostname === stale?.hostname) unlinkQuietly(path);
  } finally {
    closeSync(fd);
    unlinkQuietly(guard);
  }
}

function lockedError(dir: string, owner: LockOwner, flag: string): DataDirLockedError {
  const where =
    owner.hostname === hostname() ? `pid ${owner.pid}` : `pid ${owner.pid} on host ${owner.hostname}`;
  return new DataDirLockedError(
    `data directory ${dir} is in use by another longshore process (${where}); stop that process, or give this one its own directory with ${flag} DIR` +
      (owner.hostname === hostname() ? '' : ` (if that process is gone, remove ${join(dir, LOCK_FILE)})`),
  );
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Lock taking is synchronous (it runs once, before anything starts): a short blocking pause. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
