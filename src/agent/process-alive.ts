/** Whether a process id on this host belongs to a live process: how stale locks and rules are told apart. */
import { readFileSync } from 'node:fs';

/**
 * `process.kill(pid, 0)` sends nothing and only checks: ESRCH means no such process, EPERM means it
 * exists but belongs to another user (alive). A zombie (killed, not yet reaped by its parent: an
 * orphan under a container's PID 1 that never reaps) still answers the check, so on Linux its state
 * in /proc/PID/stat is read too: Z (zombie) and X (dead) count as gone.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

function zombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (not Linux): the kill check is all there is.
    return false;
  }
  // "PID (COMMAND) STATE ...": COMMAND may itself hold spaces and parentheses, so read after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
