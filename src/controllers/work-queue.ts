/** A keyed work queue for level-triggered controllers: deduplicated keys, delayed requeues, one reconcile per key at a time. */

import { realTimers, type Timers } from './timers.ts';

/** What a reconcile asks for: nothing, or another pass after `requeueAfterMs` (timed work, never a sleep). */
export interface Result {
  requeueAfterMs?: number;
}

/** Failed reconciles retry after 50 ms doubling to 30 s per key (client-go's per-item exponential limiter). */
export const ERROR_BACKOFF_BASE_MS = 50;
export const ERROR_BACKOFF_MAX_MS = 30_000;

export interface WorkQueueOptions {
  reconcile(key: string): Promise<Result>;
  /** Keys reconciled at once (different keys only); default 4. */
  workers?: number;
  timers?: Timers;
  onError?(key: string, error: unknown): void;
}

/**
 * Keys wait in FIFO order and appear at most once. A key being reconciled is never handed to a
 * second worker: adding it meanwhile marks it dirty, and it runs again once the current pass ends
 * (so a change that lands mid-reconcile is never lost). A delayed add keeps the earliest deadline.
 */
export class WorkQueue {
  readonly #o: WorkQueueOptions;
  readonly #timers: Timers;
  readonly #queue = new Set<string>();
  readonly #active = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, { at: number; handle: unknown }>();
  readonly #failures = new Map<string, number>();
  readonly #idle = new Set<() => void>();
  #running = 0;
  #stopped = false;

  constructor(options: WorkQueueOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  add(key: string): void {
    if (this.#stopped) return;
    if (this.#active.has(key)) this.#dirty.add(key);
    else this.#queue.add(key);
    this.#pump();
  }

  /** Adds `key` after `ms` (monotonic time), unless an earlier delayed add is already pending. */
  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = performance.now() + ms;
    const pending = this.#delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.#timers.clearTimeout(pending.handle);
    const handle = this.#timers.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, ms);
    this.#delayed.set(key, { at, handle });
  }

  /** Keys waiting or being reconciled. */
  get length(): number {
    return this.#queue.size + this.#active.size;
  }

  /** Resolves when nothing is queued or running (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Drops waiting and delayed keys and waits for running reconciles to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.clear();
    this.#dirty.clear();
    for (const { handle } of this.#delayed.values()) this.#timers.clearTimeout(handle);
    this.#delayed.clear();
    await this.idle();
  }

  #pump(): void {
    const workers = this.#o.workers ?? 4;
    while (!this.#stopped && this.#running < workers && this.#queue.size > 0) {
      const key = this.#queue.values().next().value as string;
      this.#queue.delete(key);
      this.#active.add(key);
      this.#running++;
      void this.#run(key);
    }
  }

  async #run(key: string): Promise<void> {
    let requeueAfterMs: number | undefined;
    try {
      requeueAfterMs = (await this.#o.reconcile(key)).requeueAfterMs;
      this.#failures.delete(key);
    } catch (error) {
      const n = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, n);
      requeueAfterMs = Math.min(ERROR_BACKOFF_MAX_MS, ERROR_BACKOFF_BASE_MS * 2 ** (n - 1));
      this.#o.onError?.(key, error);
    }
    this.#active.delete(key);
    this.#running--;
    if (this.#dirty.delete(key)) this.add(key);
    else if (requeueAfterMs !== undefined) this.addAfter(key, requeueAfterMs);
    this.#pump();
    if (this.length === 0) for (const resolve of this.#idle) resolve();
    if (this.length === 0) this.#idle.clear();
  }
}
