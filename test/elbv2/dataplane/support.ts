/** Helpers for the data-plane tests: small target servers, config builders, a manual clock, report collection. */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Timers } from '../../../src/core/timers.ts';
import type {
  ActionConfig,
  DataplaneReport,
  HealthCheckConfig,
  ListenerConfig,
  LoadBalancerConfig,
  RuleConfig,
  TargetConfig,
  TargetGroupConfig,
} from '../../../src/elbv2/dataplane/config.ts';
import type { Dataplane } from '../../../src/elbv2/dataplane/dataplane.ts';

export interface TestTarget {
  name: string;
  port: number;
  server: Server;
  requests: IncomingMessage[];
  /** Replace to change what the target answers. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** A target that answers `name` (and records each request); `/health` answers 200 unless `health` says otherwise. */
export async function startTarget(name: string): Promise<TestTarget> {
  const target: TestTarget = {
    name,
    port: 0,
    server: undefined as unknown as Server,
    requests: [],
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-target': name });
      res.end(name);
    },
    close: async () => {
      target.server.closeAllConnections();
      target.server.close();
    },
  };
  target.server = createServer((req, res) => {
    if (req.url !== '/health') target.requests.push(req);
    target.handler(req, res);
  });
  target.server.listen(0, '127.0.0.1');
  await once(target.server, 'listening');
  target.port = (target.server.address() as AddressInfo).port;
  return target;
}

export const HC_OFF: HealthCheckConfig = {
  enabled: false,
  protocol: 'HTTP',
  port: 'traffic-port',
  path: '/health',
  intervalSeconds: 5,
  timeoutSeconds: 2,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
  matcherHttpCode: '200',
};

export function targetOf(t: { name: string; port: number }, extra: Partial<TargetConfig> = {}): TargetConfig {
  return { key: `${t.name}:${t.port}`, address: '127.0.0.1', port: t.port, registeredAt: 0, ...extra };
}

export function tg(
  arn: string,
  targets: TargetConfig[],
  extra: Partial<TargetGroupConfig> = {},
): TargetGroupConfig {
  return {
    arn,
    protocol: 'HTTP',
    targetType: 'ip',
    healthCheck: HC_OFF,
    deregistrationDelaySeconds: 300,
    slowStartSeconds: 0,
    algorithm: 'round_robin',
    preserveClientIp: false,
    targets,
    ...extra,
  };
}

export const forward = (...arns: string[]): ActionConfig => ({
  type: 'forward',
  targetGroups: arns.map((a) => ({ targetGroupArn: a, weight: 1 })),
});

export function listener(
  arn: string,
  port: number,
  defaultActions: ActionConfig[],
  rules: RuleConfig[] = [],
  extra: Partial<ListenerConfig> = {},
): ListenerConfig {
  return { arn, protocol: 'HTTP', port, rules, defaultActions, ...extra };
}

export function alb(
  arn: string,
  listeners: ListenerConfig[],
  extra: Partial<LoadBalancerConfig> = {},
): LoadBalancerConfig {
  return {
    arn,
    type: 'application',
    dnsName: `${arn}.us-east-1.elb.localhost`,
    idleTimeoutSeconds: 60,
    http2Enabled: true,
    listeners,
    ...extra,
  };
}

/** Timers the test moves by hand: `advance(ms)` fires what is due, in order. */
export class ManualTimers implements Timers {
  now = 1_700_000_000_000;
  #seq = 0;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();
  readonly clock = { now: () => this.now };

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#pending.set(id, { at: this.now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** When each pending timer is due. */
  dueTimes(): number[] {
    return [...this.#pending.values()].map((p) => p.at);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.#pending) if (e[1].at <= until && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.#pending.delete(next[0]);
      this.now = Math.max(this.now, next[1].at);
      next[1].fn();
    }
    this.now = until;
  }
}

export function collect(dp: Dataplane): DataplaneReport[] {
  const reports: DataplaneReport[] = [];
  dp.on('report', (r) => reports.push(r));
  return reports;
}

/** Polls `check` every 10 ms until it returns something truthy, or fails after `ms`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  socketPort: number;
}

/** One HTTP/1.1 request over its own connection (or `agent`). */
export function get(
  port: number,
  path = '/',
  options: {
    method?: string;
    headers?: Record<string, string>;
    agent?: import('node:http').Agent;
    body?: string;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            socketPort: res.socket?.localPort ?? 0,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    req.end(options.body);
  });
}

/** A port that was free a moment ago (for listeners that must ask for the same port). */
export async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  s.close();
  await once(s, 'close');
  return port;
}

/**
 * A self-signed certificate (EC P-256: fast to make) from `openssl`, run asynchronously so the
 * event loop of a test that serves something never waits on it.
 */
export async function selfSignedCert(
  cn = 'localhost',
): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'longshore-lb-cert-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${cn}`,
    '-days',
    '1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  const out = { certificatePem: await readFile(cert, 'utf8'), privateKeyPem: await readFile(key, 'utf8') };
  await rm(dir, { recursive: true, force: true });
  return out;
}
