/**
 * Metric blocks in a SQLite table of their own (`metrics.db` beside `longshore.db`), one row per
 * block, keyed (scope, series, res, start, unit) with the cells as JSON. Nothing is mirrored in
 * memory: a query reads the rows of its range through the primary key; retention reads by
 * (res, start). One database serves every region; `scope` (the region) keeps them apart.
 *
 * Rows carry a version so retention can move a block only if no write touched it since it was read.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Cell } from './cells.ts';
import { type BlockWrite, blockKey, foldCells, type MetricBlockStore } from './block-store.ts';
import type { MetricBlock, Resolution } from './metric-data.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS metric_blocks (
  scope TEXT NOT NULL,
  series TEXT NOT NULL,
  res INTEGER NOT NULL,
  start INTEGER NOT NULL,
  unit TEXT NOT NULL,
  version INTEGER NOT NULL,
  cells TEXT NOT NULL,
  PRIMARY KEY (scope, series, res, start, unit)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS metric_blocks_age ON metric_blocks (scope, res, start);
`;

/** Blocks whose cells stay cached: a few per actively written metric. */
const RECENT_BLOCKS = 2048;

/** Blocks written (cells) or removed (undefined) by the transaction in progress. */
type Pending = Map<string, Record<string, Cell> | undefined>;

interface Row {
  series: string;
  res: number;
  start: number;
  unit: string;
  version: number;
  cells: string;
}

/** The database file, shared by the regions' block stores. */
export class MetricsDatabase {
  readonly db: DatabaseSync;
  /** Bumped by `clear()`: block stores drop their caches when it moves. */
  generation = 0;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
  }

  /** Forgets every block (moto's `/moto-api/reset` clears the store and this with it). */
  clear(): void {
    this.db.exec('DELETE FROM metric_blocks');
    this.generation++;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

export class SqliteBlockStore implements MetricBlockStore {
  readonly #db: DatabaseSync;
  readonly #scope: string;
  readonly #get: StatementSync;
  readonly #upsert: StatementSync;
  readonly #range: StatementSync;
  readonly #aged: StatementSync;
  readonly #remove: StatementSync;
  /** Versions of the blocks handed out, so `replace` can tell a block changed (cleared on replace). */
  readonly #versions = new WeakMap<MetricBlock, number>();
  readonly #database: MetricsDatabase;
  #generation: number;
  /**
   * The cells of recently written blocks, as committed, least recent first: a metric written
   * every few seconds folds into its current block without reading and parsing the row again.
   */
  readonly #recent = new Map<string, Record<string, Cell>>();

  constructor(database: MetricsDatabase, scope: string) {
    this.#db = database.db;
    this.#database = database;
    this.#generation = database.generation;
    this.#scope = scope;
    this.#get = this.#db.prepare(
      'SELECT version, cells FROM metric_blocks WHERE scope = ? AND series = ? AND res = ? AND start = ? AND unit = ?',
    );
    this.#upsert = this.#db.prepare(
      `INSERT INTO metric_blocks (scope, series, res, start, unit, version, cells) VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (scope, series, res, start, unit) DO UPDATE SET version = version + 1, cells = excluded.cells`,
    );
    this.#range = this.#db.prepare(
      `SELECT series, res, start, unit, version, cells FROM metric_blocks
       WHERE scope = ? AND series = ? AND res = ? AND start >= ? AND start < ? ORDER BY start`,
    );
    this.#aged = this.#db.prepare(
      `SELECT series, res, start, unit, version, cells FROM metric_blocks
       WHERE scope = ? AND res = ? AND start < ? ORDER BY start LIMIT ?`,
    );
    this.#remove = this.#db.prepare(
      'DELETE FROM metric_blocks WHERE scope = ? AND series = ? AND res = ? AND start = ? AND unit = ? AND version = ?',
    );
  }

  async fold(writes: readonly BlockWrite[]): Promise<void> {
    this.#transaction((pending) => {
      for (const w of writes) this.#foldOne(w, pending);
    });
  }

  async blocks(series: string, res: Resolution, fromStart: number, toStart: number): Promise<MetricBlock[]> {
    return (this.#range.all(this.#scope, series, res, fromStart, toStart) as unknown as Row[]).map((r) =>
      this.#block(r),
    );
  }

  async aged(res: Resolution, before: number, limit: number): Promise<MetricBlock[]> {
    return (this.#aged.all(this.#scope, res, before, limit) as unknown as Row[]).map((r) => this.#block(r));
  }

  async replace(block: MetricBlock, into: BlockWrite | undefined): Promise<boolean> {
    const version = this.#versions.get(block);
    if (version === undefined) return false;
    return this.#transaction((pending) => {
      pending.set(blockKey(block), undefined);
      const removed = this.#remove.run(
        this.#scope,
        block.series,
        block.res,
        block.start,
        block.unit,
        version,
      );
      if (Number(removed.changes) === 0) return false;
      if (into) this.#foldOne(into, pending);
      return true;
    });
  }

  #foldOne(w: BlockWrite, pending: Pending): void {
    const { series, res, start, unit } = w.block;
    const key = blockKey(w.block);
    let stored = pending.get(key) ?? this.#recent.get(key);
    if (!stored) {
      const row = this.#get.get(this.#scope, series, res, start, unit) as { cells: string } | undefined;
      stored = row ? (JSON.parse(row.cells) as Record<string, Cell>) : undefined;
    }
    const next = foldCells(stored, w.cells);
    this.#upsert.run(this.#scope, series, res, start, unit, JSON.stringify(next));
    pending.set(key, next);
  }

  #block(r: Row): MetricBlock {
    const block: MetricBlock = {
      series: r.series,
      res: r.res as Resolution,
      start: r.start,
      unit: r.unit,
      cells: JSON.parse(r.cells),
    };
    this.#versions.set(block, r.version);
    return block;
  }

  /** Runs `fn` in one transaction; the cache learns its writes only once they are committed. */
  #transaction<R>(fn: (pending: Pending) => R): R {
    if (this.#generation !== this.#database.generation) {
      this.#recent.clear();
      this.#generation = this.#database.generation;
    }
    const pending: Pending = new Map();
    this.#db.exec('BEGIN IMMEDIATE');
    let out: R;
    try {
      out = fn(pending);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      for (const key of pending.keys()) this.#recent.delete(key);
      throw error;
    }
    for (const [key, cells] of pending) {
      this.#recent.delete(key);
      if (cells) this.#recent.set(key, cells);
    }
    for (const key of this.#recent.keys()) {
      if (this.#recent.size <= RECENT_BLOCKS) break;
      this.#recent.delete(key);
    }
    return out;
  }
}
