/** Runs `longshore <command>` as a child process and waits for its "ready" banner. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { STALL_MESSAGE } from '../../src/cli/stall-monitor.ts';
import { TEST_CREDENTIALS } from './control-plane.ts';

export const NODE = process.execPath;
export const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export interface CliProcess {
  child: ChildProcess;
  endpoint: string;
  output: () => string;
}

/** A `longshore` child process and everything it printed (stdout and stderr, interleaved). */
export interface CliRun {
  child: ChildProcess;
  output(): string;
}

/**
 * Spawns `longshore <args>` with the test credentials (and `env`), collecting its output. `via`
 * runs it through a wrapper command (`['nsenter', '--net=/var/run/netns/x']`: on another "host").
 */
export function spawnCli(args: string[], env: Record<string, string> = {}, via: string[] = []): CliRun {
  const command = [...via, NODE, '--disable-warning=ExperimentalWarning', MAIN, ...args];
  const child = spawn(command[0], command.slice(1), {
    env: {
      ...process.env,
      LONGSHORE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      LONGSHORE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  return { child, output: () => out };
}

/** Starts `longshore <args>` (through `via`, as `spawnCli`) and resolves once it prints its endpoint (bounded by `timeoutMs`). */
export async function startCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 15_000,
  via: string[] = [],
): Promise<CliProcess> {
  const { child, output } = spawnCli(args, env, via);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /endpoint:\s+(\S+)/.exec(output());
    if (m) return { child, endpoint: m[1], output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`longshore ${args.join(' ')} did not become ready:\n${output()}`);
}

/**
 * Stops the process and returns its exit code. Fails when the process logged an event-loop stall
 * (the CLI's stall monitor): the harness's watchdog for child processes.
 */
export async function stopCli(p: CliProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  let code = p.child.exitCode;
  if (code === null) {
    p.child.kill(signal);
    [code] = (await once(p.child, 'exit')) as [number | null];
  }
  const stall = p
    .output()
    .split('\n')
    .find((line) => line.includes(STALL_MESSAGE));
  if (stall) throw new Error(`longshore ${p.child.spawnargs.slice(2).join(' ')}: ${stall}`);
  return code;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
