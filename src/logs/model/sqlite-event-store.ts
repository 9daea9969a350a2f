/**
 * The embedded event store: one SQLite file (`<dataDir>/logs/events.db`, WAL) apart from the
 * KV store, so millions of events never bloat the records' database.
 *
 *   events(id INTEGER PRIMARY KEY, group_id, stream_id, timestamp, ingestion_time, message)
 *     index events_group_time   (group_id, timestamp)            FilterLogEvents, retention
 *     index events_stream_time  (group_id, stream_id, timestamp) GetLogEvents, stream deletion
 *   stream_stats(group_id, stream_id, first_ts, last_ts, last_ingest, stored_bytes)
 *   ids(id INTEGER PRIMARY KEY AUTOINCREMENT)                     group and stream ids
 *
 * SQLite indexes carry the rowid, so both indexes are ordered by (…, timestamp, id) and a cursor
 * `(timestamp, id) > (?, ?)` is a range seek. Statements are prepared once per shape.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { watchWal } from '../../store/sqlite/wal-checkpoints.ts';
import {
  EVENT_OVERHEAD_BYTES,
  type EventStore,
  type NewEvent,
  type ScanQuery,
  type StoredEvent,
  type StreamQuery,
  type StreamStats,
} from './event-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  ingestion_time INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_group_time ON events (group_id, timestamp);
CREATE INDEX IF NOT EXISTS events_stream_time ON events (group_id, stream_id, timestamp);
CREATE TABLE IF NOT EXISTS stream_stats (
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  last_ingest INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL,
  PRIMARY KEY (group_id, stream_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ids (id INTEGER PRIMARY KEY AUTOINCREMENT);
`;

/** Rows per multi-row INSERT (5 parameters each, far below SQLite's 32,766). */
const ROWS_PER_INSERT = 100;
/** Rows inserted between two turns of the event loop (about 10 ms of work). */
const ROWS_PER_TURN = 1_000;
const INSERT_ROWS = (n: number) =>
  `INSERT INTO events (group_id, stream_id, timestamp, ingestion_time, message) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?)').join(', ')}`;

interface Row {
  id: number;
  stream_id: number;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

const toEvent = (r: Row): StoredEvent => ({
  id: r.id,
  streamId: r.stream_id,
  timestamp: r.timestamp,
  ingestionTime: r.ingestion_time,
  message: r.message,
});

export class SqliteEventStore implements EventStore {
  /** Writes go through their own connection, reads through another: a write transaction held across turns of the event loop is invisible to readers until it commits (WAL). */
  readonly #writer: DatabaseSync;
  readonly #reader: DatabaseSync;
  readonly #writes = new Map<string, StatementSync>();
  readonly #reads = new Map<string, StatementSync>();
  /** Checkpoints from the shared worker, from the first write (only writes grow the WAL). */
  #releaseWal: (() => Promise<void>) | undefined;
  readonly #checkpointPath: string | undefined;
  /** The tail of the queue of writes: one at a time on the writer connection. */
  #writing: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#writer = new DatabaseSync(path);
    this.#writer.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.#writer.exec(SCHEMA);
    if (path !== ':memory:') {
      // Checkpoints copy the WAL into the database file: tens of milliseconds a time, so they
      // run in the store's shared worker thread (src/store/sqlite/wal-checkpoints.ts), never on
      // the event loop, from the first write: only writes grow the WAL.
      this.#writer.exec('PRAGMA wal_autocheckpoint = 0');
      this.#checkpointPath = path;
    }
    this.#reader = path === ':memory:' ? this.#writer : new DatabaseSync(path);
    this.#reader.exec('PRAGMA busy_timeout = 5000;');
  }

