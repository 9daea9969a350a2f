/**
 * The cluster-mode event store: the replicas' shared PostgreSQL database (`--store postgres://...`),
 * so events put through one replica are read through every other, and group and stream ids come
 * from one sequence for all of them.
 *
 *   logs_events(id bigserial, group_id, stream_id, timestamp, ingestion_time, message bytea)
 *     index logs_events_group_time   (group_id, timestamp, id)            FilterLogEvents, retention
 *     index logs_events_stream_time  (group_id, stream_id, timestamp, id) GetLogEvents, stream deletion
 *   logs_stream_stats(group_id, stream_id, first_ts, last_ts, last_ingest, stored_bytes)
 *   logs_ids (sequence)                                                    group and stream ids
 *
 * Semantics are the SQLite store's (sqlite-event-store.ts), with these PostgreSQL specifics:
 *
 * - **Ids in commit order within a group.** A bigserial is handed out when a row is inserted, not
 *   when it commits, so two concurrent appends could commit out of id order: a reader whose cursor
 *   is `(t, 700)` would then never see an event `(t, 650)` committed after it read. Every write to
 *   a group's events (append, expire, delete) therefore first takes a transaction-level advisory
 *   lock on the group, before it draws any id; the lock is released after the commit is visible.
 *   So within a group (every cursor is within one: a stream's or the group's) an event committed
 *   after a read always sorts after the events that read saw at its timestamp, as with SQLite's
 *   single writer: paging and tailing with `(timestamp, id)` cursors miss nothing the SQLite store
 *   would not. (Appends to one group take turns; appends to different groups do not.)
 * - **Messages are bytea** (their UTF-8 bytes): PostgreSQL's text cannot hold NUL, a log line can.
 *   UTF-8 is self-synchronizing, so `position(term IN message)` on bytes is exactly substring
 *   containment: the `contains` terms are matched in SQL.
 * - **Connection loss.** Reads, id draws and deletions are retried on a new connection (backoff)
 *   for `retryWindowMs`, then fail with `StoreUnavailable` (a 5xx `ServiceUnavailable`). An append
 *   is one transaction, retried only while its COMMIT was not sent; when the COMMIT went out and
 *   no answer came back it fails with `StoreUnavailable` (`outcome: 'unknown'`), never a second copy.
 *   Every statement has a server-side `statement_timeout` and a client-side `query_timeout`, so
 *   a partition cannot hang a request.
 * - Tables are made by migrations (`logs_schema_version`, applied once across replicas under the
 *   store's migration lock), on first use.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isConnectionError, StoreUnavailable } from '../../store/postgres/errors.ts';
import { withPooledClient } from '../../store/postgres/pooled-client.ts';
import { migrateTrack } from '../../store/postgres/schema.ts';
import {
  EVENT_OVERHEAD_BYTES,
  type EventStore,
  type NewEvent,
  type ScanQuery,
  type StoredEvent,
  type StreamQuery,
  type StreamStats,
} from './event-store.ts';

/** The event store's own migration track (numbered in `logs_schema_version`); append, never edit. */
export const LOGS_MIGRATIONS: readonly string[] = [
  `CREATE SEQUENCE logs_ids;
   CREATE TABLE logs_events (
     id BIGSERIAL NOT NULL,
     group_id BIGINT NOT NULL,
     stream_id BIGINT NOT NULL,
     timestamp BIGINT NOT NULL,
     ingestion_time BIGINT NOT NULL,
     message BYTEA NOT NULL
   );
   CREATE INDEX logs_events_group_time ON logs_events (group_id, timestamp, id);
   CREATE INDEX logs_events_stream_time ON logs_events (group_id, stream_id, timestamp, id);
   CREATE TABLE logs_stream_stats (
     group_id BIGINT NOT NULL,
     stream_id BIGINT NOT NULL,
     first_ts BIGINT NOT NULL,
     last_ts BIGINT NOT NULL,
     last_ingest BIGINT NOT NULL,
     stored_bytes BIGINT NOT NULL,
     PRIMARY KEY (group_id, stream_id)
   );`,
];

export interface PostgresEventStoreOptions {
  /** How long a call keeps retrying a lost connection before it fails with StoreUnavailable. */
  retryWindowMs?: number;
  /** The longest one statement may run (server-side `statement_timeout`; the client waits a little longer). */
  statementTimeoutMs?: number;
  /** Connections in the pool. */
  poolSize?: number;
}

