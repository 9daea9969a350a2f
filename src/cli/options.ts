/** Flags shared by `longshore up` and `longshore server`, with their defaults. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';

/** Longshore's default port: 4590 (LocalStack uses 4566; both can run side by side). */
export const DEFAULT_PORT = 4590;
export const DEFAULT_REGION = 'us-east-1';
/** The account id in ARNs; the same as moto's and LocalStack's default, so fixtures carry over. */
export const DEFAULT_ACCOUNT_ID = '000000000000';

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'longshore');
}

export const serverFlags = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  throttle: { type: 'string' },
  'stopped-task-retention': { type: 'string' },
  'log-level': { type: 'string' },
  'moto-reset': { type: 'boolean' },
  'vulnerability-feed': { type: 'string' },
  'registry-auth': { type: 'string' },
  iam: { type: 'string' },
  store: { type: 'string' },
  'shared-dir': { type: 'string' },
  'fast-metrics': { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export interface ServerFlags {
  dataDir: string;
  port: number;
  /** True when --port or LONGSHORE_PORT chose the port: a taken port is then an error, not replaced. */
  portExplicit: boolean;
  host: string;
  region: string;
  accountId: string;
  throttle: number;
  stoppedTaskRetentionMs: number | undefined;
  logLevel: string;
  /** Serve moto's unauthenticated `POST /moto-api/reset` (--moto-reset or LONGSHORE_MOTO_RESET=1). */
  motoReset: boolean;
  /** An OSV export directory image scans match packages against (--vulnerability-feed). */
  vulnerabilityFeedDir: string | undefined;
  /** The registry's 401 challenge: `basic` (ECR's, default) or `token` (the Docker token flow's Bearer). */
  registryAuth: 'basic' | 'token';
  /** IAM authorization of every request: `on` (default) or `off` (--iam off or LONGSHORE_IAM=off). */
  iam: 'on' | 'off';
  /** Fast local metrics, alarms and scaling (--fast-metrics or LONGSHORE_FAST_METRICS=1). */
  fastMetrics: boolean;
  /** A PostgreSQL URL (--store or LONGSHORE_STORE): records there, shared by replicas; else SQLite. */
  storeUrl: string | undefined;
  /** Cluster mode: a directory every replica mounts (--shared-dir or LONGSHORE_SHARED_DIR) for ECR blobs and S3 objects. */
  sharedDir: string | undefined;
  /** HTTPS for the API and the agent channel (--tls-cert and --tls-key, or LONGSHORE_TLS_CERT/_KEY): PEM files. */
  tls: { certFile: string; keyFile: string } | undefined;
}

export function readServerFlags(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
  mode: 'up' | 'server',
): ServerFlags {
  const str = (k: string): string | undefined =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined;
  const givenPort = str('port') ?? (env.LONGSHORE_PORT || undefined);
  const port = Number(givenPort ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${str('port')}`);
  const accountId = str('account-id') ?? env.LONGSHORE_ACCOUNT_ID ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`--account-id must be 12 digits, got ${accountId}`);
  const throttle = Number(str('throttle') ?? (mode === 'up' ? 0 : 5));
  if (!Number.isFinite(throttle) || throttle < 0)
    throw new Error('--throttle must be a number >= 0 (0 turns it off)');
  const retention = str('stopped-task-retention');
  const registryAuth = str('registry-auth') ?? env.LONGSHORE_REGISTRY_AUTH ?? 'basic';
  if (registryAuth !== 'basic' && registryAuth !== 'token')
    throw new Error(`--registry-auth must be basic or token, got ${registryAuth}`);
  const iam = str('iam') ?? (env.LONGSHORE_IAM || 'on');
  if (iam !== 'on' && iam !== 'off') throw new Error(`--iam must be on or off, got ${iam}`);
  const storeUrl = str('store') ?? (env.LONGSHORE_STORE || undefined);
  if (storeUrl !== undefined && !/^postgres(ql)?:\/\//.test(storeUrl))
    throw new Error(
      `--store must be a postgres:// URL (the embedded SQLite store needs none), got ${storeUrl.split('@').at(-1)}`,
    );
  const sharedDir = str('shared-dir') ?? (env.LONGSHORE_SHARED_DIR || undefined);
  if (sharedDir !== undefined && storeUrl === undefined)
    throw new Error('--shared-dir is for cluster mode: give --store postgres://... too (or leave it out)');
  const certFile = str('tls-cert') ?? (env.LONGSHORE_TLS_CERT || undefined);
  const keyFile = str('tls-key') ?? (env.LONGSHORE_TLS_KEY || undefined);
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new Error(
      `--tls-cert and --tls-key go together (the certificate and its private key, PEM files); got only ${certFile ? '--tls-cert' : '--tls-key'}`,
    );
  return {
    dataDir: str('data-dir') ?? env.LONGSHORE_DATA_DIR ?? defaultDataDir(env),
    port,
    portExplicit: givenPort !== undefined,
    host: str('host') ?? '127.0.0.1',
    region: str('region') ?? env.LONGSHORE_REGION ?? DEFAULT_REGION,
    accountId,
    throttle,
    stoppedTaskRetentionMs: retention === undefined ? undefined : parseDuration(retention),
    logLevel: str('log-level') ?? 'warn',
    motoReset: values['moto-reset'] === true || env.LONGSHORE_MOTO_RESET === '1',
    vulnerabilityFeedDir: str('vulnerability-feed'),
    registryAuth,
    iam,
    fastMetrics:
      values['fast-metrics'] === true || /^(1|true|on|yes)$/i.test(env.LONGSHORE_FAST_METRICS ?? ''),
    storeUrl,
    sharedDir,
    tls: certFile && keyFile ? { certFile, keyFile } : undefined,
  };
}

/** `90s`, `15m`, `24h` or plain milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text);
  if (!m) throw new Error(`not a duration: '${text}' (use e.g. 30s, 15m, 24h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
}
