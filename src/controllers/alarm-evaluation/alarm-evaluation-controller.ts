/**
 * Evaluates the region's CloudWatch alarms (level-triggered, one key per alarm name). Each alarm
 * is evaluated on its interval (CloudWatch's: every minute, every 10 seconds for periods under a
 * minute; `intervalMs` overrides it, which `longshore up` takes from LONGSHORE_ALARM_EVALUATION_MS)
 * through the work queue's timed requeues, and at once when it changes. A change to any alarm also
 * enqueues the composite alarms whose rules name it. A resync at start and every 5 minutes enqueues
 * every alarm (and expires history past 30 days). All state is in the store, so a restart
 * resumes where it stopped: pending actions are invoked, states re-evaluated.
 */
import type { AlarmActionRegistry } from '../../cloudwatch/model/alarm-actions.ts';
import { expireHistory } from '../../cloudwatch/model/alarm-history.ts';
import type { AlarmContext, AlarmRecord } from '../../cloudwatch/model/alarm-records.ts';
import { Kind, type Store } from '../../store/store.ts';
import type { Timers } from '../../core/timers.ts';
import { KeyedController } from '../keyed-controller.ts';
import { type ReconcileOutcome, reconcileAlarm } from './reconcile-alarm.ts';

export const ALARM_EVALUATION_RESYNC_MS = 5 * 60_000;
/** CloudWatch evaluates standard alarms every minute and high-resolution ones every 10 seconds. */
export const STANDARD_INTERVAL_MS = 60_000;
export const HIGH_RESOLUTION_INTERVAL_MS = 10_000;

export interface AlarmEvaluationOptions extends AlarmContext {
  store: Store;
  actions: AlarmActionRegistry;
  /** Evaluate every alarm this often instead of CloudWatch's cadence (local use, tests). */
  intervalMs?: number;
  timers?: Timers;
  resyncMs?: number;
  workers?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class AlarmEvaluationController {
  readonly #o: AlarmEvaluationOptions;
  readonly #keys: KeyedController;
  readonly #lastRepeat = new Map<string, number>();
  /** child alarm name -> composite alarms whose rules name it. */
  readonly #parents = new Map<string, Set<string>>();
  #unsubscribe: (() => void) | undefined;
  /** Evaluations done (the benchmark reads it). */
  evaluations = 0;

  constructor(options: AlarmEvaluationOptions) {
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'alarm evaluation',
      keyLabel: 'alarm',
      reconcile: async (key) => {
        const outcome = await this.evaluate(key);
        return outcome.type === 'evaluated' ? { requeueAfterMs: outcome.nextInMs } : {};
      },
      enqueueAll: async (add) => {
        for (const row of await options.store.list<AlarmRecord>(Kind.CloudWatchAlarm)) add(row.key);
        await options.store.transact((tx) => expireHistory(tx, options.clock.now()));
      },
      resyncMs: options.resyncMs ?? ALARM_EVALUATION_RESYNC_MS,
      workers: options.workers ?? 8,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  start(): void {
    this.#unsubscribe = this.#o.store.watch((batch) => {
      if (batch.gap) this.#keys.resyncSoon();
      for (const change of batch.changes) {
        if (change.kind !== Kind.CloudWatchAlarm) continue;
        if (change.version !== undefined) this.#keys.add(change.key);
        else this.#lastRepeat.delete(change.key);
        for (const parent of this.#parents.get(change.key) ?? []) this.#keys.add(parent);
      }
    });
    this.#keys.resyncSoon();
  }

  /** One pass over one alarm now (the work queue calls it; tests call it with their own clock). */
  async evaluate(name: string): Promise<ReconcileOutcome> {
    const outcome = await reconcileAlarm(
      {
        store: this.#o.store,
        ctx: { partition: this.#o.partition, clock: this.#o.clock, rng: this.#o.rng },
        actions: this.#o.actions,
        lastRepeat: this.#lastRepeat,
        intervalOf: (alarm) => this.intervalOf(alarm),
        onChildren: (composite, children) => this.#noteChildren(composite, children),
      },
      name,
    );
    if (outcome.type === 'evaluated' && !outcome.skipped) this.evaluations++;
    return outcome;
  }

  intervalOf(alarm: AlarmRecord): number {
    if (this.#o.intervalMs !== undefined) return this.#o.intervalMs;
    return alarm.type === 'MetricAlarm' && (alarm.period ?? 60) < 60
      ? HIGH_RESOLUTION_INTERVAL_MS
      : STANDARD_INTERVAL_MS;
  }

  #noteChildren(composite: string, children: readonly string[]): void {
    for (const parents of this.#parents.values()) parents.delete(composite);
    for (const child of children) {
      const parents = this.#parents.get(child) ?? new Set<string>();
      parents.add(composite);
      this.#parents.set(child, parents);
    }
  }

  add(name: string): void {
    this.#keys.add(name);
  }

  resync(): Promise<void> {
    return this.#keys.resync();
  }

  idle(): Promise<void> {
    return this.#keys.idle();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#keys.stop();
  }
}
