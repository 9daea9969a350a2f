/**
 * Control-plane memory (issue: performance): RSS of `longshore up --no-agent` (through
 * bin/longshore.mjs, as users start it) idle with an empty data directory, and idle with 5,000
 * container instances and 50,000 tasks in it; each after start-up has settled. Also the time from
 * process start to the first successful API call (the start target). Prints RSS and its anonymous
 * part (the file-backed rest is mostly the Node binary's own pages, shared with every Node process).
 *
 *   node_modules/.bin/node bench/memory-bench.ts [--instances 5000] [--tasks 50000] [--runs 5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedTasks } from './seed-store.ts';
import { BENCH_CREDENTIALS, callEcs, ecsJson, fmt } from './support.ts';

const { values } = parseArgs({
  options: {
    instances: { type: 'string' },
    tasks: { type: 'string' },
    runs: { type: 'string' },
    /** Seed here and keep it (to profile the seeded control plane afterwards). */
    'keep-seeded': { type: 'string' },
  },
});
const INSTANCES = Number(values.instances ?? 5_000);
const TASKS = Number(values.tasks ?? 50_000);
const RUNS = Number(values.runs ?? 5);
const SETTLE_MS = 8_000;
const BIN = new URL('../bin/longshore.mjs', import.meta.url).pathname;
const env = {
  ...process.env,
  LONGSHORE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
  LONGSHORE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
};
const port = 46400 + (process.pid % 50);
const endpoint = `http://127.0.0.1:${port}`;

interface Up {
  child: ChildProcess;
  readyMs: number;
}

async function up(dataDir: string): Promise<Up> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'up', '--no-agent', '--port', String(port), '--data-dir', dataDir],
    {
      env,
      stdio: 'ignore',
    },
  );
  for (;;) {
    const res = await callEcs(endpoint, 'ListClusters', {}).catch(() => undefined);
    if (res?.status === 200) return { child, readyMs: performance.now() - started };
    if (performance.now() - started > 60_000) throw new Error('longshore up did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** RSS and its anonymous part of the server (bin/longshore.mjs's child), MiB. */
function memory(wrapper: number): { rss: number; anon: number } {
  const pid = Number(
    readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, 'utf8').trim().split(/\s+/)[0],
  );
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon') };
}

/** Idle memory of `runs` starts on `dataDir`: each waits SETTLE_MS after the first answer. */
async function idle(
  dataDir: string,
  runs: number,
): Promise<{ ready: number[]; rss: number[]; anon: number[] }> {
  const out = { ready: [] as number[], rss: [] as number[], anon: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const { child, readyMs } = await up(dataDir);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const m = memory(child.pid!);
    out.ready.push(readyMs);
    out.rss.push(m.rss);
    out.anon.push(m.anon);
    await stop(child);
  }
  return out;
}

/** 5,000 instances through the API, then 50,000 tasks written as RunTask shapes them. */
async function seed(dataDir: string): Promise<void> {
  const { child } = await up(dataDir);
  await ecsJson(endpoint, 'CreateCluster', { clusterName: 'bench' });
  await ecsJson(endpoint, 'RegisterTaskDefinition', {
    family: 'bench-td',
    containerDefinitions: [{ name: 'app', image: 'busybox', memory: 32, command: ['sleep', '3600'] }],
  });
  const arns: string[] = [];
  for (let i = 0; i < INSTANCES; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, INSTANCES - i) }, () =>
        ecsJson(endpoint, 'RegisterContainerInstance', {
          cluster: 'bench',
          totalResources: [
            { name: 'CPU', type: 'INTEGER', integerValue: 1_000_000 },
            { name: 'MEMORY', type: 'INTEGER', integerValue: 1_000_000 },
          ],
        }),
      ),
    );
    for (const r of batch)
      arns.push(
        (r as { containerInstance: { containerInstanceArn: string } }).containerInstance.containerInstanceArn,
      );
  }
  await stop(child);
  await seedTasks(dataDir, { cluster: 'bench', family: 'bench-td', count: TASKS, instanceArns: arns });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (xs: number[], digits = 1) =>
  `median ${fmt(median(xs), digits)} (runs: ${xs.map((x) => fmt(x, digits)).join(', ')})`;

const empty = mkdtempSync(join(tmpdir(), 'longshore-membench-empty-'));
const seeded = values['keep-seeded'] ?? mkdtempSync(join(tmpdir(), 'longshore-membench-seeded-'));
try {
  const a = await idle(empty, RUNS);
  const seedStart = performance.now();
  await seed(seeded);
  const seedMs = performance.now() - seedStart;
  const b = await idle(seeded, Math.max(1, Math.ceil(RUNS / 2)));
  console.log(`longshore up --no-agent, idle ${SETTLE_MS / 1000} s after its first answer (2 cores)`);
  console.log(`  start -> first successful API call, empty:     ${row(a.ready, 0)} ms  (target <= 500 ms)`);
  console.log(`  idle RSS, empty data dir:                      ${row(a.rss)} MiB  (target <= 80 MB)`);
  console.log(`    of which anonymous:                          ${row(a.anon)} MiB`);
  console.log(
    `  seeded ${INSTANCES} instances + ${TASKS} tasks in ${fmt(seedMs / 1000)} s; start -> first call: ${row(b.ready, 0)} ms`,
  );
  console.log(`  idle RSS, ${INSTANCES} instances + ${TASKS} tasks: ${row(b.rss)} MiB  (target <= 150 MB)`);
  console.log(`    of which anonymous:                          ${row(b.anon)} MiB`);
} finally {
  rmSync(empty, { recursive: true, force: true });
  if (!values['keep-seeded']) rmSync(seeded, { recursive: true, force: true });
}
