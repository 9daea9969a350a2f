/**
 * The resident memory of a real `longshore agent` process (Docker runtime), and what its task
 * starts cost in time: a control plane (`longshore server`) and `bin/longshore.mjs agent` joined to
 * it with a join token, as on another host.
 *
 *   node_modules/.bin/node bench/agent-memory-bench.ts [--runs 3] [--tasks 10] [--settle 5]
 *       [--v8-flags=...] [--v8-flags=...] [--no-detail]
 *
 * Each run starts an agent and, once its instance is registered and its control channel
 * connected, waits `--settle` seconds and reads its VmRSS (idle); then starts one task at a time
 * (5 of them: RunTask -> RUNNING, from the task's createdAt to its startedAt, both the control
 * plane's clock; the first start also loads the task engine's modules), then `--tasks` more at once,
 * and reads VmRSS again with all of them RUNNING. bin/longshore.mjs runs the CLI in a child Node:
 * the agent is that child, whose RSS is the figure (the wrapper's own is printed too). A first,
 * unmeasured agent and its first task fill the compile cache, this bench's own (a temporary
 * directory): the modules a first task loads are compiled then (and Node's TypeScript stripper,
 * ~20 MiB, loaded: an agent whose modules are not in the cache carries it until it restarts).
 * `--v8-flags=...` sets LONGSHORE_AGENT_V8_FLAGS for the agents (`--v8-flags=`: V8's defaults);
 * given several times, the runs take them in turn (interleaved, so drift hits each alike), each
 * with a compile cache of its own (V8 flags are part of a cached compilation's key).
 * `--detail` (default on) runs one more agent with a probe (NODE_OPTIONS=--import): heap used,
 * external memory and the modules it loaded, by package, read when idle. The probe costs memory
 * of its own: the RSS figures come from the runs without it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { INSTANCE_LABEL } from '../src/agent/engine/naming.ts';
import { signRequest } from '../src/core/sign-request.ts';
import { LONGSHORE_TARGET_PREFIX } from '../src/longshore-api/longshore-service.ts';
import {
  BENCH_CREDENTIALS,
  collectOutput,
  ecsJson,
  percentile,
  rssMiB,
  startServer,
  stopChild,
} from './support.ts';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'longshore.mjs');
const IMAGE = 'longshore-test/busybox:latest';
const TARGET_MB = 60;
const SEQUENTIAL_STARTS = 5;
/** Every wait is bounded. */
const WAIT_MS = 60_000;

