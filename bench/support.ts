/** Helpers shared by the benchmarks: signed raw requests, wrk runs, percentiles, process RSS, server children. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { signRequest } from '../src/core/sign-request.ts';

export const BENCH_CREDENTIALS = {
  accessKeyId: 'AKLSBENCHBENCHBENCH0',
  secretAccessKey: 'bench-secret-key-only-for-benchmarks',
};

/** SigV4 headers for one ECS JSON call; a signature stays valid for 15 minutes, so wrk can replay it. */
export function signedHeaders(
  endpoint: string,
  operation: string,
  body: string,
): Promise<Record<string, string>> {
  return signRequest(BENCH_CREDENTIALS, 'us-east-1', {
    method: 'POST',
    url: new URL('/', endpoint),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
    },
    body,
    now: Date.now(),
  });
}

export async function callEcs(endpoint: string, operation: string, body: object): Promise<Response> {
  const text = JSON.stringify(body);
  const { host: _h, ...headers } = await signedHeaders(endpoint, operation, text);
  return fetch(`${endpoint}/`, { method: 'POST', headers, body: text });
}

/** `callEcs` that answers the parsed JSON body and throws on any status but 200. */
export async function ecsJson(
  endpoint: string,
  operation: string,
  body: object,
): Promise<Record<string, unknown>> {
  const res = await callEcs(endpoint, operation, body);
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${operation}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** Replays one request with wrk (one thread, `connections` keep-alive connections) for `seconds`. */
export async function wrk(
  url: string,
  headers: Record<string, string>,
  body: string,
  seconds: number,
  connections = 16,
): Promise<WrkResult> {
  const script = join(tmpdir(), `longshore-wrk-${process.pid}-${Date.now()}.lua`);
  const lua = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(body)}`,
    ...Object.entries(headers)
      .filter(([k]) => k !== 'host')
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  ].join('\n');
  writeFileSync(script, lua);
  const { stdout } = await promisify(execFile)('wrk', [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    '-s',
    script,
    url,
  ]);
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(stdout);
    if (!m) return Number.NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'];
  };
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN),
    p50Ms: ms('50%'),
    p99Ms: ms('99%'),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    errors: Number(/Socket errors:.*?(\d+)/.exec(stdout)?.[1] ?? 0),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Resident set size of a process in MiB, from /proc. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export interface RateResult {
  sent: number;
  ok: number;
  achievedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** One open-loop run: what to send, how fast, and from when each latency counts. */
export interface OpenLoopOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  rate: number;
  seconds: number;
  /** Keep-alive connections at most (default 64). */
  maxSockets?: number;
  /** `due`: from the request's scheduled time, so a stall in the sender counts; `sent` (default): from when it is sent. */
  measureFrom?: 'due' | 'sent';
  /** Several endpoints taken in turn, each with its own (signed) headers; `url` and `headers` are then unused. */
  targets?: { url: string; headers: Record<string, string> }[];
}

/**
 * Open-loop load: sends one request every 1000/rate ms for `seconds`, whatever the answers do,
 * over keep-alive connections, and measures each latency (what an SLO at a given rate means,
 * unlike wrk's closed loop at saturation).
 */
export async function openLoop(o: OpenLoopOptions): Promise<RateResult> {
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 64 });
  const targets = (o.targets ?? [{ url: o.url, headers: o.headers ?? {} }]).map((t) => {
    const { host: _h, ...sendable } = t.headers;
    return { target: new URL(t.url), sendable };
  });
  const latencies: number[] = [];
  let ok = 0;
  const total = Math.round(o.rate * o.seconds);
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = o.measureFrom === 'due' ? due : performance.now();
    const { target, sendable } = targets[i % targets.length];
    inflight.push(
      new Promise<void>((resolve) => {
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: `${target.pathname}${target.search}`,
            method: o.method ?? 'GET',
            headers: sendable,
            agent,
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - t0);
              if (res.statusCode === 200) ok++;
              resolve();
            });
          },
        );
        req.on('error', () => resolve());
        req.end(o.body);
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    achievedPerSecond: ok / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** Open-loop load of one pre-signed POST (the API benches' calls). */
export function fixedRate(
  url: string,
  headers: Record<string, string>,
  body: string,
  rate: number,
  seconds: number,
): Promise<RateResult> {
  return openLoop({ url, method: 'POST', headers, body, rate, seconds });
}

/** Everything a child prints (stdout and stderr interleaved), the last 100-200 KB of it. */
export function collectOutput(child: ChildProcess): () => string {
  let out = '';
  const add = (d: Buffer) => {
    out += String(d);
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

/** Resolves with the URL a child prints as `endpoint: URL`; kills it when none comes in time. */
export async function waitForEndpoint(
  child: ChildProcess,
  output: () => string = collectOutput(child),
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const endpoint = /endpoint:\s+(\S+)/.exec(output())?.[1];
    if (endpoint) return endpoint;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`${child.spawnargs.slice(0, 4).join(' ')} did not start:\n${output()}`);
}

export interface ServerChild {
  child: ChildProcess;
  endpoint: string;
  output: () => string;
}

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;

/**
 * `longshore server` as a child process: `node src/cli/main.ts` itself (no bin/ wrapper, so
 * `child.pid` is the server's and a SIGKILL reaches it), on 127.0.0.1 and a free port, throttling
 * off, log level warn, the bench credentials; `args` adds flags (`--store postgres://...`).
 */
export async function startServer(
  dataDir: string,
  args: string[] = [],
  options: { nodeFlags?: string[]; timeoutMs?: number } = {},
): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      ...(options.nodeFlags ?? []),
      MAIN,
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--throttle',
      '0',
      '--log-level',
      'warn',
      ...args,
    ],
    {
      env: {
        ...process.env,
        LONGSHORE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
        LONGSHORE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = collectOutput(child);
  const endpoint = await waitForEndpoint(child, output, options.timeoutMs);
  return { child, endpoint, output };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the first stdout line matching `pattern` (or fails when the child exits first). */
export function firstLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    lines.on('line', (line) => {
      if (!pattern.test(line)) return;
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing ${pattern}`)));
  });
}
