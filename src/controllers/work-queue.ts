/** A keyed work queue for level-triggered controllers: deduplicated keys, delayed requeues, one reconcile per key at a time. */

import { realTimers } from '../core/system.ts';
import type { Timers } from '../core/timers.ts';

/** What a reconcile asks for: nothing, or another pass after `requeueAfterMs` (timed work, never a sleep). */
export interface Result {
  requeueAfterMs?: number;
}

/** Failed reconciles retry after 50 ms doubling to 30 s per key (client-go's per-item exponential limiter). */
export const ERROR_BACKOFF_BASE_MS = 50;
export const ERROR_BACKOFF_MAX_MS = 30_000;

/**
 * A key that keeps asking to run again at once (an immediate requeue, or a change it caused
 * itself) is "hot". After this many back-to-back passes its immediate re-runs are spaced by
 * HOT_KEY_SPACING_MS until it settles: a reconciler that never converges costs a few passes per
 * second, not a core. A 10,000-task scale-up (50 launches a pass) needs 200 passes: the first
 * 100 run back to back, the rest at 20 a second.
 */
export const HOT_KEY_STREAK = 100;
export const HOT_KEY_SPACING_MS = 50;

/** Lets timers, I/O and API requests run before the next pass (a resolved promise never would). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  /** Back-to-back passes per key (see HOT_KEY_STREAK). */
  readonly #streak = new Map<string, number>();
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
      // Every pass starts on a fresh turn of the event loop: a reconcile that answers from memory
      // and requeues itself at once would otherwise chain microtasks forever and starve the API.
      await yieldToEventLoop();
      if (this.#stopped) throw new QueueStopped();
      requeueAfterMs = (await this.#o.reconcile(key)).requeueAfterMs;
      this.#failures.delete(key);
    } catch (error) {
      if (error instanceof QueueStopped) return this.#finish(key, undefined);
      const n = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, n);
      requeueAfterMs = Math.min(ERROR_BACKOFF_MAX_MS, ERROR_BACKOFF_BASE_MS * 2 ** (n - 1));
      this.#o.onError?.(key, error);
    }
    this.#finish(key, requeueAfterMs);
  }

  #finish(key: string, requeueAfterMs: number | undefined): void {
    this.#active.delete(key);
    this.#running--;
    const again = this.#dirty.delete(key) ? 0 : requeueAfterMs;
    if (again === undefined || again > 0) this.#streak.delete(key);
    else this.#streak.set(key, (this.#streak.get(key) ?? 0) + 1);
    if (again !== undefined) {
      const hot = (this.#streak.get(key) ?? 0) >= HOT_KEY_STREAK;
      this.addAfter(key, hot ? Math.max(again, HOT_KEY_SPACING_MS) : again);
    }
    this.#pump();
    if (this.length === 0) for (const resolve of this.#idle) resolve();
    if (this.length === 0) this.#idle.clear();
  }
}

/** A pass that was about to start when the queue stopped. */
class QueueStopped extends Error {}
