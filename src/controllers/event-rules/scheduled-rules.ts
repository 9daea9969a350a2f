/**
 * Scheduled rules (a ScheduleExpression, default bus): each fires at its occurrences, `rate()`
 * counted from the rule's creation and `cron()` in UTC, invoking its targets with EventBridge's
 * `Scheduled Event` envelope (source `aws.events`, resources [rule ARN], detail {}). One pass per
 * rule (keyed `<bus>/<rule>`):
 *
 *   - rule gone, DISABLED, without a schedule or targets: nothing fires (its last-fired record
 *     is dropped with the rule);
 *   - next occurrence after the last one fired (or after the rule's creation) still ahead:
 *     requeue at it;
 *   - due: in ONE transaction, the deliveries of the latest due occurrence are written and that
 *     occurrence recorded as fired (Kind.EventRuleSchedule, at the version read). Occurrences
 *     missed while the control plane was down are not replayed one by one: the latest of them
 *     fires once, as a rule's targets would see after an EventBridge outage.
 *
 * A restart reads the record, so an occurrence never fires twice.
 */
import type { Clock, Rng } from '../../core/clock.ts';
import type { Timers } from '../../core/timers.ts';
import { uuidFrom } from '../../core/uuid.ts';
import { writeDeliveries } from '../../events/model/deliveries.ts';
import { type EventEnvelope, eventTime } from '../../events/model/publish-events.ts';
import type { RuleRecord, RuleScheduleRecord } from '../../events/model/records.ts';
import { isEnabled } from '../../events/model/rules.ts';
import { nextOccurrence, parseRuleScheduleExpression } from '../../events/model/schedule-expression.ts';
import { Kind, type Store } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';

export const SCHEDULES_RESYNC_MS = 60_000;
/** Occurrences are looked for this far at most; a later one is requeued for then. */
const MAX_WAIT_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface ScheduledRulesOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  timers: Timers;
  /**
   * How long a rate() minute lasts, in ms (default 60,000): a local pace, so `rate(1 minute)`
   * fires every second with 1,000 (LONGSHORE_EVENTS_RATE_MINUTE_MS). cron() keeps wall-clock time.
   */
  rateMinuteMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class ScheduledRules {
  readonly #o: ScheduledRulesOptions;
  readonly #keys: KeyedController;

  constructor(options: ScheduledRulesOptions) {
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'EventBridge schedules',
      keyLabel: 'rule',
      reconcile: (key) => this.#fire(key),
      enqueueAll: async (add) => {
        for (const s of await options.store.list<RuleRecord>(Kind.EventRule)) {
          if (s.value.scheduleExpression !== undefined) add(s.key);
        }
      },
      resyncMs: SCHEDULES_RESYNC_MS,
      timers: options.timers,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  add(key: string): void {
    this.#keys.add(key);
  }

  resync(): Promise<void> {
    return this.#keys.resync();
  }

  idle(): Promise<void> {
    return this.#keys.idle();
  }

  stop(): Promise<void> {
    return this.#keys.stop();
  }

  async #fire(key: string): Promise<{ requeueAfterMs?: number }> {
    const { store, clock } = this.#o;
    const rule = (await store.get<RuleRecord>(Kind.EventRule, key))?.value;
    if (!rule?.scheduleExpression || !isEnabled(rule) || rule.targets.length === 0) return {};
    const parsed = parseRuleScheduleExpression(rule.scheduleExpression);
    const scale = (this.#o.rateMinuteMs ?? MINUTE_MS) / MINUTE_MS;
    const expr =
      parsed.type === 'rate' && scale !== 1 ? { ...parsed, periodMs: parsed.periodMs * scale } : parsed;
    const fired = await store.get<RuleScheduleRecord>(Kind.EventRuleSchedule, key);
    // A rule deleted and made again under the same name starts afresh.
    const last =
      fired?.value.ruleArn === rule.arn && fired.value.lastFiredOccurrence >= rule.createdAt
        ? fired.value.lastFiredOccurrence
        : rule.createdAt;
    const now = clock.now();
    let due = nextOccurrence(expr, last, undefined, rule.createdAt);
    if (due === undefined) return {};
    if (due > now) return { requeueAfterMs: Math.min(MAX_WAIT_MS, due - now) };
    // The latest occurrence at or before now.
    for (
      let next = nextOccurrence(expr, due, undefined, rule.createdAt);
      next !== undefined && next <= now;
    ) {
      due = next;
      next = nextOccurrence(expr, due, undefined, rule.createdAt);
    }
    const occurrence = due;
    await store.transact(async (tx) => {
      const current = await tx.get<RuleScheduleRecord>(Kind.EventRuleSchedule, key);
      if ((current?.version ?? 0) !== (fired?.version ?? 0)) return; // another pass fired it
      const live = (await tx.get<RuleRecord>(Kind.EventRule, key))?.value;
      if (!live || live.arn !== rule.arn || !isEnabled(live)) return;
      await writeDeliveries(tx, scheduledEvent(live, occurrence, uuidFrom(this.#o.rng)), occurrence, [live]);
      const record: RuleScheduleRecord = { ruleArn: live.arn, lastFiredOccurrence: occurrence };
      await tx.put(Kind.EventRuleSchedule, key, record, current ? current.version : 'absent');
    });
    const next = nextOccurrence(expr, occurrence, undefined, rule.createdAt);
    return next === undefined
      ? {}
      : { requeueAfterMs: Math.max(0, Math.min(MAX_WAIT_MS, next - clock.now())) };
  }
}

/** EventBridge's envelope for a scheduled rule's occurrence. */
export function scheduledEvent(rule: RuleRecord, occurrence: number, id: string): EventEnvelope {
  const [, , , region = '', account = ''] = rule.arn.split(':');
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: eventTime(occurrence),
    region,
    resources: [rule.arn],
    detail: {},
  };
}
