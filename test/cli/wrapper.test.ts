/**
 * bin/longshore.mjs runs the CLI in a child Node: the child must not outlive the wrapper (kill -9
 * of the wrapper cannot be passed on), a Ctrl-C must reach it once (a clean shutdown, exit 0), and
 * the child's exit code must come out of the wrapper.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processAlive } from '../../src/agent/process-alive.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { NODE } from '../support/spawn-cli.ts';

const WRAPPER = new URL('../../bin/longshore.mjs', import.meta.url).pathname;
/** The child notices the wrapper's death through its IPC channel: milliseconds; this is the bound. */
const ORPHAN_EXIT_MS = 2_000;

interface Wrapped {
  wrapper: ChildProcess;
  output(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Starts the wrapper in a process group of its own, as a shell starts a foreground job. */
function wrapped(args: string[]): Wrapped {
  const wrapper = spawn(NODE, [WRAPPER, ...args], {
    env: {
      ...process.env,
      LONGSHORE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      LONGSHORE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  wrapper.stdout?.on('data', (d) => {
    out += String(d);
  });
  wrapper.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exited = once(wrapper, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { wrapper, output: () => out, exited };
}

async function ready(w: Wrapped, pattern = /Local agent: container instance/): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (!pattern.test(w.output())) {
    if (w.wrapper.exitCode !== null || Date.now() > deadline)
      throw new Error(`not ready (exit ${w.wrapper.exitCode}):\n${w.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return /endpoint:\s+(\S+)/.exec(w.output())![1];
}

/** The wrapper's child: the Node process running src/cli/main.ts. */
function childOf(pid: number): number {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  const pids = out.split('\n').map(Number).filter(Boolean);
  assert.equal(pids.length, 1, `one child of ${pid}: ${out}`);
  return pids[0];
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('bin/longshore.mjs', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-wrapper-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const up = () => wrapped(['up', '--port', '0', '--metadata-port', '0', '--data-dir', dataDir()]);

  it('kill -9 of the wrapper: the child and its port are gone within 2 s', async () => {
    const w = up();
    const port = Number(new URL(await ready(w)).port);
    const child = childOf(w.wrapper.pid!);
    w.wrapper.kill('SIGKILL');
    await w.exited;
    try {
      const deadline = Date.now() + ORPHAN_EXIT_MS;
      while (processAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(
        processAlive(child),
        false,
        `child ${child} still runs ${ORPHAN_EXIT_MS} ms after its wrapper died`,
      );
      assert.equal(await portFree(port), true, `port ${port} is free again`);
    } finally {
      // An orphan would hold this test's pipes open (and the port) forever.
      if (processAlive(child)) process.kill(child, 'SIGKILL');
    }
  });

  it('Ctrl-C (SIGINT to the process group) shuts down cleanly, once, with exit code 0', async () => {
    const w = wrapped([
      'up',
      '--port',
      '0',
      '--metadata-port',
      '0',
      '--data-dir',
      dataDir(),
      '--log-level',
      'info',
    ]);
    await ready(w);
    process.kill(-w.wrapper.pid!, 'SIGINT');
    const [code] = await w.exited;
    assert.equal(code, 0, w.output());
    assert.equal(w.output().match(/SIGINT: shutting down/g)?.length, 1, w.output());
    assert.doesNotMatch(w.output(), /second signal/);
  });

  it('SIGTERM to the wrapper shuts the child down cleanly, with exit code 0', async () => {
    const w = up();
    await ready(w);
    w.wrapper.kill('SIGTERM');
    const [code] = await w.exited;
    assert.equal(code, 0, w.output());
  });

  it("passes the child's exit code on, and 128 + the signal's number when a signal ended it", async () => {
    const usage = wrapped(['no-such-command']);
    assert.deepEqual(await usage.exited, [2, null]);
    const w = wrapped(['up', '--no-agent', '--port', '0', '--data-dir', dataDir()]);
    await ready(w, /endpoint:/);
    process.kill(childOf(w.wrapper.pid!), 'SIGKILL');
    assert.deepEqual(await w.exited, [137, null]);
  });
});
