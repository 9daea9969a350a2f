/**
 * Leader election through a lease row in PostgreSQL (`longshore_leases`): the holder renews it
 * every `renewEveryMs`; anyone may take it once it has expired by the database's clock, and each
 * take-over increments its fencing token. A holder that cannot renew steps down by its own clock
 * before the database would let another replica in, and its late writes are refused anyway by the
 * token check in the commit (schema.ts: the commit locks the lease row FOR SHARE and compares).
 *
 * Failover: a leader killed or cut off stops renewing; its lease expires at most `ttlMs` after its
 * last renewal, and a follower asks every `renewEveryMs`: with the defaults (5 s, 5/3 s) another
 * replica leads within about 6.7 s.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Fenced, type LeaderElection } from '../leader.ts';
import type { Store, Tx } from '../store.ts';
import { PostgresStore } from './postgres-store.ts';

export interface LeaderLeaseOptions {
  /** The lease's name: one per singleton group ("controllers"). */
  name?: string;
  /** Who holds it, for operators reading the row; unique per lease object by default. */
  holder?: string;
  ttlMs?: number;
  /** How often the holder renews and a follower tries to take over; default ttl / 3. */
  renewEveryMs?: number;
}

/** The share of the TTL a holder trusts its lease for after a renewal was sent (clock-rate slack). */
const TRUSTED_SHARE = 0.9;

export class PostgresLeaderLease implements LeaderElection {
  readonly name: string;
  readonly holder: string;
  readonly #store: PostgresStore;
  readonly #ttlMs: number;
  readonly #everyMs: number;
  readonly #listeners = new Set<(leader: boolean) => void>();
  #token: number | undefined;
  #tick: NodeJS.Timeout | undefined;
  #expiry: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(store: PostgresStore, options: LeaderLeaseOptions) {
    this.#store = store;
    this.name = options.name ?? 'controllers';
    this.holder = options.holder ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#everyMs = options.renewEveryMs ?? Math.round(this.#ttlMs / 3);
  }

  /** Starts campaigning; resolves after the first attempt (leading or not). */
  static async start(store: PostgresStore, options: LeaderLeaseOptions = {}): Promise<PostgresLeaderLease> {
    const lease = new PostgresLeaderLease(store, options);
    lease.#running = lease.#attempt();
    await lease.#running;
    return lease;
  }

  isLeader(): boolean {
    return this.#token !== undefined;
  }

  fencingToken(): number | undefined {
    return this.#token;
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  fenced(store: Store): Store {
    if (!(store instanceof PostgresStore))
      throw new Error(
        'a PostgreSQL lease fences a PostgresStore (wrap region views around the fenced store)',
      );
    // The view belongs to the term it was made in: once that term ends (by this replica's clock or
    // the database's), it refuses, even if this replica leads again later under a new token.
    const term = this.#token ?? -1;
    const transact = <R>(fn: (tx: Tx) => Promise<R>): Promise<R> => {
      if (this.#token !== term) return Promise.reject(new Fenced({ name: this.name, token: term }));
      return store.transact(fn, { fence: { name: this.name, token: term } });
    };
    return {
      get: (kind, key) => store.get(kind, key),
      list: (kind, query) => store.list(kind, query),
      changesSince: (kind, prefix, cursor, also) => store.changesSince(kind, prefix, cursor, also),
      transact,
      watch: (listener) => store.watch(listener),
      revision: () => store.revision(),
      clear: () => store.clear(),
      close: async () => {},
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#tick);
    await this.#running;
    const token = this.#token;
    if (token !== undefined) {
      // Hand over at once instead of making the others wait out the TTL.
      await this.#store.pool
        .query(
          `UPDATE longshore_leases SET expires_at = now() - interval '1 millisecond'
            WHERE name = $1 AND holder = $2 AND token = $3`,
          [this.name, this.holder, token],
        )
        .catch(() => {});
    }
    this.#setToken(undefined);
  }

  /** One renewal (leading) or take-over attempt (following), then the next is scheduled. */
  async #attempt(): Promise<void> {
    const sentAt = performance.now();
    try {
      const token = this.#token;
      const { rows } = await withTimeout(
        token !== undefined
          ? this.#store.pool.query<{ token: string }>(
              `UPDATE longshore_leases SET expires_at = now() + $4 * interval '1 millisecond'
                WHERE name = $1 AND holder = $2 AND token = $3 RETURNING token`,
              [this.name, this.holder, token, this.#ttlMs],
            )
          : this.#store.pool.query<{ token: string }>(
              `INSERT INTO longshore_leases (name, holder, token, expires_at)
               VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
               ON CONFLICT (name) DO UPDATE
                 SET holder = excluded.holder, token = longshore_leases.token + 1, expires_at = excluded.expires_at
                 WHERE longshore_leases.expires_at < now() OR longshore_leases.holder = excluded.holder
               RETURNING token`,
              [this.name, this.holder, this.#ttlMs],
            ),
        this.#ttlMs,
      );
      if (this.#closed) return;
      if (rows.length === 1) {
        this.#trustUntil(sentAt + this.#ttlMs * TRUSTED_SHARE);
        this.#setToken(Number(rows[0].token));
      } else if (token !== undefined) {
        this.#setToken(undefined); // someone took over after our lease expired
      }
    } catch {
      // Unreachable: a leader keeps leading until its trusted time runs out (the expiry timer).
    } finally {
      if (!this.#closed)
        this.#tick = setTimeout(() => {
          this.#running = this.#attempt();
        }, this.#everyMs);
    }
  }

  #trustUntil(at: number): void {
    clearTimeout(this.#expiry);
    this.#expiry = setTimeout(() => this.#setToken(undefined), Math.max(0, at - performance.now()));
  }

  #setToken(token: number | undefined): void {
    const was = this.#token !== undefined;
    this.#token = token;
    if (token === undefined) clearTimeout(this.#expiry);
    const is = token !== undefined;
    if (was !== is) for (const listener of this.#listeners) listener(is);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lease query took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
