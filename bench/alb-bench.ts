/**
 * The load-balancer data plane against nginx and HAProxy as reverse proxies, side by side in one
 * run on the same box and the same target (nginx serving static 1 KB and 64 KB files, so the
 * target is never the bottleneck): wrk -t2 -c64 against (a) the target directly, (b) Longshore's
 * ALB data plane (its child-process entry, as the control plane starts it), (c) nginx with upstream
 * keep-alive, (d) HAProxy in HTTP mode; then the NLB TCP path against HAProxy in TCP mode.
 * Prints requests/s, p50/p99 and the latency each proxy adds over direct at saturation, the CPU
 * each proxy's processes spent per request, and the latency added at a fixed 2,000 req/s (open
 * loop, where queueing at saturation does not hide what the proxy itself adds).
 *
 *   node --disable-warning=ExperimentalWarning bench/alb-bench.ts [seconds per run, default 10]
 *
 * Installs nginx-light and haproxy from Debian when they are missing (bench only).
 */
import { type ChildProcess, execFile, execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataplaneConfig, DataplaneReport } from '../src/elbv2/dataplane/config.ts';
import { fmt, openLoop } from './support.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const THREADS = 2;
const CONNECTIONS = 64;
const run = promisify(execFile);

function ensureInstalled(): void {
  const missing = [
    ['nginx', 'nginx-light'],
    ['haproxy', 'haproxy'],
    ['wrk', 'wrk'],
  ].filter(([bin]) => !existsSync(`/usr/sbin/${bin}`) && !existsSync(`/usr/bin/${bin}`));
  if (missing.length === 0) return;
  console.log(`installing ${missing.map((m) => m[1]).join(' ')} (bench only)`);
  execFileSync('apt-get', ['update'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', ...missing.map((m) => m[1])], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/1k`);
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing answers on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** CPU time (user + system, ms) of a process and all its descendants, from /proc. */
function treeCpuMs(root: number): number {
  const ticks = 100; // USER_HZ on Linux
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      cpu.set(Number(name), ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks);
    } catch {}
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) {
      if (p === root) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

interface Result {
  /** CPU ms the proxy's processes used per 1000 requests (undefined for the direct run). */
  cpuPerKReq?: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function wrk(url: string): Promise<Result> {
  const { stdout } = await run(
    'wrk',
    [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', url],
    { maxBuffer: 1 << 20 },
  );
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(stdout);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'] : Number.NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = non2xx + (socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN),
    p50: ms('50%'),
    p99: ms('99%'),
    errors,
  };
}

const FIXED_RATE = 2000;
const FIXED_SECONDS = 5;

interface FixedResult {
  sent: number;
  ok: number;
  p50: number;
  p99: number;
}

/** GETs sent on a fixed schedule over 16 keep-alive connections; each latency from its due time, so a stall counts. */
async function fixedRateGet(url: string, rate: number, seconds: number): Promise<FixedResult> {
  const r = await openLoop({ url, rate, seconds, maxSockets: 16, measureFrom: 'due' });
  return { sent: r.sent, ok: r.ok, p50: r.p50Ms, p99: r.p99Ms };
}

function nginxConf(dir: string, body: string): string {
  const path = join(dir, `nginx-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(path, `daemon off;\nerror_log ${dir}/nginx-error.log;\npid ${path}.pid;\n${body}\n`);
  return path;
}

function start(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function main(): Promise<void> {
  ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'longshore-alb-bench-'));
  const www = join(dir, 'www');
  mkdirSync(www);
  writeFileSync(join(www, '1k'), 'x'.repeat(1024));
  writeFileSync(join(www, '64k'), 'x'.repeat(65536));
  const [targetPort, nginxPort, haproxyPort, haproxyTcpPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const c of children) c.kill('SIGTERM');
  };
  process.on('exit', stopAll);

  // The target: nginx, one worker, static files (the same target behind every contestant).
  const common = `access_log off; keepalive_requests 1000000; keepalive_timeout 120s; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`;
  children.push(
    start('nginx', [
      '-c',
      nginxConf(
        dir,
        `worker_processes 1;\nevents { worker_connections 4096; }\nhttp { ${common} server { listen 127.0.0.1:${targetPort}; root ${www}; default_type text/plain; } }`,
      ),
      '-e',
      join(dir, 'target-error.log'),
    ]),
  );
  // nginx as reverse proxy, as a distro would run it: a worker per core, upstream keep-alive.
  children.push(
    start('nginx', [
      '-c',
      nginxConf(
        dir,
        `worker_processes auto;\nevents { worker_connections 4096; }\nhttp { ${common} upstream t { server 127.0.0.1:${targetPort}; keepalive 128; } server { listen 127.0.0.1:${nginxPort}; location / { proxy_pass http://t; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme; proxy_buffering on; } } }`,
      ),
      '-e',
      join(dir, 'proxy-error.log'),
    ]),
  );
  // HAProxy: HTTP mode with connection reuse, and TCP mode, a thread per core.
  const haCfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    haCfg,
    `global\n  nbthread 2\n  maxconn 4000\ndefaults\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\nfrontend fh\n  mode http\n  bind 127.0.0.1:${haproxyPort}\n  option forwardfor\n  default_backend bh\nbackend bh\n  mode http\n  http-reuse always\n  server t 127.0.0.1:${targetPort}\nfrontend ft\n  mode tcp\n  bind 127.0.0.1:${haproxyTcpPort}\n  default_backend bt\nbackend bt\n  mode tcp\n  server t 127.0.0.1:${targetPort}\n`,
  );
  children.push(start('haproxy', ['-f', haCfg]));

  // Longshore: the data plane's child-process entry, as the control plane starts it.
  const dataplane = fork(new URL('../src/elbv2/dataplane/main.ts', import.meta.url).pathname, [], {
    execArgv: ['--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(dataplane);
  const albPort = await freePort();
  const nlbPort = await freePort();
  const ports = new Map<string, number>();
  dataplane.on('message', (r: DataplaneReport) => {
    if (r.type === 'listening') ports.set(r.listenerArn, r.hostPort);
  });
  const target = { key: `127.0.0.1:${targetPort}`, address: '127.0.0.1', port: targetPort, registeredAt: 0 };
  const hc = {
    enabled: true,
    protocol: 'HTTP' as const,
    port: 'traffic-port',
    path: '/1k',
    intervalSeconds: 5,
    timeoutSeconds: 2,
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 2,
    matcherHttpCode: '200',
  };
  const config: DataplaneConfig = {
    generation: 1,
    targetGroups: [
      {
        arn: 'tg-http',
        protocol: 'HTTP',
        targetType: 'ip',
        healthCheck: hc,
        deregistrationDelaySeconds: 300,
        slowStartSeconds: 0,
        algorithm: 'round_robin',
        preserveClientIp: false,
        targets: [target],
      },
      {
        arn: 'tg-tcp',
        protocol: 'TCP',
        targetType: 'ip',
        healthCheck: { ...hc, protocol: 'TCP' },
        deregistrationDelaySeconds: 300,
        slowStartSeconds: 0,
        algorithm: 'round_robin',
        preserveClientIp: false,
        targets: [target],
      },
    ],
    loadBalancers: [
      {
        arn: 'alb',
        type: 'application',
        dnsName: 'bench.elb.localhost',
        idleTimeoutSeconds: 60,
        http2Enabled: true,
        listeners: [
          {
            arn: 'alb-http',
            protocol: 'HTTP',
            port: albPort,
            rules: [],
            defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupArn: 'tg-http', weight: 1 }] }],
          },
        ],
      },
      {
        arn: 'nlb',
        type: 'network',
        dnsName: 'bench-nlb.elb.localhost',
        idleTimeoutSeconds: 350,
        http2Enabled: false,
        listeners: [
          {
            arn: 'nlb-tcp',
            protocol: 'TCP',
            port: nlbPort,
            rules: [],
            defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupArn: 'tg-tcp', weight: 1 }] }],
          },
        ],
      },
    ],
  };
  dataplane.send({ type: 'config', config });

  await Promise.all([targetPort, nginxPort, haproxyPort, haproxyTcpPort].map((p) => waitForPort(p)));
  while (!ports.has('alb-http') || !ports.has('nlb-tcp')) await new Promise((r) => setTimeout(r, 20));
  await waitForPort(ports.get('alb-http') ?? 0);

  const [, nginxProxy, haproxy] = children;
  const contestants: [string, number, number | undefined][] = [
    ['direct (target)', targetPort, undefined],
    ['longshore ALB', ports.get('alb-http') ?? 0, dataplane.pid],
    ['nginx proxy', nginxPort, nginxProxy.pid],
    ['haproxy http', haproxyPort, haproxy.pid],
    ['longshore NLB tcp', ports.get('nlb-tcp') ?? 0, dataplane.pid],
    ['haproxy tcp', haproxyTcpPort, haproxy.pid],
  ];
  console.log(
    `wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s, ${(await run('nproc')).stdout.trim()} cores, Node ${process.version}`,
  );
  for (const size of ['1k', '64k']) {
    const results = new Map<string, Result>();
    for (const [name, port, pid] of contestants) {
      // A short warm-up (JIT, pools) that is not counted.
      await run('wrk', ['-t1', '-c8', '-d1s', `http://127.0.0.1:${port}/${size}`]);
      const cpuBefore = pid ? treeCpuMs(pid) : 0;
      const r = await wrk(`http://127.0.0.1:${port}/${size}`);
      if (pid) r.cpuPerKReq = (treeCpuMs(pid) - cpuBefore) / ((r.rps * SECONDS) / 1000);
      results.set(name, r);
    }
    const direct = results.get('direct (target)') as Result;
    const nginx = results.get('nginx proxy') as Result;
    const haTcp = results.get('haproxy tcp') as Result;
    console.log(`\n${size} GET`);
    console.log(
      'contestant           req/s      p50 ms   p99 ms   +p50 ms  +p99 ms  vs nginx  cpu us/req  errors',
    );
    for (const [name] of contestants) {
      const r = results.get(name) as Result;
      const base = name.includes('tcp') ? haTcp : nginx;
      console.log(
        `${name.padEnd(20)} ${fmt(r.rps, 0).padStart(8)}  ${fmt(r.p50, 2).padStart(7)}  ${fmt(r.p99, 2).padStart(7)}  ${fmt(r.p50 - direct.p50, 2).padStart(7)}  ${fmt(r.p99 - direct.p99, 2).padStart(7)}  ${fmt(r.rps / base.rps, 2).padStart(8)}  ${(r.cpuPerKReq === undefined ? '-' : fmt(r.cpuPerKReq, 1)).padStart(10)}  ${r.errors}`,
      );
    }
  }
  // Latency at a fixed, moderate rate (open loop: one request every 1/RATE s whatever the answers
  // do), where the figure is what the proxy adds rather than queueing at saturation.
  console.log(`\nopen loop: 1k GET at ${FIXED_RATE}/s for ${FIXED_SECONDS} s over keep-alive connections`);
  console.log('contestant           p50 ms   p99 ms   +p50 ms  +p99 ms  ok');
  const fixed = new Map<string, FixedResult>();
  for (const [name, port] of contestants)
    fixed.set(name, await fixedRateGet(`http://127.0.0.1:${port}/1k`, FIXED_RATE, FIXED_SECONDS));
  const base = fixed.get('direct (target)') as FixedResult;
  for (const [name] of contestants) {
    const r = fixed.get(name) as FixedResult;
    console.log(
      `${name.padEnd(20)} ${fmt(r.p50, 3).padStart(7)}  ${fmt(r.p99, 3).padStart(7)}  ${fmt(r.p50 - base.p50, 3).padStart(7)}  ${fmt(r.p99 - base.p99, 3).padStart(7)}  ${r.ok}/${r.sent}`,
    );
  }
  dataplane.send({ type: 'shutdown' });
  stopAll();
  process.exit(0);
}

await main();
