/** The child-process entry: config over IPC, reports back, and it ends with its parent (even a SIGKILLed one). */
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { DataplaneReport } from '../../../src/elbv2/dataplane/config.ts';
import {
  alb,
  forward,
  get,
  listener,
  type TestTarget,
  startTarget,
  targetOf,
  tg,
  waitFor,
} from './support.ts';

const MAIN = new URL('../../../src/elbv2/dataplane/main.ts', import.meta.url).pathname;
const EXEC_ARGV = ['--disable-warning=ExperimentalWarning'];

/** Processes whose parent is `pid` (the data plane's proxy workers). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {}
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('data plane child process', () => {
  let a: TestTarget;
  before(async () => {
    a = await startTarget('a');
  });
  after(async () => {
    await a.close();
  });

  it('takes configs over IPC, reports listening and health, stops on shutdown', async () => {
    const child = fork(MAIN, [], {
      execArgv: EXEC_ARGV,
      env: { ...process.env, LONGSHORE_LB_METRICS_MS: '100' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const reports: DataplaneReport[] = [];
    child.on('message', (r: DataplaneReport) => reports.push(r));
    try {
      child.send({
        type: 'config',
        config: {
          generation: 7,
          targetGroups: [tg('t', [targetOf(a)])],
          loadBalancers: [alb('lb', [listener('l', 0, [forward('t')])])],
        },
      });
      const listening = await waitFor(() => reports.find((r) => r.type === 'listening'), 10_000, 'listening');
      assert.ok(listening.type === 'listening');
      assert.equal((await get(listening.hostPort, '/')).body, 'a');
      const health = await waitFor(() => reports.find((r) => r.type === 'health'));
      assert.ok(
        health.type === 'health' && health.generation === 7 && health.targets[0].state === 'unavailable',
      );
      await waitFor(() => reports.find((r) => r.type === 'metrics'), 5000, 'metrics');
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.send({ type: 'shutdown' });
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('ends when its parent is SIGKILLed', async () => {
    // A parent that forks the data plane, prints its pid, then waits to be killed.
    const parentCode = `
      const { fork } = require('node:child_process');
      const child = fork(${JSON.stringify(MAIN)}, [], { execArgv: ${JSON.stringify(EXEC_ARGV)}, env: { ...process.env, LONGSHORE_LB_WORKERS: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.on('spawn', () => console.log(child.pid));
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['-e', parentCode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d) => {
      out += d;
    });
    const pid = Number(await waitFor(() => out.trim(), 10_000, 'the child pid'));
    try {
      await waitFor(() => alive(pid));
      // Give the child time to start its module (the IPC channel is watched from there on).
      await new Promise((r) => setTimeout(r, 500));
      const workers = await waitFor(
        () => childrenOf(pid).length === 1 && childrenOf(pid),
        10_000,
        'its proxy worker',
      );
      parent.kill('SIGKILL');
      await waitFor(() => !alive(pid), 10_000, 'the data plane to exit after its parent');
      await waitFor(() => workers.every((w) => !alive(w)), 10_000, 'its proxy workers to exit too');
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
