/**
 * Where metric blocks live, behind one small interface. Two implementations:
 *   - `KvBlockStore`: records of the generic store (Kind.MetricBlock). Works everywhere (SQLite and
 *     PostgreSQL, cluster mode), but the embedded store mirrors every record in memory, so it
 *     suits small volumes only (tests, a few hundred series).
 *   - `SqliteBlockStore` (sqlite-block-store.ts): a table of its own in `metrics.db` in the data
 *     directory, read by range, never mirrored in memory: what `longshore up` registers per region.
 * A Store view finds its block store with `blockStoreOf(store)`: the registered one, or a KV one.
 */
import { Kind, type Reader, type Store } from '../../store/store.ts';
import { type Cell, mergeCells } from './cells.ts';
import type { MetricBlock, Resolution } from './metric-data.ts';

/** Cells to fold into one block (created when absent). */
export interface BlockWrite {
  block: Omit<MetricBlock, 'cells'>;
  cells: ReadonlyMap<number, Cell>;
}

export interface MetricBlockStore {
  /** Folds every write in, all or nothing. */
  fold(writes: readonly BlockWrite[]): Promise<void>;
  /** The blocks of one metric at `res` whose start is in [fromStart, toStart), oldest first. */
  blocks(series: string, res: Resolution, fromStart: number, toStart: number): Promise<MetricBlock[]>;
  /** Up to `limit` blocks at `res` that start before `before`, oldest first (retention). */
  aged(res: Resolution, before: number, limit: number): Promise<MetricBlock[]>;
  /** Removes `block` and folds `into` (a coarser block), all or nothing; false when `block` changed since it was read. */
  replace(block: MetricBlock, into: BlockWrite | undefined): Promise<boolean>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Every block of `series` at `res` shares this key prefix; the start (padded) and unit follow. */
export const blockPrefix = (series: string, res: Resolution) => `${series}|${pad(res, 4)}|`;

export const blockKey = (b: Omit<MetricBlock, 'cells'>) =>
  `${blockPrefix(b.series, b.res)}${pad(b.start, 15)}|${b.unit}`;

/** The cells of `stored` with `cells` folded in. */
export function foldCells(
  stored: Readonly<Record<string, Cell>> | undefined,
  cells: ReadonlyMap<number, Cell>,
): Record<string, Cell> {
  const next: Record<string, Cell> = { ...(stored ?? {}) };
  for (const [i, cell] of cells) next[i] = mergeCells(next[i], cell);
  return next;
}

/** Blocks as records of the generic store, one transaction per call. */
export class KvBlockStore implements MetricBlockStore {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  fold(writes: readonly BlockWrite[]): Promise<void> {
    return this.#store.transact(async (tx) => {
      for (const w of writes) {
        const key = blockKey(w.block);
        const stored = await tx.get<MetricBlock>(Kind.MetricBlock, key);
        const value: MetricBlock = { ...w.block, cells: foldCells(stored?.value.cells, w.cells) };
        await tx.put(Kind.MetricBlock, key, value, stored ? stored.version : 'absent');
      }
    });
  }

  async blocks(series: string, res: Resolution, fromStart: number, toStart: number): Promise<MetricBlock[]> {
    const rows = await this.#store.list<MetricBlock>(Kind.MetricBlock, { prefix: blockPrefix(series, res) });
    return rows.map((r) => r.value).filter((b) => b.start >= fromStart && b.start < toStart);
  }

  async aged(res: Resolution, before: number, limit: number): Promise<MetricBlock[]> {
    return (await this.#store.list<MetricBlock>(Kind.MetricBlock))
      .map((r) => r.value)
      .filter((b) => b.res === res && b.start < before)
      .sort((a, b) => a.start - b.start)
      .slice(0, limit);
  }

  replace(block: MetricBlock, into: BlockWrite | undefined): Promise<boolean> {
    return this.#store.transact(async (tx) => {
      const key = blockKey(block);
      const current = await tx.get<MetricBlock>(Kind.MetricBlock, key);
      // Records are frozen and replaced on every write: identity says whether it changed.
      if (!current || current.value !== block) return false;
      if (into) {
        const k = blockKey(into.block);
        const stored = await tx.get<MetricBlock>(Kind.MetricBlock, k);
        const value: MetricBlock = { ...into.block, cells: foldCells(stored?.value.cells, into.cells) };
        await tx.put(Kind.MetricBlock, k, value, stored ? stored.version : 'absent');
      }
      await tx.remove(Kind.MetricBlock, key, current.version);
      return true;
    });
  }
}

const registered = new WeakMap<Reader, MetricBlockStore>();

/** Makes `store` (a region's store view) keep its metric blocks in `blocks`. */
export function useBlockStore(store: Reader, blocks: MetricBlockStore): void {
  registered.set(store, blocks);
}

/** The block store of `store`: the registered one, else blocks as records of `store` itself. */
export function blockStoreOf(store: Reader): MetricBlockStore {
  let blocks = registered.get(store);
  if (!blocks) {
    blocks = new KvBlockStore(store as Store);
    registered.set(store, blocks);
  }
  return blocks;
}