const DEFAULTS: Required<PostgresEventStoreOptions> = {
  retryWindowMs: 5_000,
  statementTimeoutMs: 10_000,
  poolSize: 6,
};
/** Backoff between retries of a lost connection: doubles from MIN to MAX. */
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1_000;
/** The advisory lock namespace of groups' writes ("logs" in ASCII); the group id is the second key. */
const GROUP_LOCK_CLASS = 0x6c6f6773;
const LOCK_GROUP = `SELECT pg_advisory_xact_lock(${GROUP_LOCK_CLASS}, ($1::bigint % 2147483648)::int4)`;
/** Events deleted per transaction by deleteEvents (well under a second's work). */
const DELETE_BATCH = 50_000;
/** SQLSTATE of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';

const COLUMNS = 'id, stream_id, timestamp, ingestion_time, message';

interface Row {
  id: string;
  stream_id: string;
  timestamp: string;
  ingestion_time: string;
  message: Buffer;
}

const toEvent = (r: Row): StoredEvent => ({
  id: Number(r.id),
  streamId: Number(r.stream_id),
  timestamp: Number(r.timestamp),
  ingestionTime: Number(r.ingestion_time),
  message: r.message.toString('utf8'),
});

/** A COMMIT that was sent and never answered: it may have been applied. */
class CommitUnanswered extends Error {}

export class PostgresEventStore implements EventStore {
  readonly #pool: pg.Pool;
  readonly #options: Required<PostgresEventStoreOptions>;
  /** The migrations, run by the first call (again after a failure). */
  #migrated: Promise<void> | undefined;
  #closed = false;

  /** Connects on first use: a replica that never logs opens no connection. */
  constructor(url: string, options: PostgresEventStoreOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
    this.#pool = new pg.Pool({
      connectionString: url,
      max: this.#options.poolSize,
      connectionTimeoutMillis: Math.max(1_000, Math.min(this.#options.retryWindowMs, 5_000)),
      keepAlive: true,
      // The server cancels a statement that runs too long; the client gives up on one that is
      // never answered (a partition drops packets without a word).
      statement_timeout: this.#options.statementTimeoutMs,
      query_timeout: this.#options.statementTimeoutMs + 2_000,
      // A transaction whose client vanished mid-way (a partition) would hold its group's lock
      // until the server notices: the server ends it after this long idle.
      idle_in_transaction_session_timeout: this.#options.statementTimeoutMs,
    });
    // An idle connection that dies is dropped by the pool; without a listener the error would crash the process.
    this.#pool.on('error', () => {});
  }

