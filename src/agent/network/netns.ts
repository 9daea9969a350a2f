/**
 * Commands run inside a task's network namespace, entered through its pause container's process
 * (`nsenter --net=/proc/<pid>/ns/net`): the host's own iptables binaries, acting on the namespace's
 * tables only. Nothing is installed on the host, and the rules die with the namespace.
 */
import { spawn } from 'node:child_process';

/** iptables-restore of a few dozen rules takes milliseconds; a hung one must not hold the task's actor. */
const RESTORE_TIMEOUT_MS = 10_000;
/** `-w`: wait for the xtables lock (dockerd and other agents take it) instead of failing. */
const LOCK_WAIT_SECONDS = '5';

export interface NetnsOptions {
  /** Default `nsenter` on PATH. */
  nsenter?: string;
  /** Default `iptables-restore` on PATH. */
  iptablesRestore?: string;
}

/** Replaces the filter table of the namespace of process `pid` with `input` (iptables-restore syntax). */
export function restoreFilterTable(pid: number, input: string, o: NetnsOptions = {}): Promise<void> {
  const args = [
    `--net=/proc/${pid}/ns/net`,
    o.iptablesRestore ?? 'iptables-restore',
    '-w',
    LOCK_WAIT_SECONDS,
  ];
  return runWithInput(o.nsenter ?? 'nsenter', args, input);
}

function runWithInput(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'], timeout: RESTORE_TIMEOUT_MS });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      reject(new Error(`${command} ${args.join(' ')} failed (${why}): ${stderr.trim()}`));
    });
    child.stdin.on('error', () => {
      // EPIPE when the command died early: its exit reports the failure.
    });
    child.stdin.end(input);
  });
}
