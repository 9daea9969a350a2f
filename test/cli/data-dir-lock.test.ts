/**
 * One process per data directory: a second `longshore agent` (also when both use the default
 * directory) or a second `longshore up` on a directory in use exits non-zero, naming the directory,
 * the pid that holds it and the flag to pick another; after the holder is killed -9, a new one starts.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/cli/data-dir-lock.ts';
import { removeAgentContainers } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { spawnCli } from '../support/spawn-cli.ts';

/** A `longshore` process and everything it printed. */
interface Run {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

function longshore(args: string[], env: Record<string, string> = {}): Run {
  const run = spawnCli(args, env);
  const exited = once(run.child, 'exit').then(([code]) => code as number | null);
  return { ...run, exited };
}

async function waitForOutput(run: Run, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(run.output());
    if (m) return m;
    if (run.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no ${pattern} in the output (exit ${run.child.exitCode}):\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function kill9(run: Run): Promise<void> {
  run.child.kill('SIGKILL');
  await run.exited;
}

async function stop(run: Run): Promise<void> {
  if (run.child.exitCode !== null) return;
  run.child.kill('SIGTERM');
  await run.exited;
}

function lockedMessage(dir: string, pid: number): RegExp {
  return new RegExp(
    `data directory ${dir}\\S* is in use by another longshore process \\(pid ${pid}\\).*--data-dir`,
  );
}

describe('data directory lock', () => {
  let plane: TestPlane;
  const runs: Run[] = [];
  const arns: string[] = [];
  before(async () => {
    plane = await startTestPlane();
  });
  after(async () => {
    await Promise.all(runs.map(stop));
    await Promise.all(arns.map(removeAgentContainers));
    await plane.stop();
  });

  it('refuses a second agent on the default data directory, and starts after the first is killed -9', async () => {
    const home = mkdtempSync(join(tmpdir(), 'longshore-xdg-'));
    const env = { XDG_DATA_HOME: home };
    const args = ['agent', '--endpoint', plane.plane.endpoint, '--metadata-port', '0'];
    try {
      const first = longshore(args, env);
      runs.push(first);
      const [, arn] = await waitForOutput(first, /registered as (\S+)/);
      arns.push(arn);
      const second = longshore(args, env);
      runs.push(second);
      assert.equal(await second.exited, 1);
      assert.match(second.output(), lockedMessage(join(home, 'longshore', 'agent'), first.child.pid!));
      assert.doesNotMatch(second.output(), /registered as/);

      await kill9(first);
      const third = longshore(args, env);
      runs.push(third);
      const [, again] = await waitForOutput(third, /registered as (\S+)/);
      assert.equal(again, arn, 'the same container instance, taken over from the killed agent');
      await stop(third);
      assert.equal(third.child.exitCode, 0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses a second `longshore up` on the same data directory, and starts after the first is killed -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-up-lock-'));
    const args = ['up', '--no-agent', '--port', '0', '--data-dir', dir];
    try {
      const first = longshore(args);
      runs.push(first);
      await waitForOutput(first, /endpoint:\s+\S+/);
      const second = longshore(args);
      runs.push(second);
      assert.equal(await second.exited, 1);
      assert.match(second.output(), lockedMessage(dir, first.child.pid!));
      assert.doesNotMatch(second.output(), /endpoint:/);

      await kill9(first);
      const third = longshore(args);
      runs.push(third);
      await waitForOutput(third, /endpoint:\s+\S+/);
      await stop(third);
      assert.equal(third.child.exitCode, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lockDataDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is exclusive within a process too, and free again once released', () => {
    const lock = lockDataDir(dir);
    assert.deepEqual(JSON.parse(readFileSync(lock.path, 'utf8')).pid, process.pid);
    assert.throws(() => lockDataDir(dir, '--agent-dir'), DataDirLockedError);
    assert.throws(() => lockDataDir(dir, '--agent-dir'), /--agent-dir DIR/);
    lock.release();
    lock.release();
    lockDataDir(dir).release();
  });

  it('takes over a lock whose process is dead, or that holds no owner', () => {
    const dead = spawnSync('true').pid;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, hostname: hostname() }));
    lockDataDir(dir).release();
    writeFileSync(join(dir, LOCK_FILE), 'not json');
    lockDataDir(dir).release();
  });

  it('leaves a lock held on another host alone, and says which file to remove', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: 'elsewhere' }));
    assert.throws(() => lockDataDir(dir), /pid 1 on host elsewhere.*remove .*longshore\.lock/);
    rmSync(join(dir, LOCK_FILE));
  });
});
