/**
 * A task engine in a child process (fixtures/engine-child.ts) for the kill -9 tests: start one on
 * a state directory, send it assignments and firewalls, read its reports, kill it with SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TaskAssignment, TaskFirewall, TaskReport } from '../../src/core/agent-protocol.ts';
import { Reports } from './docker-helpers.ts';

const CHILD = new URL('./fixtures/engine-child.ts', import.meta.url).pathname;
/** Starting a child engine is a Node start plus Docker calls: well under this. */
const CHILD_READY_TIMEOUT_MS = 15_000;

export interface ChildEngine {
  process: ChildProcess;
  reports: Reports;
  /** Resolves once the child has applied `a`. */
  apply(a: TaskAssignment): Promise<void>;
  /** Resolves once the child has applied the firewall. */
  firewall(taskArn: string, fw: TaskFirewall, revision: string): Promise<void>;
}

/** Starts an engine on `dataDir` as container instance `arn`; resolves once it is ready. */
export async function startChildEngine(dataDir: string, arn: string): Promise<ChildEngine> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CHILD], {
    env: { ...process.env, DATA_DIR: dataDir, INSTANCE_ARN: arn },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const reports = new Reports();
  // The child handles its stdin lines one at a time, in order: each `applied` answers the oldest send.
  const waiting: (() => void)[] = [];
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child engine did not start')), CHILD_READY_TIMEOUT_MS);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    child.once('exit', (code) => reject(new Error(`child engine exited early (${code})`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { type: string; report?: TaskReport };
    if (message.type === 'ready') onReady();
    if (message.type === 'report') reports.push(message.report!);
    if (message.type === 'applied') waiting.shift()?.();
  });
  await ready;
  const send = (message: object) =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    });
  return {
    process: child,
    reports,
    apply: (assignment) => send({ type: 'apply', assignment }),
    firewall: (taskArn, fw, revision) => send({ type: 'firewall', taskArn, firewall: fw, revision }),
  };
}

/** SIGKILLs the child (unless it already exited) and waits for it to exit. */
export async function kill9(child: ChildEngine): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}
