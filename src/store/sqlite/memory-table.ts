/** The in-memory mirror of one kind of record, with key-ordered listing by prefix. */
import type { Stored } from '../store.ts';

export class MemoryTable {
  readonly #rows = new Map<string, Stored<unknown>>();
  /** Keys in order, rebuilt lazily after an insert or delete (updates keep the order). */
  #sorted: string[] | undefined;

  get(key: string): Stored<unknown> | undefined {
    return this.#rows.get(key);
  }

  set(key: string, record: Stored<unknown>): void {
    if (!this.#rows.has(key)) this.#sorted = undefined;
    this.#rows.set(key, record);
  }

  delete(key: string): void {
    if (this.#rows.delete(key)) this.#sorted = undefined;
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
