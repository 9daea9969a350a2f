/**
 * EventBridge delivery, per region, started with the API: events put on a bus (Kind.EventOutbox,
 * by PutEvents and by Longshore's own publishers) are matched against the bus's ENABLED rules and
 * turned into deliveries (`match-outbox.ts`), which the delivery worker invokes
 * (`delivery-worker.ts`); scheduled rules fire on time (`scheduled-rules.ts`).
 *
 * Level-triggered: an outbox change enqueues its bus, a delivery change its delivery, a rule change
 * its rule (schedules) and drops the bus's cached RuleIndex; a resync at start and every minute
 * enqueues every bus with events waiting and every delivery, so nothing a crash interrupted is
 * left behind.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { OutboxRecord } from '../../events/model/publish-events.ts';
import type { RuleRecord } from '../../events/model/records.ts';
import { isEnabled, rulePattern, rulesOfBus } from '../../events/model/rules.ts';
import { RuleIndex } from '../../events/pattern/rule-index.ts';
import { Kind, type Store } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { EventMetric, EventMetrics } from './event-metrics.ts';
import { matchOutbox } from './match-outbox.ts';
import { ScheduledRules } from './scheduled-rules.ts';
import type { EventTargetPorts } from './target-ports.ts';

export const EVENT_RULES_RESYNC_MS = 60_000;

export interface EventRulesOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  ports: EventTargetPorts;
  timers?: Timers;
  backoffBaseMs?: number;
  /** A rate() minute in ms for scheduled rules (local pace; see ScheduledRulesOptions). */
  rateMinuteMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class EventRulesController {
  readonly #o: EventRulesOptions;
  readonly #matcher: KeyedController;
  readonly #worker: DeliveryWorker;
  readonly #schedules: ScheduledRules;
  readonly #metrics: EventMetrics;
  /** Per bus: its ENABLED event-pattern rules, indexed; dropped when one of its rules changes. */
  readonly #indexes = new Map<string, Promise<RuleIndex<RuleRecord>>>();
  #unwatch: (() => void) | undefined;

  constructor(options: EventRulesOptions) {
    this.#o = options;
    const timers = options.timers ?? realTimers;
    this.#metrics = new EventMetrics(options.store, timers, options.log);
    this.#matcher = new KeyedController({
      name: 'EventBridge rules',
      keyLabel: 'bus',
      reconcile: (bus) => this.#match(bus),
      enqueueAll: async (add) => {
        this.#indexes.clear();
        for (const s of await options.store.list<OutboxRecord>(Kind.EventOutbox)) add(s.value.bus);
      },
      resyncMs: EVENT_RULES_RESYNC_MS,
      timers,
      ...(options.log ? { log: options.log } : {}),
    });
    this.#worker = new DeliveryWorker({
      store: options.store,
      clock: options.clock,
      partition: options.partition,
      ports: options.ports,
      metrics: this.#metrics,
      timers,
      ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    this.#schedules = new ScheduledRules({
      store: options.store,
      clock: options.clock,
      rng: options.rng,
      timers,
      ...(options.rateMinuteMs ? { rateMinuteMs: options.rateMinuteMs } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unwatch = this.#o.store.watch((batch) => {
      if (batch.gap) {
        this.#indexes.clear();
        this.#matcher.resyncSoon();
        void this.#worker.resync().catch(() => undefined);
        void this.#schedules.resync().catch(() => undefined);
        return;
      }
      for (const c of batch.changes) {
        if (c.kind === Kind.EventOutbox) {
          if (c.version !== undefined) this.#matcher.add(c.key.slice(0, c.key.lastIndexOf('/')));
        } else if (c.kind === Kind.EventDelivery) {
          if (c.version !== undefined) this.#worker.add(c.key);
        } else if (c.kind === Kind.EventRule) {
          this.#indexes.delete(c.key.slice(0, c.key.lastIndexOf('/')));
          this.#schedules.add(c.key);
        }
      }
    });
    await Promise.all([this.#matcher.resync(), this.#worker.resync(), this.#schedules.resync()]);
  }

  /** Resolves once matching, deliveries and schedules have nothing queued (delayed retries do not count). */
  async idle(): Promise<void> {
    await this.#matcher.idle();
    await this.#schedules.idle();
    await this.#worker.idle();
  }

  /** Writes the metrics counted so far (tests read them at once). */
  flushMetrics(): Promise<void> {
    return this.#metrics.flush();
  }

  async stop(): Promise<void> {
    this.#unwatch?.();
    await this.#matcher.stop();
    await this.#schedules.stop();
    await this.#worker.stop();
    await this.#metrics.flush().catch(() => undefined);
  }

  async #match(bus: string): Promise<{ requeueAfterMs?: number }> {
    const index = await this.#index(bus);
    const result = await matchOutbox(this.#o.store, bus, index);
    for (const { rule, at } of result.matched) {
      this.#metrics.add(EventMetric.TriggeredRules, rule.bus, rule.name, at);
      this.#metrics.add(EventMetric.MatchedEvents, rule.bus, rule.name, at);
    }
    return result.more ? { requeueAfterMs: 0 } : {};
  }

  #index(bus: string): Promise<RuleIndex<RuleRecord>> {
    let index = this.#indexes.get(bus);
    if (!index) {
      index = this.#build(bus);
      this.#indexes.set(bus, index);
      index.catch(() => this.#indexes.delete(bus));
    }
    return index;
  }

  async #build(bus: string): Promise<RuleIndex<RuleRecord>> {
    const index = new RuleIndex<RuleRecord>();
    for (const rule of await rulesOfBus(this.#o.store, bus)) {
      if (!isEnabled(rule) || rule.targets.length === 0) continue;
      const pattern = rulePattern(rule);
      if (pattern) index.set(rule, pattern);
    }
    return index;
  }
}
