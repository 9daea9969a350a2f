/**
 * The cluster-mode store: PostgreSQL holds the records and a durable change log; each replica
 * answers reads from an in-memory mirror that the change log feeds (see README.md beside this file).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  type ChangeBatch,
  type ChangeListener,
  type ChangesSince,
  type Kind,
  type Query,
  type Store,
  type StoreChange,
  type Stored,
  type Tx,
  VersionConflict,
} from '../store.ts';
import { Mutex } from '../support.ts';
import { isConnectionError, StoreUnavailable } from './errors.ts';
import { Mirror, type RecordRow } from './mirror.ts';
import { withPooledClient } from './pooled-client.ts';
import { NotifyListener } from './notify-listener.ts';
import { migrate } from './schema.ts';
import { TrackedTx } from './tracked-tx.ts';
import { Fenced, type Fence } from '../leader.ts';

export interface PostgresStoreOptions {
  /** How long a call keeps retrying a lost connection before it fails with StoreUnavailable. */
  retryWindowMs?: number;
  /** How often a replica asks for the head revision (catches missed notifications; confirms freshness). */
  pollIntervalMs?: number;
  /** Reads fail with StoreUnavailable once the mirror has not been confirmed current for this long. */
  staleReadLimitMs?: number;
  /** Revisions the change log keeps; a replica further behind reloads everything (a `gap`). */
  keepRevisions?: number;
  /** Runs of a transaction's function when other replicas' commits keep conflicting with its reads. */
  maxAttempts?: number;
  /** Connections in the pool (commits and catch-up reads), besides the LISTEN connection. */
  poolSize?: number;
}

/** Options of one transaction (beyond the Store interface). */
export interface TransactOptions {
  /** Commit only while this lease term holds (a leader's fencing token): else `Fenced`. */
  fence?: Fence;
}

/** Revisions the change log keeps by default (also what `longshore restore` passes to the commit function). */
export const KEEP_REVISIONS = 100_000;

const DEFAULTS: Required<PostgresStoreOptions> = {
  retryWindowMs: 5_000,
  pollIntervalMs: 1_000,
  staleReadLimitMs: 5_000,
  keepRevisions: KEEP_REVISIONS,
  maxAttempts: 8,
  poolSize: 4,
};
/** The longest any query may go unanswered (a full reload of a large store included). */
const QUERY_TIMEOUT_MS = 60_000;
/** The head revision query (read barrier, poll): one row, so a slow answer means a lost database. */
const HEAD_QUERY_TIMEOUT_MS = 2_000;
/** The advisory lock contended transactions take turns with (any constant apart from the migrations'). */
const CONTENDED_LOCK_KEY = '7813007263624737638';
/** Runs a transaction holding the contended lock may take before it gives up. */
const TURN_ATTEMPTS = 32;
/** How long a contended transaction waits for its turn before going on without it. */
const TURN_WAIT_MS = 2_000;
/** Backoff between retries of a lost connection: doubles from MIN to MAX. */
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1_000;
/** A background catch-up (poll, notification) tries once, briefly: the next poll tries again. */
const BACKGROUND_WINDOW_MS = 0;

interface TurnLock {
  release(): Promise<void>;
}

interface CommitAnswer {
  status: 'committed' | 'duplicate' | 'conflict' | 'fenced';
  revision?: number;
  head: number;
}

type CatchUp =
  | { type: 'current'; head: number }
  | { type: 'reload'; head: number; rows: RecordRow[] }
  | { type: 'delta'; head: number; changes: ChangeRow[]; rows: RecordRow[] };

