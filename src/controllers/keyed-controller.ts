/**
 * What the per-record controllers (task networks, task targets, ECR replication) are made of: a
 * keyed work queue (dedup, one reconcile per key at a time, requeues, error backoff) and a
 * periodic full resync that enqueues every key the controller owns. Each controller adds its own
 * change subscription and decides which keys to enqueue.
 */
import { describeError } from '../core/errors.ts';
import { realTimers } from '../core/system.ts';
import type { Timers } from '../core/timers.ts';
import { PeriodicResync } from './periodic-resync.ts';
import { type Result, WorkQueue } from './work-queue.ts';

export interface KeyedControllerOptions {
  /** For logs: "task network", "ECR replication" ... */
  name: string;
  /** What a key names, for logs: "task", "image" ... */
  keyLabel: string;
  reconcile(key: string): Promise<Result>;
  /** One full pass: enqueue every key that needs work (with `add`). */
  enqueueAll(add: (key: string) => void): Promise<void>;
  resyncMs: number;
  workers?: number;
  timers?: Timers;
  log?: { warn(obj: object, msg: string): void };
}

export class KeyedController {
  readonly #queue: WorkQueue;
  readonly #resync: PeriodicResync;

  constructor(o: KeyedControllerOptions) {
    const timers = o.timers ?? realTimers;
    this.#queue = new WorkQueue({
      reconcile: (key) => o.reconcile(key),
      timers,
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
      onError: (key, error) =>
        o.log?.warn({ [o.keyLabel]: key, error: describeError(error) }, `${o.name} reconcile failed`),
    });
    this.#resync = new PeriodicResync({
      timers,
      everyMs: o.resyncMs,
      pass: () => o.enqueueAll((key) => this.#queue.add(key)),
      onError: (error) => o.log?.warn({ error: describeError(error) }, `${o.name} resync failed`),
    });
  }

  add(key: string): void {
    this.#queue.add(key);
  }

  /** A full pass now (rejects when it fails), and the next one scheduled. */
  resync(): Promise<void> {
    return this.#resync.run();
  }

  /** A full pass in the background (changes were lost, or at start). */
  resyncSoon(): void {
    this.#resync.soon();
  }

  /** Resolves once no reconcile is queued or running (delayed requeues do not count). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async stop(): Promise<void> {
    this.#resync.stop();
    await this.#queue.stop();
  }
}
