/**
 * A throwaway PostgreSQL server for one test (or bench) process, and a fresh database per store.
 * `scripts/ensure-postgres.sh serve PORT` does the work (install when missing, initdb as the
 * `postgres` user, listen on 127.0.0.1 only unless `listen` adds addresses); it stops the server and removes its directory when
 * our end of its stdin closes, so a test process killed by SIGKILL leaves no server behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface, type Interface } from 'node:readline';
import type pg from 'pg';
import { withClient } from '../../src/store/backup/postgres-records.ts';

const SCRIPT = new URL('../../scripts/ensure-postgres.sh', import.meta.url).pathname;
/** Installing Debian's postgresql on a fresh machine takes a minute or two; a start, a second. */
const READY_TIMEOUT_MS = 240_000;
const COMMAND_TIMEOUT_MS = 30_000;

export interface PostgresServer {
  readonly port: number;
  /** The connection URL of `database` (the maintenance database `postgres` by default). */
  url(database?: string): string;
  /** A new empty database with a unique name; returns its URL. */
  createDatabase(): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  /** Fast shutdown: every connection is closed; calls fail until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Closes every server-side session of the database of `url` (what a dropped connection looks like), optionally only those whose query matches `like`. */
  terminateSessions(url: string, like?: string): Promise<number>;
  close(): Promise<void>;
  /**
   * Lets the test process end while the server runs (a harness that never calls `close`): the
   * server stops when the process exits and its end of stdin closes.
   */
  unref(): void;
}

export type PostgresAvailability = { server: PostgresServer } | { skip: string };

let shared: Promise<PostgresAvailability> | undefined;

/** One server per process, started on first use and stopped when the process exits. */
export function sharedPostgres(): Promise<PostgresAvailability> {
  shared ??= startPostgres().then(
    (server) => ({ server }),
    (error: unknown) => ({
      skip: `PostgreSQL could not be installed or started: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
  return shared;
}

export interface PostgresOptions {
  /** Addresses to listen on besides 127.0.0.1 (the host ends of veth pairs); they must exist. */
  listen?: string[];
  /** Client networks (CIDR) trusted without a password besides loopback's. */
  trust?: string[];
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const port = await freePort();
  const listen = ['127.0.0.1', ...(options.listen ?? [])].join(',');
  const child = spawn('bash', [SCRIPT, 'serve', String(port), listen, ...(options.trust ?? [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  try {
    await nextLine(lines, child, READY_TIMEOUT_MS, /^ready /, () => stderr);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  let counter = 0;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = <R>(fn: (client: pg.Client) => Promise<R>): Promise<R> => withClient(url(), fn);
  const command = async (line: string, answer: RegExp) => {
    child.stdin!.write(`${line}\n`);
    await nextLine(lines, child, COMMAND_TIMEOUT_MS, answer, () => stderr);
  };
  return {
    port,
    url,
    async createDatabase() {
      const name = `longshore_${process.pid}_${++counter}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      return url(name);
    },
    async dropDatabase(dbUrl) {
      const name = new URL(dbUrl).pathname.slice(1);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
    stop: () => command('stop', /^stopped$/),
    start: () => command('start', /^started$/),
    async terminateSessions(dbUrl, like) {
      const name = new URL(dbUrl).pathname.slice(1);
      const result = await admin((c) =>
        c.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND pid <> pg_backend_pid() AND ($2::text IS NULL OR query LIKE $2)`,
          [name, like ?? null],
        ),
      );
      return result.rowCount ?? 0;
    },
    unref() {
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr])
        (stream as unknown as { unref?: () => void } | null)?.unref?.();
    },
    async close() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end(); // the script stops the server and removes its directory
      await exited;
    },
  };
}

function nextLine(
  lines: Interface,
  child: ChildProcess,
  timeoutMs: number,
  expected: RegExp,
  stderr: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error, line?: string) => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line!);
    };
    const onLine = (line: string) => {
      if (expected.test(line)) done(undefined, line);
    };
    const onExit = (code: number | null) =>
      done(new Error(`ensure-postgres.sh exited (${code}): ${stderr().trim()}`));
    const timer = setTimeout(
      () => done(new Error(`ensure-postgres.sh did not answer ${expected} in ${timeoutMs} ms: ${stderr()}`)),
      timeoutMs,
    );
    lines.on('line', onLine);
    child.once('exit', onExit);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
