/**
 * Control-plane figures (issue: the ECS control plane):
 *   - time from `longshore up` to the first successful API call (empty and 2,000-record data dir)
 *   - idle RSS of the control plane
 *   - DescribeTaskDefinition and ListTasks requests/s and p99 with 1,000 task definitions and
 *     1,000 tasks, replayed by wrk against the server on this 2-core box, next to a plain
 *     node:http server answering a fixed JSON body (the ceiling of Node's HTTP stack here).
 * Run: node_modules/.bin/node bench/api-bench.ts [seconds-per-load-test]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ECSClient,
  RegisterContainerInstanceCommand,
  CreateClusterCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { seedTasks } from './seed-store.ts';
import { BENCH_CREDENTIALS, callEcs, fixedRate, fmt, rssMiB, signedHeaders, wrk } from './support.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const BIN = new URL('../bin/longshore.mjs', import.meta.url).pathname;
const env = {
  ...process.env,
  LONGSHORE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
  LONGSHORE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
};

function startUp(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, [BIN, 'up', '--no-agent', '--port', String(port), '--data-dir', dataDir], {
    env,
    stdio: 'ignore',
  });
}

/** Spawns `longshore up` and polls ListClusters every 2 ms; returns ms to the first 200. */
async function timeToFirstCall(dataDir: string, port: number): Promise<{ ms: number; child: ChildProcess }> {
  const started = performance.now();
  const child = startUp(dataDir, port);
  const endpoint = `http://127.0.0.1:${port}`;
  for (;;) {
    const res = await callEcs(endpoint, 'ListClusters', {}).catch(() => undefined);
    if (res?.status === 200) return { ms: performance.now() - started, child };
    if (performance.now() - started > 15_000) throw new Error('longshore up did not answer within 15 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** 1,000 task definition revisions through the API, then 1,000 tasks written straight to the store. */
async function seed(dataDir: string, port: number): Promise<void> {
  const { child } = await timeToFirstCall(dataDir, port);
  const ecs = new ECSClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
  });
  await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
  const instance = await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: 'bench',
      totalResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 1_000_000 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: 1_000_000 },
      ],
    }),
  );
  for (let i = 0; i < 1000; i++) {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bench-td',
        containerDefinitions: [
          {
            name: 'app',
            image: 'busybox',
            memory: 32,
            command: ['sleep', '3600'],
            environment: [{ name: 'N', value: String(i) }],
          },
        ],
      }),
    );
  }
  ecs.destroy();
  await stop(child);
  await seedTasks(dataDir, {
    cluster: 'bench',
    family: 'bench-td',
    count: 1000,
    instanceArns: [instance.containerInstance?.containerInstanceArn ?? ''],
  });
}

function serverPid(wrapper: number): number {
  const children = readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

async function baseline(port: number): Promise<() => Promise<void>> {
  const body = JSON.stringify({
    taskArns: Array.from({ length: 100 }, (_, i) => `arn:aws:ecs:us-east-1:000000000000:task/bench/${i}`),
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(body);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return () => new Promise<void>((r) => server.close(() => r()));
}

async function main(): Promise<void> {
  const port = 45900 + (process.pid % 50);
  const empty = mkdtempSync(join(tmpdir(), 'longshore-bench-empty-'));
  const seeded = mkdtempSync(join(tmpdir(), 'longshore-bench-seeded-'));
  try {
    const startEmpty: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { ms, child } = await timeToFirstCall(empty, port);
      startEmpty.push(ms);
      await stop(child);
    }
    await seed(seeded, port);
    const startSeeded: number[] = [];
    let child: ChildProcess | undefined;
    for (let i = 0; i < 5; i++) {
      const run = await timeToFirstCall(seeded, port);
      startSeeded.push(run.ms);
      if (i < 4) await stop(run.child);
      else child = run.child;
    }
    await new Promise((r) => setTimeout(r, 3000));
    // bin/longshore.mjs runs the server in a child process: measure that one.
    const server = serverPid(child!.pid!);
    const idleRss = rssMiB(server);
    const endpoint = `http://127.0.0.1:${port}`;
    const describeBody = JSON.stringify({ taskDefinition: 'bench-td:500' });
    const listBody = JSON.stringify({ cluster: 'bench' });
    const describe = await wrk(
      endpoint,
      await signedHeaders(endpoint, 'DescribeTaskDefinition', describeBody),
      describeBody,
      SECONDS,
    );
    const list = await wrk(endpoint, await signedHeaders(endpoint, 'ListTasks', listBody), listBody, SECONDS);
    const describeAt = await fixedRate(
      endpoint,
      await signedHeaders(endpoint, 'DescribeTaskDefinition', describeBody),
      describeBody,
      200,
      SECONDS,
    );
    const listAt = await fixedRate(
      endpoint,
      await signedHeaders(endpoint, 'ListTasks', listBody),
      listBody,
      200,
      SECONDS,
    );
    const loadedRss = rssMiB(server);
    await stop(child!);
    const close = await baseline(port);
    const base = await wrk(endpoint, {}, listBody, SECONDS);
    await close();

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log('longshore control plane (2 cores; wrk 1 thread, 16 connections)');
    console.log(
      `  up -> first successful API call, empty data dir:      median ${fmt(median(startEmpty), 0)} ms  (runs: ${startEmpty.map((x) => fmt(x, 0)).join(', ')})`,
    );
    console.log(
      `  up -> first successful API call, 2,000-record dir:    median ${fmt(median(startSeeded), 0)} ms  (runs: ${startSeeded.map((x) => fmt(x, 0)).join(', ')})`,
    );
    console.log(
      `  idle RSS (2,000 records):                             ${fmt(idleRss)} MiB  (after load: ${fmt(loadedRss)} MiB)`,
    );
    console.log(
      `  DescribeTaskDefinition (1,000 revisions):             ${fmt(describe.requestsPerSecond, 0)} req/s  p50 ${fmt(describe.p50Ms, 2)} ms  p99 ${fmt(describe.p99Ms, 2)} ms  non-2xx ${describe.non2xx}`,
    );
    console.log(
      `  ListTasks (1,000 tasks, 100 per page):                ${fmt(list.requestsPerSecond, 0)} req/s  p50 ${fmt(list.p50Ms, 2)} ms  p99 ${fmt(list.p99Ms, 2)} ms  non-2xx ${list.non2xx}`,
    );
    console.log(
      `  at a fixed 200 req/s: DescribeTaskDefinition p50 ${fmt(describeAt.p50Ms, 2)} ms p99 ${fmt(describeAt.p99Ms, 2)} ms (${describeAt.ok}/${describeAt.sent} ok); ListTasks p50 ${fmt(listAt.p50Ms, 2)} ms p99 ${fmt(listAt.p99Ms, 2)} ms (${listAt.ok}/${listAt.sent} ok)`,
    );
    console.log(
      `  baseline: plain node:http, fixed 100-ARN JSON body:   ${fmt(base.requestsPerSecond, 0)} req/s  p99 ${fmt(base.p99Ms, 2)} ms`,
    );
    console.log(
      `  ratio to baseline: Describe ${fmt(describe.requestsPerSecond / base.requestsPerSecond, 2)}x, List ${fmt(list.requestsPerSecond / base.requestsPerSecond, 2)}x`,
    );
    console.log(
      '  targets: ready <= 1500 ms, idle RSS <= 100 MiB, Describe/List 100 req/s (5x AWS) at p99 <= 50 ms',
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
    rmSync(seeded, { recursive: true, force: true });
  }
}

await main();
