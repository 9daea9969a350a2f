/** Helpers shared by the store implementations. */

/** Shared by every frozen record: an empty list or object carries nothing a record could own. */
const EMPTY_ARRAY: readonly never[] = Object.freeze([]);
const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});
/** Strings longer than this are rarely repeated (messages, documents): not worth a table entry. */
const MAX_SHARED_LENGTH = 256;
/** Past this many entries (~15 MiB at most) the table starts over: shared strings stay shared, and
 * strings of records long gone (unique ARNs) cannot pile up. */
const MAX_SHARED_STRINGS = 100_000;
const sharedStrings = new Map<string, string>();

/**
 * Freezes a JSON value and everything in it, so a stored record cannot be changed by accident; the
 * value must be one nothing else holds yet (fresh from JSON.parse or structuredClone), which
 * also shares what records repeat: one instance of each string (ARNs, names, statuses; JSON.parse
 * and structuredClone make a copy per record), and one frozen empty list and object. Records are
 * frozen, so sharing is invisible to readers. With 50,000 tasks in memory it took the mirror from
 * 774 to 484 bytes per record (docs/performance.md, "Memory").
 */
export function freezeShared<T>(value: T): T {
  return share(value) as T;
}

function share(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.length > MAX_SHARED_LENGTH) return value;
    const shared = sharedStrings.get(value);
    if (shared !== undefined) return shared;
    if (sharedStrings.size >= MAX_SHARED_STRINGS) sharedStrings.clear();
    sharedStrings.set(value, value);
    return value;
  }
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY_ARRAY;
    for (let i = 0; i < value.length; i++) value[i] = share(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    let fields = 0;
    for (const key in record) {
      record[key] = share(record[key]);
      fields++;
    }
    if (fields === 0 && Object.getPrototypeOf(record) === Object.prototype) return EMPTY_OBJECT;
  }
  return Object.freeze(value);
}

/** Runs async sections one at a time, in arrival order. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<R>(section: () => Promise<R>): Promise<R> {
    const result = this.#tail.then(section);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
