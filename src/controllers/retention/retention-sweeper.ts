/**
 * Forgets records whose retention ran out: STOPPED tasks past `expiresAt` (ECS keeps them about
 * an hour; Longshore 24 h by default), INACTIVE services past theirs, and expired clientTokens.
 * Reads already hide expired records; this only reclaims their space. Bounded work per pass.
 */
import type { Clock } from '../../core/clock.ts';
import type { ServiceRecord, TaskRecord } from '../../ecs/model/records.ts';
import { Kind, type Store } from '../../store/store.ts';

/** How often the sweep runs, and how many records one pass removes at most. */
export const SWEEP_INTERVAL_MS = 60_000;
export const SWEEP_BATCH = 500;

export class RetentionSweeper {
  readonly #store: Store;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  start(intervalMs = SWEEP_INTERVAL_MS): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep().finally(() => {
        this.#running = undefined;
      });
    }, intervalMs);
    this.#timer.unref();
  }

  /** One pass; returns how many records it removed. */
  async sweep(): Promise<number> {
    const now = this.#clock.now();
    const expired = (value: { expiresAt?: number }) =>
      value.expiresAt !== undefined && value.expiresAt <= now;
    const doomed: { kind: Kind; key: string; version: number }[] = [];
    for (const r of await this.#store.list<TaskRecord>(Kind.Task)) {
      if (r.value.task.lastStatus === 'STOPPED' && expired(r.value)) doomed.push({ kind: Kind.Task, ...r });
    }
    for (const r of await this.#store.list<ServiceRecord>(Kind.Service)) {
      if (r.value.service.status === 'INACTIVE' && expired(r.value))
        doomed.push({ kind: Kind.Service, ...r });
    }
    for (const r of await this.#store.list<{ expiresAt?: number }>(Kind.ClientToken)) {
      if (expired(r.value)) doomed.push({ kind: Kind.ClientToken, ...r });
    }
    const batch = doomed.slice(0, SWEEP_BATCH);
    if (batch.length === 0) return 0;
    // Expected versions: a record that changed since it was read (e.g. a service re-created under
    // the same name) is left alone.
    return this.#store.transact(async (tx) => {
      let removed = 0;
      for (const d of batch) {
        const current = await tx.get(d.kind, d.key);
        if (current?.version !== d.version) continue;
        await tx.remove(d.kind, d.key, d.version);
        removed++;
      }
      return removed;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