interface ChangeRow {
  revision: string;
  kind: string;
  key: string;
  version: number | null;
}

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #options: Required<PostgresStoreOptions>;
  readonly #mirror = new Mirror();
  /** One transaction or mirror update at a time in this replica (as in the SQLite store). */
  readonly #mutex = new Mutex();
  readonly #watchers = new Set<ChangeListener>();
  readonly #listener: NotifyListener;
  /** performance.now() when the mirror was last known to hold the database's head revision. */
  #confirmedAt = Number.NEGATIVE_INFINITY;
  #catchUpQueued = false;
  #poll: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(url: string, options: Required<PostgresStoreOptions>) {
    this.#options = options;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize,
      connectionTimeoutMillis: Math.max(1_000, Math.min(options.retryWindowMs, 5_000)),
      keepAlive: true,
      // A partition drops packets without an answer: no query may wait for ever (a reload of a large
      // store reads for a while, so this bound is generous; the head and commit queries have tighter ones).
      query_timeout: QUERY_TIMEOUT_MS,
    });
    // An idle connection that dies is dropped by the pool; without a listener the error would crash the process.
    this.#pool.on('error', () => {});
    this.#listener = new NotifyListener(url, () => this.#nudge());
  }

  /**
   * Connects to `url` (`postgres://user@host:port/db`), applies migrations once across replicas,
   * starts listening for other replicas' commits, and loads the mirror.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, { ...DEFAULTS, ...options });
    try {
      const deadline = performance.now() + store.#options.retryWindowMs;
      await store.#withClient(deadline, (client) => migrate(client));
      // LISTEN before the first load: a commit between the two is then nudged, never missed.
      await store.#retrying(deadline, () => store.#listener.start());
      await store.#mutex.run(() => store.#catchUp(deadline, 0, true));
      store.#poll = setInterval(() => store.#nudge(), store.#options.pollIntervalMs);
      store.#poll.unref();
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** The pool, for the leader lease (src/store/postgres/leader-lease.ts) and tests. */
  get pool(): pg.Pool {
    return this.#pool;
  }

  async get<T>(kind: Kind, key: string): Promise<Stored<T> | undefined> {
    this.#checkFresh();
    return this.#mirror.get(kind, key) as Stored<T> | undefined;
  }

  async list<T>(kind: Kind, query?: Query): Promise<Stored<T>[]> {
    this.#checkFresh();
    return this.#mirror.list(kind, query?.prefix) as Stored<T>[];
  }

  changesSince(kind: Kind, prefix: string, cursor: unknown, also?: readonly string[]): ChangesSince {
    return this.#mirror.changesSince(kind, prefix, cursor, also);
  }

  watch(listener: ChangeListener): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  revision(): number {
    return this.#mirror.revision;
  }

  /**
   * A read barrier: resolves once the mirror holds every commit acknowledged (by any replica)
   * before this call. A gateway that must show a write made through another replica an instant
   * ago calls this once per request before reading (docs/cluster-mode.md).
   */
  async sync(): Promise<void> {
    this.#assertOpen();
    const askedAt = performance.now();
    // Cut off for longer than reads may lag (a partition, an outage): one shared probe, no retries,
    // answered within the head query's timeout, instead of every request waiting out the retry
    // window for a database that does not answer. The first probe that succeeds ends it.
    const stale = this.#staleness();
    const deadline = stale ? askedAt : askedAt + this.#options.retryWindowMs;
    const asked = this.#readIndex(deadline);
    const head = stale
      ? await within(asked, HEAD_QUERY_TIMEOUT_MS, () => new StoreUnavailable(stale))
      : await asked;
    if (head > this.#mirror.revision) await this.#mutex.run(() => this.#catchUp(deadline, head));
    // The head was read after `askedAt` (readIndex sends a new query) and the mirror holds it.
    else this.#confirmedAt = Math.max(this.#confirmedAt, askedAt);
  }

  #headInFlight: Promise<number> | undefined;
  #headNext: Promise<number> | undefined;

  /**
   * The head revision from a query sent after this call (so it covers every commit acknowledged
   * before it), shared by concurrent callers as etcd's ReadIndex is: those arriving while a query
   * is in flight share the next one.
   */
  #readIndex(deadline: number): Promise<number> {
    if (!this.#headInFlight) {
      this.#headInFlight = this.#head(deadline).finally(() => {
        this.#headInFlight = undefined;
      });
      return this.#headInFlight;
    }
    this.#headNext ??= this.#headInFlight
      .catch(() => {})
      .then(() => {
        this.#headNext = undefined;
        return this.#readIndex(deadline);
      });
    return this.#headNext;
  }

  /**
   * Runs `fn` against this replica's mirror, then commits its writes in one statement that first
   * checks nothing it read was written since (by any replica). When that check fails, the mirror
   * catches up and `fn` runs again (at most `maxAttempts` times): keep side effects in `onCommit`.
   */
  async transact<R>(fn: (tx: Tx) => Promise<R>, options: TransactOptions = {}): Promise<R> {
    this.#assertOpen();
    return this.#mutex.run(async () => {
      // After a conflict, reruns take the cluster-wide "contended" lock: transactions that keep
      // invalidating each other (RunTasks into one cluster through several replicas) then take
      // turns instead of starving one another; uncontended ones never touch it.
      let turn: TurnLock | undefined;
      try {
        return await this.#attempts(fn, options, async () => {
          turn ??= await this.#takeTurn();
          return turn !== undefined;
        });
      } finally {
        await turn?.release();
      }
    });
  }

  async #attempts<R>(
    fn: (tx: Tx) => Promise<R>,
    options: TransactOptions,
    /** Told of each conflict; true when this transaction now holds the contended lock. */
    onConflict: () => Promise<boolean>,
  ): Promise<R> {
    // With its turn, a transaction conflicts only with others' first attempts: it may try longer.
    let limit = this.#options.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      const start = this.#mirror.revision;
      const tx = new TrackedTx(this.#mirror, () => this.#checkFresh());
      let result: R;
      try {
        result = await fn(tx);
      } catch (error) {
        // A version conflict against a mirror that is behind may be this replica's staleness,
        // not the caller's: catch up and run again; against the head it is the caller's.
        if (error instanceof VersionConflict && attempt < this.#options.maxAttempts) {
          const deadline = performance.now() + this.#options.retryWindowMs;
          if ((await this.#head(deadline)) > start) {
            await this.#catchUp(deadline);
            continue;
          }
        }
        throw error;
      }
      if (tx.writes.size === 0) return result;
      const sentAt = performance.now();
      const answer = await this.#commit(tx, start, options.fence, false);
      if (answer.status === 'fenced') throw new Fenced(options.fence!);
      if (answer.status === 'conflict') {
        if (attempt >= limit)
          throw new StoreUnavailable(
            `transaction conflicted with other replicas' commits ${attempt} times; try again`,
          );
        if (await onConflict()) limit = Math.max(limit, TURN_ATTEMPTS);
        await this.#catchUp(performance.now() + this.#options.retryWindowMs);
        continue;
      }
      await this.#advance(answer, start, sentAt, tx);
      for (const callback of tx.committed) callback();
      return result;
    }
  }

  /**
   * Takes the contended-transactions lock (a session advisory lock on a pooled connection),
   * trying for at most TURN_WAIT_MS: a holder that is slow or cut off must not stall the others,
   * who then go on optimistically. Undefined when not taken.
   */
  async #takeTurn(): Promise<TurnLock | undefined> {
    const deadline = performance.now() + TURN_WAIT_MS;
    let client: pg.PoolClient | undefined;
    // A held connection that dies (a restart, a partition) emits 'error': without a listener that
    // would crash the process. The lock goes with the session; the next query on it fails anyway.
    const onError = () => {};
    try {
      client = await this.#pool.connect();
      client.on('error', onError);
      for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
        const { rows } = await client.query<{ ok: boolean }>({
          text: 'SELECT pg_try_advisory_lock($1) AS ok',
          values: [CONTENDED_LOCK_KEY],
          query_timeout: TURN_WAIT_MS,
        } as pg.QueryConfig);
        if (rows[0]?.ok) {
          const held = client;
          return {
            release: async () => {
              try {
                await held.query({
                  text: 'SELECT pg_advisory_unlock($1)',
                  values: [CONTENDED_LOCK_KEY],
                  query_timeout: TURN_WAIT_MS,
                } as pg.QueryConfig);
                held.off('error', onError);
                held.release();
              } catch (error) {
                // A lost session's lock went with it; the connection is destroyed, not reused.
                held.off('error', onError);
                held.release(error instanceof Error ? error : new Error(String(error)));
              }
            },
          };
        }
        if (performance.now() + delay > deadline) break;
        await sleep(delay);
      }
      client.off('error', onError);
      client.release();
      return undefined;
    } catch (error) {
      client?.off('error', onError);
      client?.release(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  async clear(): Promise<void> {
    this.#assertOpen();
    await this.#mutex.run(async () => {
      const start = this.#mirror.revision;
      const sentAt = performance.now();
      const answer = await this.#commit(undefined, start, undefined, true);
      await this.#advance(answer, start, sentAt, undefined);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#poll);
    await this.#listener.stop();
    await this.#mutex.run(() => this.#pool.end().catch(() => {}));
  }

  // --- commits ---------------------------------------------------------------------------

  /**
   * Sends the commit, retrying lost connections with the same commit id until the retry window
   * closes: a retry of a commit that did land answers `duplicate`, so nothing is applied twice.
   */
  async #commit(
    tx: TrackedTx | undefined,
    start: number,
    fence: Fence | undefined,
    clear: boolean,
  ): Promise<CommitAnswer> {
    const commitId = randomUUID();
    const writes = tx
      ? [...tx.writes.values()].map((w) => [
          w.kind,
          w.key,
          w.record?.version ?? 0,
          w.record ? JSON.stringify(w.record.value) : null,
        ])
      : [];
    const params = [
      start,
      commitId,
      JSON.stringify(tx ? [...tx.reads.values()] : []),
      JSON.stringify(tx ? [...tx.prefixes.values()] : []),
      JSON.stringify(writes),
      fence ? JSON.stringify(fence) : null,
      clear,
      this.#options.keepRevisions,
    ];
    let sent = false;
    try {
      return await this.#withClient(performance.now() + this.#options.retryWindowMs, async (client) => {
        sent = true;
        const { rows } = await client.query<{ r: CommitAnswer }>({
          text: 'SELECT longshore_commit($1, $2, $3, $4, $5, $6, $7, $8) AS r',
          values: params,
          // Unanswered (a partition): the outcome is unknown, and the retry finds out (a commit id).
          query_timeout: this.#options.retryWindowMs,
        } as pg.QueryConfig);
        const r = rows[0].r;
        return {
          status: r.status,
          head: Number(r.head),
          revision: r.revision === undefined ? undefined : Number(r.revision),
        };
      });
    } catch (error) {
      if (error instanceof StoreUnavailable && sent)
        throw new StoreUnavailable(
          `${error.message}; the commit was sent and may have been applied (the change feed will say)`,
          'unknown',
          error.cause,
        );
      throw error;
    }
  }

  /**
   * Moves the mirror past a commit of ours. When nothing else was committed since the
   * transaction started, our writes are the whole difference; otherwise a catch-up reads the
   * revisions in between (and ours) in one snapshot.
   */
  async #advance(
    answer: CommitAnswer,
    start: number,
    sentAt: number,
    tx: TrackedTx | undefined,
  ): Promise<void> {
    const revision = answer.revision!;
    if (this.#mirror.revision >= revision) return;
    if (answer.status === 'committed' && answer.head === start && this.#mirror.revision === start) {
      const changes: StoreChange[] = [];
      if (tx) {
        for (const w of tx.writes.values()) {
          if (w.record) this.#mirror.set(w.kind, w.record);
          else this.#mirror.delete(w.kind, w.key);
          changes.push({ kind: w.kind, key: w.key, version: w.record?.version });
        }
        this.#mirror.revision = revision;
        this.#confirmedAt = sentAt;
        this.#emit({ revision, changes, gap: false });
      } else {
        this.#mirror.replace([], revision);
        this.#confirmedAt = sentAt;
        this.#emit({ revision, changes: [], gap: true });
      }
      return;
    }
    try {
      await this.#catchUp(performance.now() + this.#options.retryWindowMs, revision);
    } catch (error) {
      throw new StoreUnavailable(
        `committed revision ${revision}, but this replica could not read the commits before it back: ${describe(error)}`,
        'unknown',
        error,
      );
    }
  }

  // --- the change feed -----------------------------------------------------------------

  /** Schedules one catch-up (coalesced): a notification arrived, the poll ticked, or the listener reconnected. */
  #nudge(): void {
    if (this.#catchUpQueued || this.#closed) return;
    this.#catchUpQueued = true;
    this.#mutex
      .run(async () => {
        this.#catchUpQueued = false;
        if (this.#closed) return;
        await this.#catchUp(performance.now() + BACKGROUND_WINDOW_MS);
      })
      .catch(() => {
        // Unreachable: reads refuse once the mirror is staleReadLimitMs unconfirmed; the next poll retries.
      });
  }

  /**
   * Brings the mirror to the database's head (at least `atLeast`), in one REPEATABLE READ
   * snapshot so it lands on the exact state of one revision, and announces each revision in order.
   * Runs under the mutex.
   */
  async #catchUp(deadline: number, atLeast = 0, reload = false): Promise<void> {
    const askedAt = performance.now();
    const from = this.#mirror.revision;
    // Asked to reach a revision past ours (our own commit): no need to ask where the head is.
    if (!reload && atLeast <= from) {
      const head = await this.#head(deadline);
      if (head <= from) {
        this.#confirmedAt = askedAt;
        return;
      }
    }
    const read = await this.#withClient(deadline, (client) => readSince(client, from, reload));
    if (this.#mirror.revision !== from) return; // cannot happen under the mutex; never apply twice
    switch (read.type) {
      case 'current':
        break;
      case 'reload':
        this.#mirror.replace(read.rows, read.head);
        this.#emit({ revision: read.head, changes: [], gap: true });
        break;
      case 'delta':
        this.#applyDelta(read);
        break;
    }
    this.#confirmedAt = askedAt;
  }

  #applyDelta(read: Extract<CatchUp, { type: 'delta' }>): void {
    const current = new Map(read.rows.map((row) => [`${row.kind}\u0000${row.key}`, row]));
    const touched = new Set<string>();
    for (const change of read.changes) {
      const id = `${change.kind}\u0000${change.key}`;
      if (touched.has(id)) continue;
      touched.add(id);
      const row = current.get(id);
      if (row) this.#mirror.setRow(row);
      else this.#mirror.delete(change.kind as Kind, change.key);
    }
    this.#mirror.revision = read.head;
    // Each revision is announced on its own; the mirror already holds the head's state (watchers re-read).
    let batch: ChangeBatch | undefined;
    for (const change of read.changes) {
      const revision = Number(change.revision);
      if (batch && batch.revision !== revision) this.#emit(batch);
      if (!batch || batch.revision !== revision) batch = { revision, changes: [], gap: false };
      (batch.changes as StoreChange[]).push({
        kind: change.kind as Kind,
        key: change.key,
        version: change.version ?? undefined,
      });
    }
    if (batch) this.#emit(batch);
  }

  #emit(batch: ChangeBatch): void {
    for (const listener of this.#watchers) {
      try {
        listener(batch);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  // --- connections ---------------------------------------------------------------------

  async #head(deadline: number): Promise<number> {
    return this.#withClient(deadline, async (client) => {
      const { rows } = await client.query<{ revision: string }>({
        text: 'SELECT revision FROM longshore_head WHERE id = 1',
        // The read barrier of every API request: a partition answers ServiceUnavailable, not a hang.
        query_timeout: HEAD_QUERY_TIMEOUT_MS,
      } as pg.QueryConfig);
      return Number(rows[0].revision);
    });
  }

  /** Runs `fn` on a pooled connection; a lost connection is retried (new connection, backoff) until `deadline`. */
  async #withClient<R>(deadline: number, fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    return this.#retrying(deadline, () => withPooledClient(this.#pool, fn));
  }

  async #retrying<R>(deadline: number, attempt: () => Promise<R>): Promise<R> {
    let delay = BACKOFF_MIN_MS;
    for (;;) {
      if (this.#closed) throw new StoreUnavailable('the store is closed');
      try {
        return await attempt();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        if (performance.now() + delay > deadline)
          throw new StoreUnavailable(`PostgreSQL is unreachable: ${describe(error)}`, 'not-applied', error);
        await sleep(delay);
        delay = Math.min(delay * 2, BACKOFF_MAX_MS);
      }
    }
  }

  /**
   * Whether this replica serves reads: open, and its mirror confirmed current within the
   * stale-read limit (what `get` and `list` check). `GET /readyz` answers with it.
   */
  health(): { ok: boolean; reason?: string } {
    if (this.#closed) return { ok: false, reason: 'the store is closed' };
    const stale = this.#staleness();
    return stale === undefined ? { ok: true } : { ok: false, reason: stale };
  }

  #checkFresh(): void {
    const stale = this.#staleness();
    if (stale !== undefined) throw new StoreUnavailable(stale);
  }

  /** Why the mirror may be stale (not confirmed current for longer than the limit); undefined when fresh. */
  #staleness(): string | undefined {
    const age = performance.now() - this.#confirmedAt;
    return age > this.#options.staleReadLimitMs
      ? `this replica has not reached PostgreSQL for ${Math.round(age)} ms; its copy may be stale`
      : undefined;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreUnavailable('the store is closed');
  }
}

