/**
 * Schedule expressions as EventBridge rules and EventBridge Scheduler read them: `at(...)`,
 * `rate(...)` and six-field `cron(...)`, parsed and validated with AWS's rules, and the next
 * occurrence after an instant, in an IANA time zone with AWS's daylight-saving rules.
 *
 * ```ts
 * const expr = parseScheduleExpression('cron(0 9 ? * MON-FRI *)');
 * nextOccurrence(expr, Date.now(), 'Europe/Paris'); // the next weekday 09:00 in Paris, epoch ms
 * ```
 */
import { Cron } from 'croner';
import { type CronFields, CronFieldError, parseCronFields } from './schedule-expression-cron.ts';
import { instantOfWall, instantsOf, isTimeZone, wallOf } from './schedule-expression-zone.ts';

export { isTimeZone } from './schedule-expression-zone.ts';

export const RateUnit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type RateUnit = keyof typeof RateUnit;

export type ScheduleExpression =
  /** One time, at a wall-clock date and time in the schedule's time zone. */
  | { type: 'at'; text: string /** The date and time as a wall value (written as if UTC). */; wall: number }
  /** Every `value` units from an anchor (the schedule's start, or the rule's creation). */
  | { type: 'rate'; text: string; value: number; unit: RateUnit; periodMs: number }
  | { type: 'cron'; text: string; fields: CronFields };

/** Scheduler's message for an expression it refuses (CreateSchedule, UpdateSchedule). */
export function schedulerExpressionMessage(text: string): string {
  return `Invalid Schedule Expression ${text}.`;
}

/** EventBridge's message for PutRule's ScheduleExpression. */
export const RULE_EXPRESSION_MESSAGE = 'Parameter ScheduleExpression is not valid.';

/** An expression AWS refuses; `reason` names the rule it broke (for logs and tests). */
export class ScheduleExpressionError extends Error {
  readonly expression: string;
  readonly reason: string;
  constructor(expression: string, reason: string) {
    super(schedulerExpressionMessage(expression));
    this.name = 'ScheduleExpressionError';
    this.expression = expression;
    this.reason = reason;
  }
}

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const CRON = /^cron\((.*)\)$/;

/** Parses an `at()`, `rate()` or `cron()` expression; throws ScheduleExpressionError. */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const fail = (reason: string): never => {
    throw new ScheduleExpressionError(text, reason);
  };
  const at = AT.exec(text);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    const back = new Date(wall);
    const exact =
      back.getUTCFullYear() === year &&
      back.getUTCMonth() === month - 1 &&
      back.getUTCDate() === day &&
      hour < 24 &&
      minute < 60 &&
      second < 60;
    if (!exact) fail('at: not a calendar date and time');
    return { type: 'at', text, wall };
  }
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const word = rate[2]!;
    const plural = word.endsWith('s');
    if (value < 1 || !Number.isSafeInteger(value)) fail('rate: the value must be a positive integer');
    // AWS: singular for 1 (rate(1 hour)), plural otherwise (rate(5 hours)).
    if (plural !== value > 1)
      fail(value === 1 ? 'rate: the unit must be singular for 1' : 'rate: the unit must be plural');
    const unit = (plural ? word.slice(0, -1) : word) as RateUnit;
    const periodMs = value * RateUnit[unit];
    if (!Number.isSafeInteger(periodMs)) fail('rate: too large');
    return { type: 'rate', text, value, unit, periodMs };
  }
  const cron = CRON.exec(text);
  if (cron) {
    try {
      const fields = parseCronFields(cron[1]!);
      return { type: 'cron', text, fields };
    } catch (error) {
      if (error instanceof CronFieldError) fail(`cron: ${error.message}`);
      throw error;
    }
  }
  return fail('not at(), rate() or cron()');
}

/** EventBridge rules take `rate()` and `cron()` only; throws ScheduleExpressionError. */
export function parseRuleScheduleExpression(text: string): Exclude<ScheduleExpression, { type: 'at' }> {
  const expr = parseScheduleExpression(text);
  if (expr.type === 'at') throw new ScheduleExpressionError(text, 'rules take rate() and cron() only');
  return expr;
}

const crons = new WeakMap<CronFields, Cron>();

function cronOf(fields: CronFields): Cron {
  let cron = crons.get(fields);
  if (!cron) {
    cron = new Cron(fields.croner, {
      timezone: 'UTC',
      mode: '7-part',
      alternativeWeekdays: true,
      domAndDow: true,
    });
    crons.set(fields, cron);
  }
  return cron;
}

/** Bounds the search when an expression's wall times keep falling in skipped hours. */
const MAX_SKIPS = 10_000;

/**
 * The first occurrence strictly after `after` (epoch ms), or undefined when there is none (an
 * `at()` already past, a cron whose years are over).
 * - `at`: the wall time in `timezone` (default UTC); a skipped hour's time moves past the jump.
 * - `rate`: `anchor + k * period` (anchor default 0, the epoch), the time zone plays no part.
 * - `cron`: the fields are matched on wall-clock time in `timezone`. As Scheduler documents for
 *   daylight saving: a time the clock skips is skipped (no run on 02:30 the day New York springs
 *   forward), and a time the clock repeats runs once, at its first instance.
 */
export function nextOccurrence(
  expr: ScheduleExpression,
  after: number,
  timezone?: string,
  anchor = 0,
): number | undefined {
  if (timezone !== undefined && !isTimeZone(timezone)) throw new RangeError(`unknown time zone ${timezone}`);
  switch (expr.type) {
    case 'at': {
      const instant = instantOfWall(expr.wall, timezone);
      return instant > after ? instant : undefined;
    }
    case 'rate': {
      if (after < anchor) return anchor;
      return anchor + (Math.floor((after - anchor) / expr.periodMs) + 1) * expr.periodMs;
    }
    case 'cron': {
      const cron = cronOf(expr.fields);
      let cursor = wallOf(after, timezone);
      for (let i = 0; i < MAX_SKIPS; i++) {
        const next = cron.nextRun(new Date(cursor));
        if (!next) return undefined;
        cursor = next.getTime();
        const first = instantsOf(cursor, timezone)[0];
        // Skipped (no instant) or already passed in a repeated hour's first run: look further.
        if (first !== undefined && first > after) return first;
      }
      return undefined;
    }
  }
}

/** Up to `count` occurrences after `after`, for tests, docs and the API's previews. */
export function nextOccurrences(
  expr: ScheduleExpression,
  after: number,
  count: number,
  timezone?: string,
  anchor = 0,
): number[] {
  const out: number[] = [];
  let cursor = after;
  while (out.length < count) {
    const next = nextOccurrence(expr, cursor, timezone, anchor);
    if (next === undefined) break;
    out.push(next);
    cursor = next;
  }
  return out;
}
