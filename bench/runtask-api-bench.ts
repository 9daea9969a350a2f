/**
 * RunTask through the API at a sustained rate against a cluster of SIMULATED agents (issue:
 * scheduler at 5,000 instances; target: RunTask 200/s at p99 <= 50 ms with no errors on 2 cores).
 * Three processes so client and server load stay apart: `longshore server` (throttling off), one
 * process holding N simulated agents (real WebSocket per agent, simulated runtime), and this one
 * sending pre-signed RunTask requests open-loop at a fixed rate (bench/support.ts `fixedRate`).
 * Tasks run `--run-ms` then exit, so the cluster never fills. Baseline in the same run: ListClusters
 * at the same rate (gateway, SigV4 and HTTP with no store work).
 *
 *   node_modules/.bin/node bench/runtask-api-bench.ts [--instances 1000] [--rate 200] [--seconds 20]
 *       [--run-ms 2000] [--strategy random|spread-binpack] [--profile DIR]
 *
 * --profile DIR writes the server's CPU profile (node --cpu-prof) to DIR.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulatedAgents } from '../src/agent/simulated/start-simulated-agents.ts';
import {
  BENCH_CREDENTIALS,
  ecsJson as ecs,
  firstLine,
  fixedRate,
  fmt,
  type RateResult,
  rssMiB,
  signedHeaders,
} from './support.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    endpoint: { type: 'string' },
    instances: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    'run-ms': { type: 'string' },
    strategy: { type: 'string' },
    profile: { type: 'string' },
  },
});
const INSTANCES = Number(values.instances ?? 1000);
const RATE = Number(values.rate ?? 200);
const SECONDS = Number(values.seconds ?? 20);
const RUN_MS = Number(values['run-ms'] ?? 2000);
const CLUSTER = 'bench';
const TARGET = { rate: 200, p99Ms: 50 };
const WARMUP_SECONDS = 3;
const BASELINE_SECONDS = 5;
const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning'];
const env = {
  ...process.env,
  LONGSHORE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
  LONGSHORE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
};
const STRATEGIES = {
  random: [{ type: 'random' }],
  'spread-binpack': [
    { type: 'spread', field: 'attribute:ecs.availability-zone' },
    { type: 'binpack', field: 'memory' },
  ],
} as const;

if (values.role === 'agents') await agentsRole();
else await main();

/** The agents process: N simulated agents against `--endpoint`; prints one JSON line when all are connected. */
async function agentsRole(): Promise<void> {
  const started = performance.now();
  // `--endpoint a,b,c` (cluster mode): agent i starts on replica i mod n and knows the others.
  const endpoints = (values.endpoint ?? '').split(',');
  const sim = await startSimulatedAgents({
    endpoint: endpoints[0],
    ...(endpoints.length > 1
      ? {
          agentEndpoints: (i: number) => [
            ...endpoints.slice(i % endpoints.length),
            ...endpoints.slice(0, i % endpoints.length),
          ],
        }
      : {}),
    cluster: CLUSTER,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    count: INSTANCES,
    profile: { startMs: 100, stopDelayMs: 50, runMs: RUN_MS },
    cleanupWaitMs: 10_000,
    waitConnectedMs: 120_000,
  });
  console.log(
    JSON.stringify({ ready: performance.now() - started, rss: process.memoryUsage().rss / 2 ** 20 }),
  );
  process.on('SIGTERM', () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

function spawnNode(args: string[], nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...NODE_FLAGS, ...nodeFlags, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Every task of the cluster, RUNNING and STOPPED, by lastStatus. */
async function taskCounts(endpoint: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const desiredStatus of ['RUNNING', 'STOPPED']) {
    let nextToken: string | undefined;
    do {
      const page = await ecs(endpoint, 'ListTasks', {
        cluster: CLUSTER,
        desiredStatus,
        maxResults: 100,
        nextToken,
      });
      const arns = page.taskArns as string[];
      if (arns.length > 0) {
        const described = await ecs(endpoint, 'DescribeTasks', { cluster: CLUSTER, tasks: arns });
        for (const t of described.tasks as { lastStatus: string }[])
          out[t.lastStatus] = (out[t.lastStatus] ?? 0) + 1;
      }
      nextToken = page.nextToken as string | undefined;
    } while (nextToken);
  }
  return out;
}

function row(name: string, r: RateResult, cpu?: number): string {
  const errors = r.sent - r.ok;
  const server = cpu === undefined ? '' : `  server CPU ${fmt(cpu * 100, 0)}%`;
  return `${name.padEnd(12)} sent ${r.sent}  ok ${r.ok}  errors ${errors}  achieved ${fmt(r.achievedPerSecond)}/s  p50 ${fmt(r.p50Ms, 2)} ms  p99 ${fmt(r.p99Ms, 2)} ms${server}`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-runtask-bench-'));
  const profileFlags = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const server = spawnNode(
    [MAIN, 'server', '--port', '0', '--data-dir', dataDir, '--throttle', '0', '--log-level', 'warn'],
    profileFlags,
  );
  let agents: ChildProcess | undefined;
  try {
    const banner = await firstLine(server, /endpoint:/, 20_000);
    const endpoint = banner.split(/\s+/).pop() ?? '';
    await ecs(endpoint, 'CreateCluster', { clusterName: CLUSTER });
    agents = spawnNode([
      SELF,
      '--role',
      'agents',
      '--endpoint',
      endpoint,
      '--instances',
      String(INSTANCES),
      '--run-ms',
      String(RUN_MS),
    ]);
    const ready = JSON.parse(await firstLine(agents, /"ready"/, 180_000)) as { ready: number; rss: number };
    console.log(
      `runtask-api-bench: ${INSTANCES} simulated agents connected in ${fmt(ready.ready / 1000)} s ` +
        `(agents process RSS ${fmt(ready.rss, 0)} MiB, server RSS ${fmt(rssMiB(server.pid!), 0)} MiB)`,
    );
    await ecs(endpoint, 'RegisterTaskDefinition', {
      family: 'bench',
      containerDefinitions: [
        { name: 'app', image: 'bench:1', memory: 64, cpu: 16, portMappings: [{ containerPort: 80 }] },
      ],
    });
    const strategy = STRATEGIES[(values.strategy ?? 'random') as keyof typeof STRATEGIES];
    if (!strategy) throw new Error(`--strategy must be one of ${Object.keys(STRATEGIES).join(', ')}`);
    const runBody = JSON.stringify({
      cluster: CLUSTER,
      taskDefinition: 'bench',
      placementStrategy: strategy,
    });
    const runHeaders = await signedHeaders(endpoint, 'RunTask', runBody);
    const listBody = '{}';
    const listHeaders = await signedHeaders(endpoint, 'ListClusters', listBody);
    const url = `${endpoint}/`;

    const baseline = await fixedRate(url, listHeaders, listBody, RATE, BASELINE_SECONDS);
    await fixedRate(url, runHeaders, runBody, RATE, WARMUP_SECONDS);
    const cpu0 = {
      server: cpuSeconds(server.pid!),
      agents: cpuSeconds(agents.pid!),
      client: process.cpuUsage(),
    };
    const t0 = performance.now();
    const measured = await fixedRate(url, runHeaders, runBody, RATE, SECONDS);
    const elapsed = (performance.now() - t0) / 1000;
    const serverCpu = (cpuSeconds(server.pid!) - cpu0.server) / elapsed;
    const agentsCpu = (cpuSeconds(agents.pid!) - cpu0.agents) / elapsed;
    const clientUsage = process.cpuUsage(cpu0.client);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / elapsed;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const serverRss = rssMiB(server.pid!);
    await new Promise((r) => setTimeout(r, RUN_MS + 1000));
    const counts = await taskCounts(endpoint);

    console.log(
      `${RATE}/s for ${SECONDS} s after ${WARMUP_SECONDS} s warm-up; tasks run ${RUN_MS} ms; strategy ${values.strategy ?? 'random'}`,
    );
    console.log(row('ListClusters', baseline));
    console.log(row('RunTask', measured));
    console.log(
      `CPU: server ${fmt(serverCpu * 100, 0)}%, simulated agents ${fmt(agentsCpu * 100, 0)}%, ` +
        `load client ${fmt(clientCpu * 100, 0)}% (of 2 cores); machine load average ${load}`,
    );
    console.log(`server RSS ${fmt(serverRss, 0)} MiB; tasks by lastStatus ${JSON.stringify(counts)}`);
    const placed = Object.values(counts).reduce((a, b) => a + b, 0);
    const expected = Math.round(RATE * (SECONDS + WARMUP_SECONDS));
    console.log(`tasks created ${placed} of ${expected} requested (placement failures ${expected - placed})`);
    console.log(
      `ratio RunTask/ListClusters p99 ${fmt(measured.p99Ms / baseline.p99Ms, 2)}; ` +
        `target ${TARGET.rate}/s at p99 <= ${TARGET.p99Ms} ms: ` +
        (measured.achievedPerSecond >= TARGET.rate * 0.98 &&
        measured.p99Ms <= TARGET.p99Ms &&
        measured.sent === measured.ok
          ? 'met'
          : 'missed'),
    );
  } finally {
    if (agents) await stop(agents);
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