/** Everything committed after `from` (everything, with `reload`), in one snapshot: the changes by revision and the current rows of the keys they name. */
async function readSince(client: pg.PoolClient, from: number, reload: boolean): Promise<CatchUp> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const head = Number(
    (await client.query<{ revision: string }>('SELECT revision FROM longshore_head')).rows[0].revision,
  );
  let result: CatchUp;
  if (reload) {
    const all = await client.query<RecordRow>('SELECT kind, key, version, value FROM records');
    result = { type: 'reload', head, rows: all.rows };
  } else if (head <= from) result = { type: 'current', head };
  else {
    const { rows } = await client.query<{ oldest: string | null; cleared: boolean | null }>(
      'SELECT min(revision) AS oldest, bool_or(cleared) FILTER (WHERE revision > $1) AS cleared FROM longshore_revisions',
      [from],
    );
    const oldest = rows[0].oldest === null ? undefined : Number(rows[0].oldest);
    if (oldest === undefined || oldest > from + 1 || rows[0].cleared) {
      const all = await client.query<RecordRow>('SELECT kind, key, version, value FROM records');
      result = { type: 'reload', head, rows: all.rows };
    } else {
      const changes = await client.query<ChangeRow>(
        'SELECT revision, kind, key, version FROM longshore_changes WHERE revision > $1 ORDER BY revision, kind, key',
        [from],
      );
      const current = await client.query<RecordRow>(
        `SELECT r.kind, r.key, r.version, r.value FROM records r
          WHERE (r.kind, r.key) IN (SELECT kind, key FROM longshore_changes WHERE revision > $1)`,
        [from],
      );
      result = { type: 'delta', head, changes: changes.rows, rows: current.rows };
    }
  }
  await client.query('COMMIT');
  return result;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `promise`, or `error()` once `ms` have passed (the promise goes on; its rejection is handled). */
function within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
