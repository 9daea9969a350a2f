/** The in-memory mirror of one kind of record, with key-ordered listing by prefix and a change log. */
import type { Stored } from './store.ts';

/** Keys kept in the change log; past this the older half is dropped (readers that far behind list instead). */
export const CHANGE_LOG_LIMIT = 65_536;

/** A position in one table's change log. Opaque to readers: they only hand it back. */
export interface LogCursor {
  readonly table: MemoryTable;
  readonly position: number;
}

export class MemoryTable {
  readonly #rows = new Map<string, Stored<unknown>>();
  /**
   * Keys in order, built on the first listing and then kept in order: an insert or delete moves
   * the tail by one (a memmove), instead of re-sorting every key on the next listing, which made
   * each RunTask (one insert, one listing) O(n log n) in the cluster's task count.
   */
  #sorted: string[] | undefined;
  /** Keys written or deleted, oldest first; `#logStart` is the position of `#log[0]`. */
  #log: string[] = [];
  #logStart = 0;

  get(key: string): Stored<unknown> | undefined {
    return this.#rows.get(key);
  }

  set(key: string, record: Stored<unknown>): void {
    if (!this.#rows.has(key) && this.#sorted) this.#sorted.splice(lowerBound(this.#sorted, key), 0, key);
    this.#rows.set(key, record);
    this.#logged(key);
  }

  delete(key: string): void {
    if (this.#rows.delete(key) && this.#sorted) this.#sorted.splice(lowerBound(this.#sorted, key), 1);
    this.#logged(key);
  }

  #logged(key: string): void {
    this.#log.push(key);
    if (this.#log.length > CHANGE_LOG_LIMIT) {
      const drop = this.#log.length >> 1;
      this.#log.splice(0, drop);
      this.#logStart += drop;
    }
  }

  /** Where the change log stands now. */
  cursor(): LogCursor {
    return { table: this, position: this.#logStart + this.#log.length };
  }

  /**
   * Keys written or deleted since `cursor` (repeats possible), or undefined when the cursor is not
   * this table's or the log no longer reaches back to it.
   */
  changedSince(cursor: LogCursor): string[] | undefined {
    if (cursor.table !== this || cursor.position < this.#logStart) return undefined;
    const offset = cursor.position - this.#logStart;
    return offset > this.#log.length ? undefined : this.#log.slice(offset);
  }

  list(prefix?: string): Stored<unknown>[] {
    this.#sorted ??= [...this.#rows.keys()].sort();
    const keys = this.#sorted;
    let start = 0;
    if (prefix) start = lowerBound(keys, prefix);
    const out: Stored<unknown>[] = [];
    for (let i = start; i < keys.length; i++) {
      if (prefix && !keys[i].startsWith(prefix)) break;
      out.push(this.#rows.get(keys[i])!);
    }
    return out;
  }
}

/** First index whose key is >= `target` (keys sorted ascending). */
function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
