/**
 * A controller's periodic full resync (Kubernetes' resync period): a pass now, and the next one
 * `everyMs` after it ends, so at most one is ever scheduled. A pass that fails schedules no next
 * one; the controller's next change-feed reset or explicit resync starts the cycle again.
 */
import type { Timers } from '../core/timers.ts';

export interface PeriodicResyncOptions {
  timers: Timers;
  everyMs: number;
  /** One full pass (enqueue every key the controller owns). */
  pass(): Promise<void>;
  /** A failed pass run by `soon` or by the timer. */
  onError(error: unknown): void;
}

export class PeriodicResync {
  readonly #o: PeriodicResyncOptions;
  #timer: unknown;

  constructor(options: PeriodicResyncOptions) {
    this.#o = options;
  }

  /** Runs a pass, then schedules the next one in place of any pending. Rejects if the pass fails. */
  async run(): Promise<void> {
    await this.#o.pass();
    this.#o.timers.clearTimeout(this.#timer);
    this.#timer = this.#o.timers.setTimeout(() => this.soon(), this.#o.everyMs);
  }

  /** Runs a pass in the background; a failure goes to `onError`. */
  soon(): void {
    this.run().catch((error: unknown) => this.#o.onError(error));
  }

  /** Cancels the scheduled pass. */
  stop(): void {
    this.#o.timers.clearTimeout(this.#timer);
  }
}
