/**
 * What one schedule should do now (pure): nothing, wait until a time, fire its pending
 * occurrence, or complete. The chosen occurrence and its time within the flexible window are
 * persisted before anything fires, so a restart fires the same occurrence at the same time, once.
 *
 * Missed occurrences (Longshore down, or the controller behind): only the latest one still within
 * the target's RetryPolicy.MaximumEventAgeInSeconds (default 24 h) fires, late; older ones are
 * skipped. Example: rate(1 hour) from 00:00, down from 02:30 to 05:10 -> at 05:10 the 05:00
 * occurrence fires once; 03:00 and 04:00 are skipped; next is 06:00.
 */
import type { Rng } from '../../core/clock.ts';
import {
  nextOccurrence,
  parseScheduleExpression,
  type ScheduleExpression,
} from '../../events/model/schedule-expression.ts';
import type { ScheduleRecord, ScheduleRunRecord } from '../../events/model/schedules.ts';

/** A one-time schedule created up to a minute after its time still runs (Scheduler's precision is a minute). */
export const AT_GRACE_MS = 60_000;
export const DEFAULT_MAX_EVENT_AGE_S = 86_400;
/** A pending firing this late means the controller was not running when it was due. */
export const OVERDUE_MS = 60_000;
export const DEFAULT_MAX_RETRY_ATTEMPTS = 185;

export type Plan =
  | { type: 'idle'; run: ScheduleRunRecord; changed: boolean }
  | { type: 'wait'; run: ScheduleRunRecord; changed: boolean; wakeAt: number }
  | {
      type: 'fire';
      run: ScheduleRunRecord & { pending: NonNullable<ScheduleRunRecord['pending']> };
      changed: boolean;
    }
  | { type: 'complete'; run: ScheduleRunRecord; changed: boolean };

const parsed = new Map<string, ScheduleExpression>();

export function expressionOf(text: string): ScheduleExpression {
  let expr = parsed.get(text);
  if (!expr) {
    expr = parseScheduleExpression(text);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, expr);
  }
  return expr;
}

export const maxEventAgeMs = (s: ScheduleRecord) =>
  (s.target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_S) * 1000;

/** The plan for `schedule` at `now`, from its firing state (`run`, possibly of an older schedule of the same name). */
export function planFiring(
  schedule: ScheduleRecord,
  stored: ScheduleRunRecord | undefined,
  now: number,
  rng: Rng,
): Plan {
  const fresh = !stored || stored.created !== schedule.creationDate;
  const run: ScheduleRunRecord = fresh ? { created: schedule.creationDate } : { ...stored };
  let changed = fresh;
  if (run.completed) return { type: 'idle', run, changed };
  // A pending occurrence chosen before the schedule was updated (or disabled) is chosen again.
  if (
    run.pending &&
    (run.pending.modified !== schedule.lastModificationDate || schedule.state !== 'ENABLED')
  ) {
    delete run.pending;
    changed = true;
  }
  if (schedule.state !== 'ENABLED') return { type: 'idle', run, changed };
  // A first attempt overdue by more than a minute (the controller was down) while later
  // occurrences are due too: the latest one fires instead.
  if (run.pending && run.pending.attempts === 0 && run.pending.fireAt + OVERDUE_MS < now) {
    const latest = chooseOccurrence(schedule, run.lastOccurrence, now);
    if (latest !== undefined && latest > run.pending.occurrence && latest <= now) {
      delete run.pending;
      changed = true;
    }
  }
  if (!run.pending) {
    const occurrence = chooseOccurrence(schedule, run.lastOccurrence, now);
    if (occurrence === undefined) return { type: 'complete', run, changed };
    run.pending = {
      occurrence,
      fireAt: occurrence + flexibleDelay(schedule, rng),
      attempts: 0,
      modified: schedule.lastModificationDate,
    };
    changed = true;
  }
  const pending = run.pending;
  if (pending.fireAt <= now) return { type: 'fire', run: { ...run, pending }, changed };
  return { type: 'wait', run, changed, wakeAt: pending.fireAt };
}

/** A random delay within the flexible window: [0, MaximumWindowInMinutes) minutes, to the ms. */
function flexibleDelay(schedule: ScheduleRecord, rng: Rng): number {
  const window = schedule.flexibleTimeWindow;
  if (window.Mode !== 'FLEXIBLE' || !window.MaximumWindowInMinutes) return 0;
  return Math.floor(rng.next() * window.MaximumWindowInMinutes * 60_000);
}

/**
 * The occurrence to fire next: the latest one due within the event age, else the next one to
 * come; undefined when none is left (the schedule is complete).
 */
export function chooseOccurrence(
  schedule: ScheduleRecord,
  lastOccurrence: number | undefined,
  now: number,
): number | undefined {
  const expr = expressionOf(schedule.scheduleExpression);
  const zone = schedule.scheduleExpressionTimezone;
  // Start and end dates do not apply to one-time schedules.
  const once = expr.type === 'at';
  const start = once ? undefined : schedule.startDate;
  const end = once ? undefined : schedule.endDate;
  const anchor = start ?? schedule.creationDate;
  const floor = once
    ? schedule.activeSince - AT_GRACE_MS
    : Math.max(schedule.activeSince, start ?? -Infinity);
  let after = Math.max(lastOccurrence ?? -Infinity, floor - 1);
  // Occurrences older than the event age are skipped without being enumerated.
  after = Math.max(after, now - maxEventAgeMs(schedule) - 1);
  const inRange = (t: number | undefined): t is number => t !== undefined && (end === undefined || t < end);
  let next = nextOccurrence(expr, after, zone, anchor);
  if (!inRange(next)) return undefined;
  if (next > now) return next;
  // Catch up: the latest due occurrence.
  for (;;) {
    const later = nextOccurrence(expr, next, zone, anchor);
    if (!inRange(later) || later > now) return next;
    next = later;
  }
}

/** Exponential backoff between attempts: 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}