const { values } = parseArgs({
  options: {
    tasks: { type: 'string' },
    settle: { type: 'string' },
    runs: { type: 'string' },
    'v8-flags': { type: 'string', multiple: true },
    'no-detail': { type: 'boolean' },
  },
});
const TASKS = Number(values.tasks ?? 10);
const SETTLE_MS = Number(values.settle ?? 5) * 1000;
const RUNS = Number(values.runs ?? 3);
/** LONGSHORE_AGENT_V8_FLAGS of each configuration compared; undefined: not set (the agent's own). */
const CONFIGS: (string | undefined)[] = values['v8-flags'] ?? [undefined];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const mb = (mebibytes: number) => (mebibytes * 1.048576).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The wrapper's child: the Node that runs src/cli/main.ts. */
function childPid(wrapper: number): number | undefined {
  try {
    const pids = readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, 'utf8').trim();
    return pids ? Number(pids.split(' ')[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** A field of /proc/PID/status (VmHWM, RssAnon, RssFile) or smaps_rollup (Pss), in MiB. */
function procMiB(pid: number, field: string): number {
  const file = field === 'Pss' ? 'smaps_rollup' : 'status';
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function createJoinToken(endpoint: string): Promise<string> {
  const body = JSON.stringify({ description: 'agent-memory-bench' });
  const { host: _host, ...headers } = await signRequest(BENCH_CREDENTIALS, 'us-east-1', {
    method: 'POST',
    url: new URL('/', endpoint),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${LONGSHORE_TARGET_PREFIX}.CreateAgentJoinToken`,
    },
    body,
    now: Date.now(),
  });
  const res = await fetch(new URL('/', endpoint), { method: 'POST', headers, body });
  const out = (await res.json()) as { token?: string };
  if (!res.ok || !out.token)
    throw new Error(`CreateAgentJoinToken: HTTP ${res.status} ${JSON.stringify(out)}`);
  return out.token;
}

/** Writes memory and the modules loaded on SIGUSR2 (only in the Node that runs main.ts). */
const PROBE = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
if (process.argv[1]?.endsWith('main.ts')) {
  const modules = [];
  registerHooks({
    load(url, context, next) {
      const r = next(url, context);
      modules.push([url, r.source == null ? 0 : r.source.length]);
      return r;
    },
  });
  process.on('SIGUSR2', () => {
    writeFileSync(process.env.AGENT_PROBE_OUT, JSON.stringify({
      memory: process.memoryUsage(),
      modules,
      builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).length,
    }));
  });
}
`;

interface AgentRun {
  wrapper: ChildProcess;
  pid: number;
  arn: string;
}

async function startAgent(
  endpoint: string,
  dir: string,
  cacheDir: string,
  v8Flags: string | undefined,
  env: Record<string, string> = {},
): Promise<AgentRun> {
  const token = await createJoinToken(endpoint);
  const wrapper = spawn(
    process.execPath,
    [BIN, 'agent', '--endpoint', endpoint, '--data-dir', dir, '--metadata-port', '0', '--log-level', 'warn'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        NODE_COMPILE_CACHE: cacheDir,
        LONGSHORE_JOIN_TOKEN: token,
        ...(v8Flags !== undefined ? { LONGSHORE_AGENT_V8_FLAGS: v8Flags } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = collectOutput(wrapper);
  try {
    const arn = await until('the agent to register', () => {
      if (wrapper.exitCode !== null) throw new Error(`the agent exited (${wrapper.exitCode}):\n${output()}`);
      return /Longshore agent registered as (\S+)/.exec(output())?.[1];
    });
    await until('the agent to connect', async () => {
      const out = await ecsJson(endpoint, 'DescribeContainerInstances', { containerInstances: [arn] });
      const [instance] = out.containerInstances as { agentConnected?: boolean }[];
      return instance?.agentConnected ? true : undefined;
    });
    const pid = await until('the agent process', () => childPid(wrapper.pid ?? 0));
    return { wrapper, pid, arn };
  } catch (error) {
    await stopChild(wrapper);
    throw error;
  }
}

interface TaskTimes {
  taskArn: string;
  lastStatus: string;
  createdAt?: number;
  startedAt?: number;
}

/** Starts `count` tasks at once; resolves with each one's RunTask -> RUNNING time (ms), once all run. */
async function runTasks(endpoint: string, count: number): Promise<{ arns: string[]; startMs: number[] }> {
  const arns: string[] = [];
  while (arns.length < count) {
    const out = await ecsJson(endpoint, 'RunTask', {
      taskDefinition: 'agent-memory-bench',
      count: Math.min(10, count - arns.length),
    });
    const failures = out.failures as unknown[];
    if (failures.length > 0) throw new Error(`RunTask failed: ${JSON.stringify(failures)}`);
    arns.push(...(out.tasks as { taskArn: string }[]).map((t) => t.taskArn));
  }
  const tasks = await until(
    `${count} tasks RUNNING`,
    async () => {
      const out = await ecsJson(endpoint, 'DescribeTasks', { tasks: arns });
      const described = out.tasks as TaskTimes[];
      if (described.some((t) => t.lastStatus === 'STOPPED')) throw new Error('a bench task stopped');
      return described.every((t) => t.lastStatus === 'RUNNING') ? described : undefined;
    },
    20,
  );
  return { arns, startMs: tasks.map((t) => ((t.startedAt ?? 0) - (t.createdAt ?? 0)) * 1000) };
}

async function removeContainers(arn: string): Promise<void> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${INSTANCE_LABEL}=${arn}`]);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await run('docker', ['rm', '-f', '-v', ...ids]);
}

interface Measured {
  idle: number;
  /** Idle: anonymous (the process's own) and file-backed (the node binary's pages, shared) parts, and PSS. */
  anon: number;
  file: number;
  pss: number;
  busy: number;
  peak: number;
  wrapper: number;
  first: number;
  sequential: number[];
  concurrentMs: number;
}

/** One agent from start to stop. */
async function measure(
  endpoint: string,
  base: string,
  cacheDir: string,
  v8Flags: string | undefined,
  index: number,
): Promise<Measured> {
  const agent = await startAgent(endpoint, join(base, `agent-${index}`), cacheDir, v8Flags);
  const started: string[] = [];
  try {
    await sleep(SETTLE_MS);
    const idle = rssMiB(agent.pid);
    const [anon, file, pss] = ['RssAnon', 'RssFile', 'Pss'].map((field) => procMiB(agent.pid, field));
    const wrapper = rssMiB(agent.wrapper.pid ?? 0);
    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL_STARTS; i++) {
      const { arns, startMs } = await runTasks(endpoint, 1);
      started.push(...arns);
      sequential.push(startMs[0]);
    }
    const t0 = performance.now();
    const batch = await runTasks(endpoint, TASKS);
    const concurrentMs = performance.now() - t0;
    started.push(...batch.arns);
    await sleep(SETTLE_MS);
    const busy = rssMiB(agent.pid);
    return {
      idle,
      anon,
      file,
      pss,
      busy,
      peak: procMiB(agent.pid, 'VmHWM'),
      wrapper,
      first: sequential[0],
      sequential: sequential.slice(1),
      concurrentMs,
    };
  } finally {
    for (const task of started) await ecsJson(endpoint, 'StopTask', { task }).catch(() => undefined);
    await stopChild(agent.wrapper);
    await removeContainers(agent.arn);
  }
}

interface ProbeOut {
  memory: NodeJS.MemoryUsage;
  modules: [string, number][];
  builtins: number;
}

/** An agent with the probe: where its memory is, and which modules it loaded, by package. */
async function detail(
  endpoint: string,
  base: string,
  cacheDir: string,
  v8Flags: string | undefined,
): Promise<void> {
  const probeFile = join(base, 'probe.mjs');
  const out = join(base, 'probe.json');
  writeFileSync(probeFile, PROBE);
  const agent = await startAgent(endpoint, join(base, 'agent-detail'), cacheDir, v8Flags, {
    NODE_OPTIONS: `--import=${probeFile}`,
    AGENT_PROBE_OUT: out,
  });
  try {
    await sleep(SETTLE_MS);
    process.kill(agent.pid, 'SIGUSR2');
    const probe = await until('the probe', () => {
      try {
        return JSON.parse(readFileSync(out, 'utf8')) as ProbeOut;
      } catch {
        return undefined;
      }
    });
    const m = probe.memory;
    console.log(
      `idle, with the probe: RSS ${mib(m.rss)} MiB; V8 heap ${mib(m.heapUsed)} used / ${mib(m.heapTotal)} MiB; external ${mib(m.external)} MiB (array buffers ${mib(m.arrayBuffers)})`,
    );
    const byPackage = new Map<string, { count: number; bytes: number }>();
    for (const [url, bytes] of probe.modules) {
      const key = packageOf(url);
      const entry = byPackage.get(key) ?? { count: 0, bytes: 0 };
      entry.count++;
      entry.bytes += bytes;
      byPackage.set(key, entry);
    }
    const total = probe.modules.reduce((sum, [, bytes]) => sum + bytes, 0);
    console.log(
      `modules loaded: ${probe.modules.length} (${mib(total)} MiB of source) + ${probe.builtins} Node built-ins; by package:`,
    );
    for (const [name, e] of [...byPackage].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 20))
      console.log(
        `  ${name.padEnd(32)} ${String(e.count).padStart(4)} modules ${(e.bytes / 1024).toFixed(0).padStart(6)} KiB`,
      );
  } finally {
    await stopChild(agent.wrapper);
    await removeContainers(agent.arn);
  }
}

/** `node_modules/@scope/name`, `node_modules/name`, `src/<dir>` or the URL's scheme (node:). */
function packageOf(url: string): string {
  if (!url.startsWith('file:')) return url.split(':')[0];
  const path = url.slice('file://'.length);
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1];
  const src = /\/src\/([^/]+)\//.exec(path);
  return src ? `src/${src[1]}` : path.slice(ROOT.length);
}

function report(v8Flags: string | undefined, results: Measured[]): void {
  const flags = v8Flags === undefined ? "not set (the agent's own)" : `'${v8Flags}'`;
  console.log(
    `longshore agent, Docker runtime, compile cache warm, LONGSHORE_AGENT_V8_FLAGS ${flags}; ${results.length} runs, read ${SETTLE_MS / 1000} s after each state:`,
  );
  for (const [i, r] of results.entries())
    console.log(
      `  run ${i + 1}: idle ${r.idle.toFixed(1)} MiB (anonymous ${r.anon.toFixed(1)}, file ${r.file.toFixed(1)}; PSS ${r.pss.toFixed(1)}); ${SEQUENTIAL_STARTS + TASKS} tasks ${r.busy.toFixed(1)} MiB; peak ${r.peak.toFixed(1)} MiB; bin/ wrapper ${r.wrapper.toFixed(1)} MiB`,
    );
  const idle = median(results.map((r) => r.idle));
  const part = (pick: (r: Measured) => number) => median(results.map(pick)).toFixed(1);
  console.log(
    `  idle RSS (median): ${idle.toFixed(1)} MiB = ${mb(idle)} MB (target <= ${TARGET_MB} MB: ${idle * 1.048576 <= TARGET_MB ? 'met' : 'missed'}): anonymous ${part((r) => r.anon)} MiB, file-backed ${part((r) => r.file)} MiB, PSS ${part((r) => r.pss)} MiB; with ${SEQUENTIAL_STARTS + TASKS} tasks ${part((r) => r.busy)} MiB`,
  );
  const sequential = results.flatMap((r) => r.sequential).sort((a, b) => a - b);
  console.log(
    `  RunTask -> RUNNING: first task ${median(results.map((r) => r.first)).toFixed(0)} ms (median); next ones p50 ${percentile(sequential, 50).toFixed(0)} ms, p99 ${percentile(sequential, 99).toFixed(0)} ms; ${TASKS} at once: all RUNNING in ${median(results.map((r) => r.concurrentMs)).toFixed(0)} ms (median)`,
  );
}

async function main(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts/ensure-docker.sh')]);
  await run('bash', [join(ROOT, 'scripts/build-test-images.sh')]);
  const base = mkdtempSync(join(tmpdir(), 'longshore-agent-memory-'));
  const server = await startServer(join(base, 'plane'));
  try {
    await ecsJson(server.endpoint, 'RegisterTaskDefinition', {
      family: 'agent-memory-bench',
      containerDefinitions: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'], memory: 16 }],
    });
    const cacheDirs = CONFIGS.map((_, i) => join(base, `compile-cache-${i}`));
    // Per configuration, a first agent and its first task fill the compile cache (as on a host, after its first task).
    for (const [i, v8Flags] of CONFIGS.entries()) {
      const warm = await startAgent(server.endpoint, join(base, `agent-warm-${i}`), cacheDirs[i], v8Flags);
      try {
        const { arns } = await runTasks(server.endpoint, 1);
        await ecsJson(server.endpoint, 'StopTask', { task: arns[0] });
      } finally {
        await stopChild(warm.wrapper);
        await removeContainers(warm.arn);
      }
    }
    const results: Measured[][] = CONFIGS.map(() => []);
    for (let r = 0; r < RUNS; r++)
      for (const [i, v8Flags] of CONFIGS.entries())
        results[i].push(await measure(server.endpoint, base, cacheDirs[i], v8Flags, r * CONFIGS.length + i));
    for (const [i, v8Flags] of CONFIGS.entries()) report(v8Flags, results[i]);
    if (!values['no-detail']) await detail(server.endpoint, base, cacheDirs[0], CONFIGS[0]);
  } finally {
    await stopChild(server.child);
    rmSync(base, { recursive: true, force: true });
  }
}

await main();
