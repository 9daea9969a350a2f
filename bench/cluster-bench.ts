/**
 * Cluster mode through the API (issue 18), in one run on this box, loopback only:
 *
 *   1. DescribeTaskDefinition and RunTask requests/s and p99 against the embedded SQLite store,
 *      one PostgreSQL-backed replica, and three replicas on one database. DescribeTaskDefinition:
 *      wrk (one per replica, run side by side for three, 16 connections in all) and a Node client
 *      that rotates the endpoint on every request (16 in flight); RunTask: the same Node client.
 *      RunTask places onto simulated agents (bench/runtask-api-bench.ts's agents process) whose
 *      tasks run 2 s, so the cluster never fills.
 *   2. Failover: with three replicas, the leader (the lease row's holder) is killed with SIGKILL;
 *      right after the kill a survivor raises a service's desired count by one, and the figure is
 *      the time from the kill to the new task in ListTasks (the service scheduler on the new
 *      leader placed it: the first controller action of the new term). Also shown: when the
 *      lease row changed hands, and when the new task was RUNNING on its agent. The killed
 *      replica is started again after each trial.
 *
 * Each control plane is `longshore server` in a child process; replicas share the key files
 * (`<data dir>/keys/`, copied) and the root credentials (the same LONGSHORE_* environment), as
 * docs/cluster-mode.md asks. PostgreSQL is a throwaway local server (test/support/postgres.ts).
 * Agents reach the replicas through a TCP forwarder in this process that spreads connections
 * over the live replicas, as a load balancer in front of them would (an agent takes one endpoint).
 *
 *   3. Scale: `--scale-instances` (5,000) simulated agents spread over three replicas (agent i
 *      connects to replica i mod 3 and knows the others; they register through the first), the
 *      time until all are registered and connected, then RunTask open-loop at `--rate` (200/s) for
 *      `--scale-seconds` (20), each request to the next replica: achieved rate, p50/p99, errors.
 *
 *   node_modules/.bin/node bench/cluster-bench.ts [--seconds 8] [--trials 20] [--instances 100]
 *       [--scale-instances 5000] [--rate 200] [--scale-seconds 20] [--parts api,failover,scale]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadOrCreateKey } from '../src/crypto/value-cipher.ts';
import { startPostgres, type PostgresServer } from '../test/support/postgres.ts';
import {
  ecsJson as ecs,
  firstLine,
  fmt,
  openLoop,
  percentile,
  type RateResult,
  type ServerChild,
  signedHeaders,
  startServer,
  stopChild,
  wrk,
} from './support.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    trials: { type: 'string' },
    instances: { type: 'string' },
    'scale-instances': { type: 'string' },
    rate: { type: 'string' },
    'scale-seconds': { type: 'string' },
    parts: { type: 'string' },
  },
});
/** Which parts run: `api` (throughput), `failover`, `scale` (many agents over three replicas). */
const PARTS = new Set((values.parts ?? 'api,failover,scale').split(','));
const SCALE_INSTANCES = Number(values['scale-instances'] ?? 5_000);
const RATE = Number(values.rate ?? 200);
const SCALE_SECONDS = Number(values['scale-seconds'] ?? 20);
const SECONDS = Number(values.seconds ?? 8);
const TRIALS = Number(values.trials ?? 20);
const INSTANCES = Number(values.instances ?? 100);
const CONCURRENCY = 16;
const WARMUP_SECONDS = 2;
const CLUSTER = 'bench'; // the agents process's cluster
const REVISIONS = 100;
const FAILOVER_TARGET_MS = 10_000;
/** One trial gives up after this long without the new task. */
const TRIAL_LIMIT_MS = 30_000;
const AGENTS = new URL('./runtask-api-bench.ts', import.meta.url).pathname;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

// ---------------------------------------------------------------- processes

/** A replica (or the embedded server) whose process may be killed and started again. */
interface Plane {
  dataDir: string;
  args: string[];
  server: ServerChild;
}

async function startPlane(dataDir: string, args: string[]): Promise<Plane> {
  const server = await startServer(dataDir, args);
  children.add(server.child);
  return { dataDir, args, server };
}

async function restart(plane: Plane): Promise<void> {
  children.delete(plane.server.child);
  plane.server = await startServer(plane.dataDir, plane.args);
  children.add(plane.server.child);
}

const alive = (plane: Plane) =>
  plane.server.child.exitCode === null && plane.server.child.signalCode === null;

