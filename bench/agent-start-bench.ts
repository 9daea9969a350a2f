/**
 * Task start latency through the agent's task engine vs a plain `docker run -d` of the same image
 * on the same box, measured in the same run; plus the engine's idle RSS and 20 concurrent starts.
 *
 *   node_modules/.bin/node bench/agent-start-bench.ts [--runs 50] [--concurrent 20]
 *
 * Engine: apply() -> the RUNNING report (state persisted with fsync, metadata endpoint on).
 * Baseline: dockerode create + start (what `docker run -d` does, without the CLI's own start-up),
 * and the docker CLI itself for reference. Runs are interleaved so drift hits both alike.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import pino from 'pino';
import { TaskEngine } from '../src/agent/engine/task-engine.ts';
import type { TaskAssignment, TaskReport } from '../src/core/agent-protocol.ts';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;
const IMAGE = 'longshore-test/busybox:latest';
const COMMAND = ['sleep', '3600'];
const INSTANCE = `arn:aws:ecs:us-east-1:000000000000:container-instance/bench/${process.pid}`;
const BASELINE_LABEL = `longshore.bench=${process.pid}`;
/** Every wait in the bench is bounded. */
const RUNNING_TIMEOUT_MS = 30_000;

const { values } = parseArgs({ options: { runs: { type: 'string' }, concurrent: { type: 'string' } } });
const RUNS = Number(values.runs ?? 50);
const CONCURRENT = Number(values.concurrent ?? 20);
const docker = new Dockerode();
let taskCounter = 0;

function assignment(): TaskAssignment {
  const id = `${process.pid}${String(++taskCounter).padStart(8, '0')}`;
  const definition = { name: 'app', image: IMAGE, command: COMMAND, memory: 32 };
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/bench/${id}`,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/bench',
    containerInstanceArn: INSTANCE,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/bench:1',
    taskDefinition: { family: 'bench', revision: 1, containerDefinitions: [definition] },
    overrides: {},
    containers: [{ name: 'app', containerArn: `${id}/app`, definition }],
    desiredStatus: 'RUNNING',
    version: 1,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts/ensure-docker.sh')]);
  await run('bash', [join(ROOT, 'scripts/build-test-images.sh')]);
  const dataDir = await mkdtemp(join(tmpdir(), 'longshore-bench-'));
  const engine = new TaskEngine({
    dataDir,
    containerInstanceArn: INSTANCE,
    logger: pino({ level: 'warn' }),
    imagePullBehavior: 'prefer-cached',
    metadataEndpoint: { port: 0 },
    containerStopTimeoutSeconds: 1,
    durableWrites: process.env.BENCH_DURABLE !== '0',
  });
  const waiters = new Map<string, (r: TaskReport) => void>();
  engine.onReport((r) => {
    if (r.lastStatus === 'RUNNING') waiters.get(r.taskArn)?.(r);
  });
  await engine.start();
  const startTask = async (): Promise<number> => {
    const a = assignment();
    const running = new Promise<TaskReport>((resolve, reject) => {
      waiters.set(a.taskArn, resolve);
      setTimeout(
        () => reject(new Error(`task ${a.taskArn} not RUNNING in time`)),
        RUNNING_TIMEOUT_MS,
      ).unref();
    });
    const t0 = performance.now();
    await engine.apply(a);
    await running;
    return performance.now() - t0;
  };
  const dockerRun = async (): Promise<number> => {
    const t0 = performance.now();
    const c = await docker.createContainer({
      Image: IMAGE,
      Cmd: COMMAND,
      Labels: { 'longshore.bench': String(process.pid) },
      HostConfig: { Memory: 32 * 1024 * 1024 },
    });
    await c.start();
    return performance.now() - t0;
  };
  const cliRun = async (): Promise<number> => {
    const t0 = performance.now();
    await run('docker', ['run', '-d', '--label', BASELINE_LABEL, '--memory', '32m', IMAGE, ...COMMAND]);
    return performance.now() - t0;
  };

  try {
    for (let i = 0; i < 3; i++) {
      await startTask(); // warm-up: first calls pay for connections and JIT
      await dockerRun();
    }
    const engineMs: number[] = [];
    const apiMs: number[] = [];
    const cliMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      engineMs.push(await startTask());
      apiMs.push(await dockerRun());
      if (i % 5 === 0) cliMs.push(await cliRun());
    }
    const e = summary(engineMs);
    const b = summary(apiMs);
    const c = summary(cliMs);
    console.log(`sequential starts (${RUNS}), one container, warm local image:`);
    console.log(`  engine apply -> RUNNING report   p50 ${fmt(e.p50)}  p99 ${fmt(e.p99)}`);
    console.log(`  docker create+start (API)         p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}`);
    console.log(`  docker run -d (CLI, ${cliMs.length} runs)       p50 ${fmt(c.p50)}  p99 ${fmt(c.p99)}`);
    console.log(
      `  ratio engine/API p50 ${(e.p50 / b.p50).toFixed(2)}x (target <= 1.2x); engine/CLI p50 ${(e.p50 / c.p50).toFixed(2)}x`,
    );

    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT }, () => startTask()));
    const engineBatch = performance.now() - t0;
    const t1 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT }, () => dockerRun()));
    const apiBatch = performance.now() - t1;
    console.log(
      `${CONCURRENT} concurrent starts: engine ${fmt(engineBatch)}, docker create+start ${fmt(apiBatch)}, ratio ${(engineBatch / apiBatch).toFixed(2)}x`,
    );
  } finally {
    await engine.stop();
    await removeAll(INSTANCE);
    await rm(dataDir, { recursive: true, force: true });
  }
  await idleRss();
}

/**
 * RSS of an engine alone in a test fixture's process, idle and with tasks running: for comparing
 * engine changes. Not the agent's footprint: bench/agent-memory-bench.ts measures `longshore agent`.
 */
async function idleRss(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'longshore-bench-rss-'));
  const arn = `${INSTANCE}-rss`;
  const child = spawn(process.execPath, [join(ROOT, 'test/agent/fixtures/engine-child.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, INSTANCE_ARN: arn },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const running = new Set<string>();
  let ready = false;
  let onMessage: () => void = () => {};
  lines.on('line', (line) => {
    const m = JSON.parse(line) as { type: string; report?: TaskReport };
    if (m.type === 'ready') ready = true;
    if (m.type === 'report' && m.report?.lastStatus === 'RUNNING') running.add(m.report.taskArn);
    onMessage();
  });
  const until = (check: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('engine child timed out')), RUNNING_TIMEOUT_MS);
      onMessage = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
  const rss = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
  try {
    await until(() => ready);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = await rss();
    const tasks = Array.from({ length: CONCURRENT }, () => assignment());
    const allRunning = until(() => running.size === tasks.length);
    for (const a of tasks) child.stdin!.write(`${JSON.stringify({ type: 'apply', assignment: a })}\n`);
    await allRunning;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    console.log(
      `engine test-fixture process RSS: idle ${idle.toFixed(1)} MiB; with ${tasks.length} running tasks ${(await rss()).toFixed(1)} MiB (the agent itself: bench/agent-memory-bench.ts)`,
    );
  } finally {
    child.kill('SIGKILL');
    await removeAll(arn);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function removeAll(instance: string): Promise<void> {
  for (const label of [`longshore.instance=${instance}`, BASELINE_LABEL]) {
    const list = await docker.listContainers({ all: true, filters: { label: [label] } });
    await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  }
}

await main();
