/**
 * The `local` launcher: each instance is a `longshore agent` process on this machine, a separate
 * host as ECS sees it: its own data directory (`<dataDir>/<instance-id>/`, removed on terminate),
 * its own CPU and memory (the group's `longshore:cpu` / `longshore:memory`), its own dynamic host
 * port range, and the instance id as its EC2 instance id (LONGSHORE_INSTANCE_ID). The child is
 * started with an IPC channel, so it stops when the control plane ends, even by SIGKILL
 * (src/cli/parent-watch.ts); a control plane that restarts finds its instances dead and the group
 * replaces them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Launcher, LaunchRequest } from '../model/launcher.ts';
import type { LauncherEnv } from './launcher-env.ts';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'main.ts');
/** How long a terminated agent gets to stop its tasks before SIGKILL. */
const STOP_GRACE_MS = 10_000;
/** Host port ranges handed out per instance (agents sharing one Docker Engine must not collide). */
const PORT_BASE = 32768;
const PORT_BLOCK = 1000;
const PORT_BLOCKS = 28;

export class LocalLauncher implements Launcher {
  readonly #env: LauncherEnv;
  readonly #children = new Map<string, ChildProcess>();
  #nextBlock = 0;

  constructor(env: LauncherEnv) {
    this.#env = env;
  }

  async launch(r: LaunchRequest): Promise<Record<string, string>> {
    const dir = join(this.#env.dataDir, r.instanceId);
    mkdirSync(dir, { recursive: true });
    const block = this.#nextBlock++ % PORT_BLOCKS;
    const from = PORT_BASE + block * PORT_BLOCK;
    const args = [
      '--disable-warning=ExperimentalWarning',
      MAIN,
      'agent',
      '--endpoint',
      this.#env.endpoint(),
      '--region',
      r.region,
      '--cluster',
      r.spec.cluster,
      '--data-dir',
      dir,
      '--cpu',
      String(r.spec.cpu),
      '--memory',
      String(r.spec.memory),
      '--memory-reserve',
      '0',
      '--availability-zone',
      r.availabilityZone,
      '--instance-type',
      r.spec.instanceType,
      '--host-port-range',
      `${from}-${from + PORT_BLOCK - 1}`,
      '--runtime',
      r.spec.agentRuntime,
    ];
    const log = openSync(join(dir, 'agent.log'), 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, {
        stdio: ['ignore', log, log, 'ipc'],
        env: {
          ...process.env,
          LONGSHORE_ACCESS_KEY_ID: this.#env.credentials.accessKeyId,
          LONGSHORE_SECRET_ACCESS_KEY: this.#env.credentials.secretAccessKey,
          LONGSHORE_INSTANCE_ID: r.instanceId,
        },
      });
    } finally {
      closeSync(log);
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    // The channel only says "the parent is gone"; it must not keep this process alive.
    child.channel?.unref();
    child.unref();
    this.#children.set(r.instanceId, child);
    child.once('exit', (code, signal) =>
      this.#env.log.info({ instanceId: r.instanceId, code, signal }, 'local instance agent exited'),
    );
    return { pid: String(child.pid ?? ''), dataDir: dir };
  }

  async terminate(r: LaunchRequest, handle: Record<string, string>): Promise<void> {
    const child = this.#children.get(r.instanceId);
    this.#children.delete(r.instanceId);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    if (handle.dataDir) rmSync(handle.dataDir, { recursive: true, force: true });
  }

  alive(r: LaunchRequest): boolean {
    const child = this.#children.get(r.instanceId);
    // Not started by this process: it died with the control plane that started it.
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async close(): Promise<void> {
    const all = [...this.#children.values()];
    this.#children.clear();
    await Promise.all(
      all.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        return exited.finally(() => clearTimeout(timer));
      }),
    );
  }
}