/** `count` data directories holding the same key files (made in the first, copied to the others). */
function dataDirs(count: number): string[] {
  const dirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'longshore-cluster-bench-')));
  for (const name of ['secrets.key', 'iam.key']) loadOrCreateKey(join(dirs[0], 'keys', name));
  for (const dir of dirs.slice(1)) cpSync(join(dirs[0], 'keys'), join(dir, 'keys'), { recursive: true });
  return dirs;
}

/**
 * A TCP forwarder for the agents: each connection goes to the next live replica (round robin,
 * skipping ones that refuse); `dropAll` closes every forwarded connection (agents reconnect).
 */
async function agentForwarder(planes: () => Plane[]) {
  const open = new Set<Socket>();
  let next = 0;
  const server = createServer((client) => {
    client.pause();
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    const attempt = (left: number) => {
      const live = planes().filter(alive);
      if (left === 0 || live.length === 0) return client.destroy();
      const target = new URL(live[next++ % live.length].server.endpoint);
      const upstream = connect(Number(target.port), target.hostname);
      let connected = false;
      upstream.once('error', () => {
        if (!connected) attempt(left - 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    attempt(3);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    dropAll: () => {
      for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const socket of open) socket.destroy();
        server.close(() => r());
      }),
  };
}

/** The simulated agents process (bench/runtask-api-bench.ts --role agents): tasks run 2 s unless labelled. */
async function startAgents(endpoint: string, count = INSTANCES, readyMs = 120_000): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      AGENTS,
      '--role',
      'agents',
      '--endpoint',
      endpoint,
      '--instances',
      String(count),
      '--run-ms',
      '2000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(child);
  await firstLine(child, /"ready"/, readyMs);
  return child;
}

// ---------------------------------------------------------------- API calls

/** `ecs` on the first live plane that answers (a survivor, during a failover). */
async function onAny(planes: Plane[], operation: string, body: object): Promise<Record<string, unknown>> {
  let last: unknown;
  for (let round = 0; round < 50; round++) {
    for (const plane of planes.filter(alive)) {
      try {
        return await ecs(plane.server.endpoint, operation, body);
      } catch (error) {
        last = error;
      }
    }
    await sleep(100);
  }
  throw last;
}

async function seed(endpoint: string): Promise<void> {
  await ecs(endpoint, 'CreateCluster', { clusterName: CLUSTER });
  for (let i = 0; i < REVISIONS; i++)
    await ecs(endpoint, 'RegisterTaskDefinition', {
      family: 'bench-td',
      containerDefinitions: [
        { name: 'app', image: 'busybox', memory: 32, environment: [{ name: 'N', value: String(i) }] },
      ],
    });
  await ecs(endpoint, 'RegisterTaskDefinition', {
    family: 'bench-run',
    containerDefinitions: [{ name: 'app', image: 'bench:1', memory: 64, cpu: 16 }],
  });
  await ecs(endpoint, 'RegisterTaskDefinition', {
    family: 'bench-svc',
    containerDefinitions: [
      {
        name: 'app',
        image: 'bench:1',
        memory: 64,
        cpu: 16,
        // Service tasks run until stopped (the agents' profile stops others after 2 s).
        dockerLabels: { 'longshore.simulation.run-ms': String(7 * 86_400_000) },
      },
    ],
  });
}

interface LoadResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  errors: number;
  /** Error codes (or HTTP statuses) with their counts. */
  failures: Record<string, number>;
}

/**
 * Closed loop: `concurrency` requests in flight for `seconds`, each to the next endpoint in turn
 * (pre-signed per endpoint, replayed), over keep-alive connections.
 */
async function rotating(
  endpoints: string[],
  operation: string,
  payload: object,
  seconds: number,
): Promise<LoadResult> {
  const body = JSON.stringify(payload);
  const targets = await Promise.all(
    endpoints.map(async (endpoint) => {
      const { host: _h, ...headers } = await signedHeaders(endpoint, operation, body);
      return { url: new URL(endpoint), headers };
    }),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  let turn = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const one = (target: (typeof targets)[number]) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(
        {
          host: target.url.hostname,
          port: target.url.port,
          path: '/',
          method: 'POST',
          headers: target.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            const text = Buffer.concat(chunks).toString();
            // RunTask answers 200 with `failures` when it placed nothing.
            const placedNothing =
              res.statusCode === 200 && operation === 'RunTask' && !text.includes('"taskArn"');
            if (res.statusCode === 200 && !placedNothing) ok++;
            else {
              const code = placedNothing
                ? `no task: ${/"reason":\s*"([^"]+)"/.exec(text)?.[1] ?? text.slice(0, 120)}`
                : (/"__type":"(?:[^"#]*#)?([^"]+)"/.exec(text)?.[1] ?? `HTTP ${res.statusCode}`);
              failures[code] = (failures[code] ?? 0) + 1;
            }
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        failures[error.message] = (failures[error.message] ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await one(targets[turn++ % targets.length]);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const errors = Object.values(failures).reduce((a, b) => a + b, 0);
  return {
    perSecond: ok / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ok,
    errors,
    failures,
  };
}

/** wrk against every endpoint side by side (connections split between them): summed rate, worst p99. */
async function wrkAll(endpoints: string[], body: string, seconds: number) {
  const results = await Promise.all(
    endpoints.map(async (endpoint, i) =>
      wrk(
        endpoint,
        await signedHeaders(endpoint, 'DescribeTaskDefinition', body),
        body,
        seconds,
        Math.floor(CONCURRENCY / endpoints.length) + (i < CONCURRENCY % endpoints.length ? 1 : 0),
      ),
    ),
  );
  return {
    perSecond: results.reduce((a, r) => a + r.requestsPerSecond, 0),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    non2xx: results.reduce((a, r) => a + r.non2xx + r.errors, 0),
  };
}

interface ThroughputRow {
  name: string;
  describeWrk: { perSecond: number; p99Ms: number; non2xx: number };
  describe: LoadResult;
  runTask: LoadResult;
}

async function throughput(name: string, planes: Plane[]): Promise<ThroughputRow> {
  const endpoints = planes.map((p) => p.server.endpoint);
  const describeBody = { taskDefinition: `bench-td:${REVISIONS / 2}` };
  await rotating(endpoints, 'DescribeTaskDefinition', describeBody, WARMUP_SECONDS);
  const describeWrk = await wrkAll(endpoints, JSON.stringify(describeBody), SECONDS);
  const describe = await rotating(endpoints, 'DescribeTaskDefinition', describeBody, SECONDS);
  const runBody = { cluster: CLUSTER, taskDefinition: 'bench-run' };
  await rotating(endpoints, 'RunTask', runBody, WARMUP_SECONDS);
  const runTask = await rotating(endpoints, 'RunTask', runBody, SECONDS);
  return { name, describeWrk, describe, runTask };
}

// ---------------------------------------------------------------- failover

interface Trial {
  leaseMs: number;
  actionMs: number;
  runningMs: number;
}

async function leaseHolder(db: pg.Client): Promise<{ pid: number; token: number } | undefined> {
  const { rows } = await db.query<{ holder: string; token: string }>(
    `SELECT holder, token FROM longshore_leases WHERE name = 'controllers' AND expires_at > now()`,
  );
  if (rows.length === 0) return undefined;
  return { pid: Number(rows[0].holder.split('/')[1]), token: Number(rows[0].token) };
}

async function serviceTasks(planes: Plane[]): Promise<string[]> {
  const out = await onAny(planes, 'ListTasks', {
    cluster: CLUSTER,
    serviceName: 'svc',
    desiredStatus: 'RUNNING',
  });
  return out.taskArns as string[];
}

/** Every instance's agent connected (a restarted replica marks all of them disconnected). */
async function agentsConnected(planes: Plane[]): Promise<boolean> {
  const listed = await onAny(planes, 'ListContainerInstances', { cluster: CLUSTER, maxResults: 100 });
  const arns = listed.containerInstanceArns as string[];
  if (arns.length < Math.min(INSTANCES, 100)) return false;
  const described = await onAny(planes, 'DescribeContainerInstances', {
    cluster: CLUSTER,
    containerInstances: arns,
  });
  return (described.containerInstances as { agentConnected: boolean }[]).every((i) => i.agentConnected);
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms: number, every = 20) {
  const deadline = performance.now() + ms;
  for (;;) {
    const got = await check().catch(() => undefined);
    if (got !== undefined) return got;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

async function failover(
  planes: Plane[],
  db: pg.Client,
  forwarder: { dropAll(): void },
  notes: string[],
): Promise<Trial[]> {
  await onAny(planes, 'CreateService', {
    cluster: CLUSTER,
    serviceName: 'svc',
    taskDefinition: 'bench-svc',
    desiredCount: 1,
  });
  let desired = 1;
  const trials: Trial[] = [];
  let kicks = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    // Steady state: three replicas, every agent connected, the service's tasks all placed.
    for (let kick = 0; !(await agentsConnected(planes).catch(() => false)); kick++) {
      if (kick === 0 || kick % 50 === 0) {
        forwarder.dropAll();
        kicks++;
      }
      if (kick > 300) throw new Error('the agents did not all reconnect within 30 s');
      await sleep(100);
    }
    await until(
      'the service to be steady',
      async () => ((await serviceTasks(planes)).length === desired ? true : undefined),
      30_000,
      100,
    );
    const holder = await until('a leader', () => leaseHolder(db), 15_000);
    const leader = planes.find((p) => p.server.child.pid === holder.pid);
    if (!leader) throw new Error(`the lease holder ${holder.pid} is none of the replicas`);
    leader.server.child.kill('SIGKILL');
    const killedAt = performance.now();
    desired++;
    await onAny(planes, 'UpdateService', { cluster: CLUSTER, service: 'svc', desiredCount: desired });
    const since = () => performance.now() - killedAt;
    const lease = until(
      'the lease to change hands',
      async () => (((await leaseHolder(db))?.token ?? 0) > holder.token ? since() : undefined),
      TRIAL_LIMIT_MS,
    ).catch(() => Number.NaN);
    const action = until(
      'the new task',
      async () => ((await serviceTasks(planes)).length >= desired ? since() : undefined),
      TRIAL_LIMIT_MS,
    ).catch(() => Number.NaN);
    const running = until(
      'the new task to run',
      async () => {
        const arns = await serviceTasks(planes);
        if (arns.length < desired) return undefined;
        const got = await onAny(planes, 'DescribeTasks', { cluster: CLUSTER, tasks: arns });
        const states = (got.tasks as { lastStatus: string }[]).map((t) => t.lastStatus);
        return states.every((s) => s === 'RUNNING') ? since() : undefined;
      },
      TRIAL_LIMIT_MS,
      50,
    ).catch(() => Number.NaN);
    const result = { leaseMs: await lease, actionMs: await action, runningMs: await running };
    trials.push(result);
    console.log(
      `  trial ${trial + 1}: lease ${fmt(result.leaseMs / 1000, 2)} s, task placed ${fmt(result.actionMs / 1000, 2)} s, RUNNING ${fmt(result.runningMs / 1000, 2)} s`,
    );
    await restart(leader);
  }
  if (kicks > TRIALS) notes.push(`agents were made to reconnect ${kicks} times`);
  return trials;
}

// ---------------------------------------------------------------- main

function loadCell(r: LoadResult): string {
  const failed = Object.entries(r.failures)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return `${fmt(r.perSecond, 0)}/s, p99 ${fmt(r.p99Ms, 1)} ms${failed ? ` (errors: ${failed})` : ''}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const dirs: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let postgres: PostgresServer | undefined;
  const rows: ThroughputRow[] = [];
  const notes: string[] = [];
  let trials: Trial[] = [];
  let scale: { agents: number; readyMs: number; runTask?: RateResult } | undefined;
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    /** One control plane (`args`: its store), measured, then stopped. */
    const single = async (name: string, args: string[]) => {
      dirs.push(...dataDirs(1));
      const plane = await startPlane(dirs.at(-1)!, args);
      cleanups.push(() => stopChild(plane.server.child));
      await seed(plane.server.endpoint);
      const agents = await startAgents(plane.server.endpoint);
      cleanups.push(() => stopChild(agents));
      rows.push(await throughput(name, [plane]));
      console.log(`  ${name}: done`);
      await stopAll();
    };
    /** Three replicas on the database of `url`, stopped with the rest. */
    const threeReplicas = async (url: string): Promise<Plane[]> => {
      const replicaDirs = dataDirs(3);
      dirs.push(...replicaDirs);
      const planes: Plane[] = [];
      for (const dir of replicaDirs) planes.push(await startPlane(dir, ['--store', url]));
      cleanups.push(async () => {
        for (const plane of planes) await stopChild(plane.server.child);
      });
      return planes;
    };
    if (PARTS.has('api')) {
      await single('SQLite, embedded', []);
      postgres = await startPostgres();
      await single('PostgreSQL, 1 replica', ['--store', await postgres.createDatabase()]);
    }
    postgres ??= await startPostgres();
    // Three replicas.
    if (PARTS.has('api') || PARTS.has('failover')) {
      const url = await postgres.createDatabase();
      const planes = await threeReplicas(url);
      const forwarder = await agentForwarder(() => planes);
      cleanups.push(forwarder.close);
      await seed(planes[0].server.endpoint);
      const agents = await startAgents(forwarder.endpoint);
      cleanups.push(() => stopChild(agents));
      if (PARTS.has('api')) {
        rows.push(await throughput('PostgreSQL, 3 replicas', planes));
        console.log(`  ${rows.at(-1)!.name}: done`);
        await sleep(3_000); // the RunTask tasks end
      }
      const db = new pg.Client({ connectionString: url });
      db.on('error', () => {});
      await db.connect();
      cleanups.push(() => db.end());
      if (PARTS.has('failover')) {
        console.log(`failover, ${TRIALS} trials:`);
        trials = await failover(planes, db, forwarder, notes);
      }
      await stopAll();
    }
    if (PARTS.has('scale')) {
      const url = await postgres.createDatabase();
      const planes = await threeReplicas(url);
      await seed(planes[0].server.endpoint);
      const endpoints = planes.map((p) => p.server.endpoint);
      console.log(`scale: ${SCALE_INSTANCES} simulated agents over 3 replicas ...`);
      const t0 = performance.now();
      const agents = await startAgents(endpoints.join(','), SCALE_INSTANCES, 900_000);
      scale = { agents: SCALE_INSTANCES, readyMs: performance.now() - t0 };
      cleanups.push(() => stopChild(agents));
      const body = JSON.stringify({ cluster: CLUSTER, taskDefinition: 'bench-run' });
      const targets = await Promise.all(
        endpoints.map(async (endpoint) => ({
          url: `${endpoint}/`,
          headers: await signedHeaders(endpoint, 'RunTask', body),
        })),
      );
      // Warm-up at a tenth of the rate, then the measured run.
      await openLoop({ url: '', targets, method: 'POST', body, rate: RATE / 10, seconds: 2 });
      scale.runTask = await openLoop({
        url: '',
        targets,
        method: 'POST',
        body,
        rate: RATE,
        seconds: SCALE_SECONDS,
      });
      console.log('  scale: done');
      await stopAll();
    }
  } finally {
    await stopAll();
    await postgres?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    `\ncluster-bench: ${SECONDS} s per load after ${WARMUP_SECONDS} s warm-up, ${CONCURRENCY} requests in flight, ` +
      `${INSTANCES} simulated instances; ${Math.round((performance.now() - started) / 1000)} s in all`,
  );
  if (rows.length > 0)
    console.log(
      '| store | DescribeTaskDefinition, wrk | DescribeTaskDefinition, rotating client | RunTask, rotating client |\n|---|---|---|---|',
    );
  for (const r of rows)
    console.log(
      `| ${r.name} | ${fmt(r.describeWrk.perSecond, 0)}/s, p99 ${fmt(r.describeWrk.p99Ms, 1)} ms${r.describeWrk.non2xx ? ` (${r.describeWrk.non2xx} non-2xx)` : ''} | ${loadCell(r.describe)} | ${loadCell(r.runTask)} |`,
    );
  const sorted = (pick: (t: Trial) => number) =>
    trials
      .map(pick)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
  const line = (label: string, pick: (t: Trial) => number) => {
    const xs = sorted(pick);
    return `| ${label} | ${fmt(percentile(xs, 50) / 1000, 2)} s | ${fmt(percentile(xs, 99) / 1000, 2)} s | ${fmt(xs[xs.length - 1] / 1000, 2)} s | ${xs.length}/${trials.length} |`;
  };
  if (trials.length > 0) {
    console.log('\n| failover (SIGKILL of the leader, 3 replicas) | p50 | p99 | max | trials |');
    console.log('|---|---|---|---|---|');
    console.log(line('lease row changes hands', (t) => t.leaseMs));
    console.log(line('new leader places the service task (ListTasks)', (t) => t.actionMs));
    console.log(line('that task RUNNING on its agent', (t) => t.runningMs));
    const action = sorted((t) => t.actionMs);
    console.log(
      `target: next controller action <= ${FAILOVER_TARGET_MS / 1000} s: ${
        action.length === trials.length && percentile(action, 99) <= FAILOVER_TARGET_MS ? 'met' : 'missed'
      }`,
    );
  }
  for (const note of notes) console.log(`note: ${note}`);
  if (scale) {
    const r = scale.runTask;
    console.log(
      `\n| ${scale.agents} simulated agents over 3 replicas | registered and connected | RunTask at ${RATE}/s for ${SCALE_SECONDS} s (each to the next replica) |`,
    );
    console.log('|---|---|---|');
    console.log(
      `| PostgreSQL, 3 replicas | ${fmt(scale.readyMs / 1000, 1)} s | ${
        r
          ? `${fmt(r.achievedPerSecond, 0)}/s ok, p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms, ${r.sent - r.ok} errors of ${r.sent}`
          : 'not run'
      } |`,
    );
  }
}

await main();
