/** A clock and timers that move only when a test says so, for driving simulated engines fast. */
import type { Clock } from '../../src/core/clock.ts';
import type { Timers } from '../../src/core/timers.ts';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualTime implements Clock, Timers {
  #now: number;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#pending.set(id, { id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order, at its own time. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.#pending.values()) if (p.at <= until && (!next || p.at < next.at)) next = p;
      if (!next) break;
      this.#pending.delete(next.id);
      this.#now = next.at;
      next.fn();
      await Promise.resolve();
    }
    this.#now = until;
  }

  get pendingTimers(): number {
    return this.#pending.size;
  }
}