  newId(): Promise<number> {
    // nextval is outside transactions: a retry of a lost answer only skips an id.
    return this.#run(async (c) => {
      const { rows } = await c.query<{ id: string }>("SELECT nextval('logs_ids') AS id");
      return Number(rows[0]!.id);
    });
  }

  async append(
    groupId: number,
    streamId: number,
    events: readonly NewEvent[],
    ingestionTime: number,
  ): Promise<void> {
    if (events.length === 0) return;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let bytes = 0;
    const timestamps: number[] = [];
    const messages: Buffer[] = [];
    for (const e of events) {
      if (e.timestamp < first) first = e.timestamp;
      if (e.timestamp > last) last = e.timestamp;
      const message = Buffer.from(e.message, 'utf8');
      bytes += message.length + EVENT_OVERHEAD_BYTES;
      timestamps.push(e.timestamp);
      messages.push(message);
    }
    await this.#transaction(groupId, async (c) => {
      // Rows in batch order, so events of one millisecond keep the order they were put in.
      await c.query(
        `INSERT INTO logs_events (group_id, stream_id, timestamp, ingestion_time, message)
         SELECT $1, $2, u.t, $3, u.m FROM unnest($4::bigint[], $5::bytea[]) WITH ORDINALITY AS u(t, m, n)
         ORDER BY u.n`,
        [groupId, streamId, ingestionTime, timestamps, messages],
      );
      await c.query(
        `INSERT INTO logs_stream_stats (group_id, stream_id, first_ts, last_ts, last_ingest, stored_bytes)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (group_id, stream_id) DO UPDATE SET
           first_ts = least(logs_stream_stats.first_ts, excluded.first_ts),
           last_ts = greatest(logs_stream_stats.last_ts, excluded.last_ts),
           last_ingest = greatest(logs_stream_stats.last_ingest, excluded.last_ingest),
           stored_bytes = logs_stream_stats.stored_bytes + excluded.stored_bytes`,
        [groupId, streamId, first, last, ingestionTime, bytes],
      );
    });
  }

  streamEvents(q: StreamQuery): Promise<StoredEvent[]> {
    const sql = new Where([q.groupId, q.streamId], ['group_id = $1', 'stream_id = $2']);
    sql.range(q);
    if (q.after) sql.add((a, b) => `(timestamp, id) > (${a}, ${b})`, q.after.timestamp, q.after.id);
    if (q.before) sql.add((a, b) => `(timestamp, id) < (${a}, ${b})`, q.before.timestamp, q.before.id);
    const order = q.descending ? 'DESC' : 'ASC';
    return this.#select(
      `SELECT ${COLUMNS} FROM logs_events WHERE ${sql} ORDER BY timestamp ${order}, id ${order} LIMIT ${sql.param(q.limit)}`,
      sql.args,
    );
  }

  scan(q: ScanQuery): Promise<StoredEvent[]> {
    const sql = new Where([q.groupId], ['group_id = $1']);
    sql.range(q);
    if (q.after) sql.add((a, b) => `(timestamp, id) > (${a}, ${b})`, q.after.timestamp, q.after.id);
    if (q.streamIds) sql.add((a) => `stream_id = ANY(${a}::bigint[])`, q.streamIds);
    for (const s of q.contains ?? [])
      sql.add((a) => `position(${a}::bytea IN message) > 0`, Buffer.from(s, 'utf8'));
    return this.#select(
      `SELECT ${COLUMNS} FROM logs_events WHERE ${sql} ORDER BY timestamp, id LIMIT ${sql.param(q.limit)}`,
      sql.args,
    );
  }

  async streamStats(groupId: number): Promise<Map<number, StreamStats>> {
    const rows = await this.#run(async (c) => {
      const result = await c.query<Record<string, string>>(
        'SELECT stream_id, first_ts, last_ts, last_ingest, stored_bytes FROM logs_stream_stats WHERE group_id = $1',
        [groupId],
      );
      return result.rows;
    });
    return new Map(
      rows.map((r) => [
        Number(r.stream_id),
        {
          firstEventTimestamp: Number(r.first_ts),
          lastEventTimestamp: Number(r.last_ts),
          lastIngestionTime: Number(r.last_ingest),
          storedBytes: Number(r.stored_bytes),
        },
      ]),
    );
  }

  /**
   * In transactions of DELETE_BATCH events each (a group of millions would outlast the statement
   * timeout in one), the stats with the last. The callers removed the group's or stream's records
   * first, so events a partial deletion leaves are unreachable, never shown.
   */
  async deleteEvents(groupId: number, streamId?: number): Promise<void> {
    const only = streamId === undefined ? '' : ' AND stream_id = $2';
    const args = streamId === undefined ? [groupId] : [groupId, streamId];
    for (let more = true; more; ) {
      // Deleting is idempotent: a transaction whose COMMIT went unanswered is simply run again.
      more = await this.#transaction(
        groupId,
        async (c) => {
          const { rowCount } = await c.query(
            `DELETE FROM logs_events WHERE group_id = $1 AND ctid = ANY(ARRAY(
               SELECT ctid FROM logs_events WHERE group_id = $1${only} LIMIT ${DELETE_BATCH}))`,
            args,
          );
          if ((rowCount ?? 0) >= DELETE_BATCH) return true;
          await c.query(`DELETE FROM logs_stream_stats WHERE group_id = $1${only}`, args);
          return false;
        },
        true,
      );
    }
  }

  expire(groupId: number, cutoff: number, max: number): Promise<number> {
    // A rerun after an unanswered COMMIT deletes at most `max` more of what is expired anyway.
    return this.#transaction(
      groupId,
      async (c) => {
        // The oldest `max` rows by the group-time index, deleted by their row addresses (a TID scan).
        const { rows } = await c.query<{ stream_id: string; n: string; bytes: string }>(
          `WITH doomed AS (
             DELETE FROM logs_events WHERE group_id = $1 AND ctid = ANY(ARRAY(
               SELECT ctid FROM logs_events WHERE group_id = $1 AND timestamp < $2 ORDER BY timestamp, id LIMIT $3))
             RETURNING stream_id, octet_length(message) AS bytes)
           SELECT stream_id, count(*) AS n, sum(bytes) AS bytes FROM doomed GROUP BY stream_id`,
          [groupId, cutoff, max],
        );
        if (rows.length === 0) return 0;
        // The streams' first events move up; a stream left empty keeps its last times, as CloudWatch's do.
        await c.query(
          `UPDATE logs_stream_stats s SET stored_bytes = greatest(0, s.stored_bytes - d.bytes),
             first_ts = coalesce((SELECT min(e.timestamp) FROM logs_events e
                                   WHERE e.group_id = s.group_id AND e.stream_id = s.stream_id), s.first_ts)
           FROM unnest($2::bigint[], $3::bigint[]) AS d(stream_id, bytes)
           WHERE s.group_id = $1 AND s.stream_id = d.stream_id`,
          [
            groupId,
            rows.map((r) => r.stream_id),
            rows.map((r) => Number(r.bytes) + Number(r.n) * EVENT_OVERHEAD_BYTES),
          ],
        );
        return rows.reduce((n, r) => n + Number(r.n), 0);
      },
      true,
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end().catch(() => {});
  }

  // --- connections ---------------------------------------------------------------------

  async #select(text: string, values: unknown[]): Promise<StoredEvent[]> {
    const rows = await this.#run(async (c) => (await c.query<Row>(text, values)).rows);
    return rows.map(toEvent);
  }

  /**
   * `fn` in one transaction holding the group's write lock (ids drawn after it are in commit order
   * within the group). Retried on a new connection while the COMMIT was not sent, or always when
   * `idempotent`; an unanswered COMMIT of a non-idempotent one is StoreUnavailable 'unknown'.
   */
  #transaction<R>(
    groupId: number,
    fn: (client: pg.PoolClient) => Promise<R>,
    idempotent = false,
  ): Promise<R> {
    return this.#run(async (c) => {
      await c.query('BEGIN');
      await c.query(LOCK_GROUP, [groupId]);
      const result = await fn(c);
      try {
        await c.query('COMMIT');
      } catch (error) {
        if (idempotent || !isConnectionError(error)) throw error;
        throw new CommitUnanswered(describe(error), { cause: error });
      }
      return result;
    });
  }

  /**
   * Runs `fn` on a pooled connection once the tables exist. A lost connection is retried (a new
   * connection, backoff) for the retry window, then StoreUnavailable; a connection that failed is
   * destroyed, never reused (an open transaction is rolled back by the server when it goes).
   */
  async #run<R>(fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const deadline = performance.now() + this.#options.retryWindowMs;
    let delay = BACKOFF_MIN_MS;
    for (;;) {
      if (this.#closed) throw new StoreUnavailable('the log event store is closed');
      try {
        await this.#migrations();
        return await this.#withClient(fn);
      } catch (error) {
        if (error instanceof CommitUnanswered)
          throw new StoreUnavailable(
            `PostgreSQL did not answer the commit of the log events (${error.message}); they may have been stored`,
            'unknown',
            error.cause,
          );
        if ((error as { code?: unknown } | undefined)?.code === QUERY_CANCELED)
          throw new StoreUnavailable(
            `a log events query ran longer than ${this.#options.statementTimeoutMs} ms and was cancelled`,
            'not-applied',
            error,
          );
        if (!isConnectionError(error)) throw error;
        if (performance.now() + delay > deadline)
          throw new StoreUnavailable(`PostgreSQL is unreachable: ${describe(error)}`, 'not-applied', error);
        await sleep(delay);
        delay = Math.min(delay * 2, BACKOFF_MAX_MS);
      }
    }
  }

  #migrations(): Promise<void> {
    this.#migrated ??= this.#withClient(async (c) => {
      await migrateTrack(c, 'logs_schema_version', LOGS_MIGRATIONS);
    }).catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  #withClient<R>(fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    return withPooledClient(this.#pool, fn);
  }
}

/** A WHERE clause and its numbered parameters. */
class Where {
  readonly args: unknown[];
  readonly #terms: string[];

  constructor(args: unknown[], terms: string[]) {
    this.args = args;
    this.#terms = terms;
  }

  param(value: unknown): string {
    this.args.push(value);
    return `$${this.args.length}`;
  }

  add(term: (...params: string[]) => string, ...values: unknown[]): void {
    this.#terms.push(term(...values.map((v) => this.param(v))));
  }

  /** `startTime` inclusive, `endTime` exclusive. */
  range(q: { startTime?: number; endTime?: number }): void {
    if (q.startTime !== undefined) this.add((a) => `timestamp >= ${a}`, q.startTime);
    if (q.endTime !== undefined) this.add((a) => `timestamp < ${a}`, q.endTime);
  }

  toString(): string {
    return this.#terms.join(' AND ');
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
