/**
 * The host commands awsvpc runs (`ip`, `nsenter`, `iptables-save`, `iptables-restore`): one place
 * that spawns them, with input on stdin, a timeout, and the command's stderr in the error.
 */
import { spawn } from 'node:child_process';

/** Each of these answers in milliseconds; a hung one must not hold a task's actor. */
const COMMAND_TIMEOUT_MS = 10_000;

/** Paths of the host commands; each defaults to its name on PATH. */
export interface HostCommands {
  ip?: string;
  nsenter?: string;
  iptablesSave?: string;
  iptablesRestore?: string;
}

/** A command that exited non-zero: `stderr` says why (`File exists`, `Cannot find device` ...). */
export class CommandError extends Error {
  readonly stderr: string;

  constructor(message: string, stderr: string) {
    super(message);
    this.stderr = stderr;
  }
}

/** Runs `command args` with `input` on stdin; resolves to its stdout. */
export function runCommand(command: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(stdout);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      reject(new CommandError(`${command} ${args.join(' ')} failed (${why}): ${stderr.trim()}`, stderr));
    });
    child.stdin.on('error', () => {
      // EPIPE when the command died early: its exit reports the failure.
    });
    child.stdin.end(input);
  });
}
