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
  /** The records in `#sorted`'s order, so a listing is one slice of this array. */
  #sortedRows: Stored<unknown>[] | undefined;
  /** Keys written or deleted, oldest first; `#logStart` is the position of `#log[0]`. */
  #log: string[] = [];
  #logStart = 0;

  get(key: string): Stored<unknown> | undefined {
    return this.#rows.get(key);
  }

  set(key: string, record: Stored<unknown>): void {
    if (this.#sorted && this.#sortedRows) {
      const at = lowerBound(this.#sorted, key);
      if (this.#rows.has(key)) this.#sortedRows[at] = record;
      else {
        this.#sorted.splice(at, 0, key);
        this.#sortedRows.splice(at, 0, record);
      }
    }
    this.#rows.set(key, record);
    this.#logged(key);
  }

  delete(key: string): void {
    if (this.#rows.delete(key) && this.#sorted && this.#sortedRows) {
      const at = lowerBound(this.#sorted, key);
      this.#sorted.splice(at, 1);
      this.#sortedRows.splice(at, 1);
    }
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

  /** The records whose key starts with `prefix`, in key order: a new array (callers may sort it). */
  list(prefix?: string): Stored<unknown>[] {
    if (this.#sorted === undefined || this.#sortedRows === undefined) {
      this.#sorted = [...this.#rows.keys()].sort();
      this.#sortedRows = this.#sorted.map((key) => this.#rows.get(key)!);
    }
    if (!prefix) return this.#sortedRows.slice();
    const keys = this.#sorted;
    const start = lowerBound(keys, prefix);
    // The keys with the prefix are one run from `start`: find its end by bisection too.
    let lo = start;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid].startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return this.#sortedRows.slice(start, lo);
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
