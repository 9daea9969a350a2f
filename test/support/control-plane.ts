/** Starts a control plane in-process on a free loopback port, with an SDK client pointed at it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import {
  type ControlPlane,
  type ControlPlaneOptions,
  startControlPlane,
} from '../../src/cli/control-plane.ts';
import type { ServerTls } from '../../src/cli/tls-files.ts';

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKLSTESTTESTTESTTEST',
  secretAccessKey: 'test-secret-key-for-longshore-tests-only',
};

export interface TestPlane {
  plane: ControlPlane;
  ecs: ECSClient;
  dataDir: string;
  /** The PostgreSQL database of a cluster-mode plane (`--store`); undefined for the embedded store. */
  storeUrl?: string;
  /** Stops the server; removes the data directory unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestPlaneOptions {
  dataDir?: string;
  throttle?: number;
  maxBodyBytes?: number;
  /** Serve `POST /moto-api/reset` (`--moto-reset`). */
  motoReset?: boolean;
  /** Controller options, or `false` to run the API without the service scheduler. */
  controllers?: ControlPlaneOptions['controllers'];
  /** The vulnerability feed image scans read (`--vulnerability-feed`). */
  vulnerabilityFeedDir?: string;
  /** The registry's challenge (`--registry-auth`). */
  registryAuth?: 'basic' | 'token';
  /** Environment of the load balancer data plane process (LONGSHORE_LB_METRICS_MS ...). */
  loadBalancerEnv?: Record<string, string>;
  /** Always the embedded SQLite store, even under LONGSHORE_TEST_STORE=postgres (tests that open the SQLite file). */
  embedded?: boolean;
  /** Cluster mode's `--shared-dir`: ECR blobs and S3 objects there instead of in the data directory. */
  sharedDir?: string;
  /** A PostgreSQL database URL: the plane is a replica on it (cluster mode). */
  storeUrl?: string;
  /** Serve HTTPS with this certificate and key (`--tls-cert`, `--tls-key`). */
  tls?: ServerTls;
}

/**
 * LONGSHORE_TEST_STORE=postgres runs every test plane as a cluster-mode replica on a fresh
 * PostgreSQL database (the shared throwaway server of test/support/postgres.ts) instead of the
 * embedded SQLite store: CI runs the API tests both ways.
 */
const databaseOf = new Map<string, string>();

async function storeUrlFor(options: TestPlaneOptions, dataDir: string): Promise<string | undefined> {
  if (options.storeUrl || options.embedded || process.env.LONGSHORE_TEST_STORE !== 'postgres')
    return options.storeUrl;
  // A plane restarted on its data directory finds its records again, as with SQLite.
  const known = databaseOf.get(dataDir);
  if (known) return known;
  const { sharedPostgres } = await import('./postgres.ts');
  const availability = await sharedPostgres();
  if ('skip' in availability) throw new Error(`LONGSHORE_TEST_STORE=postgres: ${availability.skip}`);
  // Nobody closes this shared server: the test process must still end when its tests do.
  availability.server.unref();
  const url = await availability.server.createDatabase();
  databaseOf.set(dataDir, url);
  return url;
}

export async function startTestPlane(options: TestPlaneOptions = {}): Promise<TestPlane> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'longshore-test-'));
  const storeUrl = await storeUrlFor(options, dataDir);
  const plane = await startControlPlane({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    accountId: '000000000000',
    credentials: { ...TEST_CREDENTIALS, source: 'environment' },
    throttle: options.throttle ?? 0,
    motoReset: options.motoReset ?? false,
    maxBodyBytes: options.maxBodyBytes,
    controllers: options.controllers,
    vulnerabilityFeedDir: options.vulnerabilityFeedDir,
    registryAuth: options.registryAuth,
    loadBalancerEnv: options.loadBalancerEnv,
    ...(storeUrl ? { storeUrl } : {}),
    ...(options.sharedDir ? { sharedDir: options.sharedDir } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    log: pino({ level: process.env.LONGSHORE_TEST_LOG ?? 'silent' }),
  });
  const ecs = ecsClient(plane.endpoint);
  return {
    plane,
    ecs,
    dataDir,
    ...(storeUrl ? { storeUrl } : {}),
    async stop(stopOptions) {
      ecs.destroy();
      await plane.close();
      if (!stopOptions?.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function ecsClient(endpoint: string, region = 'us-east-1'): ECSClient {
  return new ECSClient({
    endpoint,
    region,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** Runs `fn` and returns the AWS error it throws (fails when it does not throw). */
export async function awsError(
  fn: () => Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await fn();
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail with an AWS error, but it succeeded');
}
