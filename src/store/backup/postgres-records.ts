/**
 * The cluster store's records in and out of PostgreSQL. A dump is one REPEATABLE READ snapshot,
 * paged by key. A load is one transaction that first commits a `clear()` through
 * `longshore_commit` (which locks the head row until the transaction ends, so no replica commits
 * in between) and then inserts the records: replicas, running or started later, see a cleared
 * revision and reload everything, as after `clear()`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { KEEP_REVISIONS } from '../postgres/postgres-store.ts';
import { migrate } from '../postgres/schema.ts';
import type { RecordLine, RecordWriter } from './records-file.ts';
import {
  type DumpResult,
  type LoadOptions,
  type LoadResult,
  refuseUnlessEmpty,
  withoutPassword,
} from './store-records.ts';

/** Rows per page read, and per INSERT written. */
const PAGE = 2_000;

export async function dumpPostgres(url: string, writer: RecordWriter): Promise<DumpResult> {
  return withClient(url, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const tables = await client.query<{ ok: boolean }>(
        `SELECT to_regclass('records') IS NOT NULL AND to_regclass('longshore_head') IS NOT NULL AS ok`,
      );
      if (!tables.rows[0].ok)
        throw new Error(
          `${withoutPassword(url)} holds no Longshore store: nothing to back up (is --store right?)`,
        );
      const state = await client.query<{ revision: string; shared: number; pg: number }>(
        `SELECT (SELECT revision FROM longshore_head WHERE id = 1) AS revision,
                (SELECT MAX(version) FROM schema_version) AS shared,
                (SELECT MAX(version) FROM pg_schema_version) AS pg`,
      );
      let after: [string, string] | undefined;
      for (;;) {
        const { rows } = await client.query<{ kind: string; key: string; version: number; value: string }>(
          after
            ? 'SELECT kind, key, version, value FROM records WHERE (kind, key) > ($2, $3) ORDER BY kind, key LIMIT $1'
            : 'SELECT kind, key, version, value FROM records ORDER BY kind, key LIMIT $1',
          after ? [PAGE, ...after] : [PAGE],
        );
        for (const row of rows) writer.add(row.kind, row.key, row.version, row.value);
        if (rows.length < PAGE) break;
        after = [rows[rows.length - 1].kind, rows[rows.length - 1].key];
      }
      const { revision, shared, pg: pgVersion } = state.rows[0];
      return { schemaVersion: shared, postgresSchemaVersion: pgVersion, revision: Number(revision) };
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

export async function loadPostgres(
  url: string,
  records: AsyncIterable<RecordLine>,
  options: LoadOptions,
): Promise<LoadResult> {
  return withClient(url, async (client) => {
    await migrate(client);
    await client.query('BEGIN');
    try {
      const head = await client.query<{ revision: string }>(
        'SELECT revision FROM longshore_head WHERE id = 1 FOR UPDATE',
      );
      const count = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM records');
      const replaced = Number(count.rows[0].n);
      refuseUnlessEmpty(replaced, { type: 'postgres', url }, options.force);
      const cleared = await client.query<{ r: { status: string } }>(
        `SELECT longshore_commit($1, $2, '[]', '[]', '[]', NULL, TRUE, $3) AS r`,
        [head.rows[0].revision, randomUUID(), KEEP_REVISIONS],
      );
      if (cleared.rows[0].r.status !== 'committed')
        throw new Error(`clearing the store answered ${JSON.stringify(cleared.rows[0].r)}`);
      let batch: RecordLine[] = [];
      for await (const record of records) {
        batch.push(record);
        if (batch.length >= PAGE) batch = await insert(client, batch);
      }
      await insert(client, batch);
      await options.beforeCommit();
      await client.query('COMMIT');
      return { replaced };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

async function insert(client: pg.Client, batch: RecordLine[]): Promise<RecordLine[]> {
  if (batch.length > 0)
    await client.query(
      `INSERT INTO records (kind, key, version, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[])`,
      [
        batch.map((r) => r.kind),
        batch.map((r) => r.key),
        batch.map((r) => r.version),
        batch.map((r) => JSON.stringify(r.value)),
      ],
    );
  return [];
}

/** One connection to `url` for `fn`, always closed (backups, restores; tests' admin statements). */
export async function withClient<R>(url: string, fn: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url });
  // A connection that dies mid-way fails the next query; without a listener it would crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
