/**
 * A PostgreSQL store transaction: reads answer from the replica's mirror (as of the revision the
 * transaction started at) and are remembered, writes are buffered (../buffered-tx.ts). At commit
 * the database checks that nothing the transaction read (a key, or a prefix it listed) was
 * written since that revision (optimistic concurrency control, validated under the commit lock:
 * see schema.ts).
 */
import { BufferedTx } from '../buffered-tx.ts';
import type { Mirror } from './mirror.ts';

export type { PendingWrite } from '../buffered-tx.ts';

export class TrackedTx extends BufferedTx {
  /** Keys read, as `[kind, key]`, deduplicated by `kind\0key`. */
  readonly reads: Map<string, [string, string]>;
  /** Prefixes listed (or asked about with changesSince), as `[kind, prefix]`. */
  readonly prefixes: Map<string, [string, string]>;

  /** `beforeRead` throws when the mirror is too stale to answer (the store's read check). */
  constructor(mirror: Mirror, beforeRead: () => void) {
    const reads = new Map<string, [string, string]>();
    const prefixes = new Map<string, [string, string]>();
    super({
      get: (kind, key) => {
        beforeRead();
        reads.set(`${kind}\u0000${key}`, [kind, key]);
        return mirror.get(kind, key);
      },
      list: (kind, prefix) => {
        beforeRead();
        prefixes.set(`${kind}\u0000${prefix ?? ''}`, [kind, prefix ?? '']);
        return mirror.list(kind, prefix);
      },
      changesSince: (kind, prefix, cursor, also) => {
        prefixes.set(`${kind}\u0000${prefix}`, [kind, prefix]);
        for (const key of also) reads.set(`${kind}\u0000${key}`, [kind, key]);
        return mirror.changesSince(kind, prefix, cursor, also);
      },
    });
    this.reads = reads;
    this.prefixes = prefixes;
  }
}