  #prepare(sql: string, db: 'write' | 'read' = 'write'): StatementSync {
    const cache = db === 'write' ? this.#writes : this.#reads;
    let statement = cache.get(sql);
    if (!statement) {
      // Scan shapes vary with the stream and term counts: keep the cache bounded.
      if (cache.size > 500) cache.clear();
      statement = (db === 'write' ? this.#writer : this.#reader).prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` when the writes queued before it are done, in one transaction on the writer connection. */
  #transaction<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#checkpointPath !== undefined && this.#releaseWal === undefined) {
        this.#releaseWal = watchWal(this.#checkpointPath);
      }
      this.#writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        this.#writer.exec('COMMIT');
        return result;
      } catch (error) {
        this.#writer.exec('ROLLBACK');
        throw error;
      }
    };
    const result = this.#writing.then(run, run);
    this.#writing = result.catch(() => undefined);
    return result;
  }

  newId(): Promise<number> {
    return this.#transaction(
      () => (this.#prepare('INSERT INTO ids DEFAULT VALUES RETURNING id').get() as { id: number }).id,
    );
  }

  append(
    groupId: number,
    streamId: number,
    events: readonly NewEvent[],
    ingestionTime: number,
  ): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.#transaction(async () => {
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      let bytes = 0;
      for (const e of events) {
        if (e.timestamp < first) first = e.timestamp;
        if (e.timestamp > last) last = e.timestamp;
        bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
      }
      const one = this.#prepare(INSERT_ROWS(1));
      const many = this.#prepare(INSERT_ROWS(ROWS_PER_INSERT));
      // Several rows per statement (a third of the cost of one INSERT each), and a turn of the
      // event loop every ROWS_PER_TURN rows: a 10,000-event batch never holds the loop for long.
      const args: (number | string)[] = [];
      let i = 0;
      for (; i + ROWS_PER_INSERT <= events.length; i += ROWS_PER_INSERT) {
        if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
        args.length = 0;
        for (let k = i; k < i + ROWS_PER_INSERT; k++) {
          const e = events[k]!;
          args.push(groupId, streamId, e.timestamp, ingestionTime, e.message);
        }
        many.run(...args);
      }
      for (; i < events.length; i++)
        one.run(groupId, streamId, events[i]!.timestamp, ingestionTime, events[i]!.message);
      this.#prepare(
        `INSERT INTO stream_stats (group_id, stream_id, first_ts, last_ts, last_ingest, stored_bytes)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_id, stream_id) DO UPDATE SET
           first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts),
           last_ingest = max(last_ingest, excluded.last_ingest), stored_bytes = stored_bytes + excluded.stored_bytes`,
      ).run(groupId, streamId, first, last, ingestionTime, bytes);
    });
  }

  async streamEvents(q: StreamQuery): Promise<StoredEvent[]> {
    const where = ['group_id = ?', 'stream_id = ?'];
    const args: (number | string)[] = [q.groupId, q.streamId];
    if (q.startTime !== undefined) {
      where.push('timestamp >= ?');
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push('timestamp < ?');
      args.push(q.endTime);
    }
    if (q.after) {
      where.push('(timestamp, id) > (?, ?)');
      args.push(q.after.timestamp, q.after.id);
    }
    if (q.before) {
      where.push('(timestamp, id) < (?, ?)');
      args.push(q.before.timestamp, q.before.id);
    }
    const order = q.descending ? 'DESC' : 'ASC';
    const sql = `SELECT id, stream_id, timestamp, ingestion_time, message FROM events INDEXED BY events_stream_time
      WHERE ${where.join(' AND ')} ORDER BY timestamp ${order}, id ${order} LIMIT ?`;
    args.push(q.limit);
    return (this.#prepare(sql, 'read').all(...args) as unknown as Row[]).map(toEvent);
  }

  async scan(q: ScanQuery): Promise<StoredEvent[]> {
    const where = ['group_id = ?'];
    const args: (number | string)[] = [q.groupId];
    if (q.startTime !== undefined) {
      where.push('timestamp >= ?');
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push('timestamp < ?');
      args.push(q.endTime);
    }
    if (q.after) {
      where.push('(timestamp, id) > (?, ?)');
      args.push(q.after.timestamp, q.after.id);
    }
    if (q.streamIds) {
      where.push(`stream_id IN (${q.streamIds.map(() => '?').join(', ')})`);
      args.push(...q.streamIds);
    }
    for (const s of q.contains ?? []) {
      where.push('instr(message, ?) > 0');
      args.push(s);
    }
    // The time index serves every scan: (timestamp, id) order, range seek on the cursor.
    const sql = `SELECT id, stream_id, timestamp, ingestion_time, message FROM events INDEXED BY events_group_time
      WHERE ${where.join(' AND ')} ORDER BY timestamp, id LIMIT ?`;
    args.push(q.limit);
    return (this.#prepare(sql, 'read').all(...args) as unknown as Row[]).map(toEvent);
  }

  async streamStats(groupId: number): Promise<Map<number, StreamStats>> {
    const rows = this.#prepare(
      'SELECT stream_id, first_ts, last_ts, last_ingest, stored_bytes FROM stream_stats WHERE group_id = ?',
      'read',
    ).all(groupId) as {
      stream_id: number;
      first_ts: number;
      last_ts: number;
      last_ingest: number;
      stored_bytes: number;
    }[];
    return new Map(
      rows.map((r) => [
        r.stream_id,
        {
          firstEventTimestamp: r.first_ts,
          lastEventTimestamp: r.last_ts,
          lastIngestionTime: r.last_ingest,
          storedBytes: r.stored_bytes,
        },
      ]),
    );
  }

  deleteEvents(groupId: number, streamId?: number): Promise<void> {
    return this.#transaction(() => {
      if (streamId === undefined) {
        this.#prepare('DELETE FROM events WHERE group_id = ?').run(groupId);
        this.#prepare('DELETE FROM stream_stats WHERE group_id = ?').run(groupId);
      } else {
        this.#prepare('DELETE FROM events WHERE group_id = ? AND stream_id = ?').run(groupId, streamId);
        this.#prepare('DELETE FROM stream_stats WHERE group_id = ? AND stream_id = ?').run(groupId, streamId);
      }
    });
  }

  expire(groupId: number, cutoff: number, max: number): Promise<number> {
    return this.#transaction(() => {
      const doomed = this.#prepare(
        `SELECT stream_id, COUNT(*) AS n, SUM(length(CAST(message AS BLOB))) AS bytes
         FROM (SELECT id, stream_id, message FROM events INDEXED BY events_group_time
               WHERE group_id = ? AND timestamp < ? ORDER BY timestamp, id LIMIT ?)
         GROUP BY stream_id`,
      ).all(groupId, cutoff, max) as { stream_id: number; n: number; bytes: number }[];
      const deleted = this.#prepare(
        `DELETE FROM events WHERE id IN (SELECT id FROM events INDEXED BY events_group_time
           WHERE group_id = ? AND timestamp < ? ORDER BY timestamp, id LIMIT ?)`,
      ).run(groupId, cutoff, max);
      for (const d of doomed) {
        // The stream's first event moves up; a stream left empty keeps its last times, as CloudWatch's do.
        this.#prepare(
          `UPDATE stream_stats SET stored_bytes = max(0, stored_bytes - ?),
             first_ts = coalesce((SELECT min(timestamp) FROM events WHERE group_id = ? AND stream_id = ?), first_ts)
           WHERE group_id = ? AND stream_id = ?`,
        ).run(d.bytes + d.n * EVENT_OVERHEAD_BYTES, groupId, d.stream_id, groupId, d.stream_id);
      }
      return Number(deleted.changes);
    });
  }

  async close(): Promise<void> {
    await this.#writing;
    this.#writes.clear();
    this.#reads.clear();
    if (this.#reader !== this.#writer) this.#reader.close();
    this.#writer.close();
    await this.#releaseWal?.();
  }
}
