/** What alarm handlers share: the model's context from the handler's, and DescribeAlarms-style paging. */
import { type Rng, seededRng } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import type { AlarmContext } from '../model/alarm-records.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { invalidParameter } from '../errors.ts';

let fallback: Rng | undefined;

export function alarmContext(ctx: CloudWatchContext): AlarmContext {
  // A context built without an rng (codec tests) still gets deterministic, distinct ids.
  fallback ??= seededRng('longshore-alarms');
  return { partition: ctx.partition, clock: ctx.clock, rng: ctx.rng ?? fallback };
}

/** MaxRecords: 1-100, `fallbackValue` when absent. */
export function maxRecords(value: number | undefined, fallbackValue: number): number {
  if (value === undefined) return fallbackValue;
  if (!Number.isInteger(value) || value < 1 || value > 100) throw invalidParameter(value, 'MaxRecords');
  return value;
}

/** Paging tokens: the position to continue from, opaque to the caller. */
export const encodeToken = (position: number) =>
  Buffer.from(JSON.stringify({ p: position })).toString('base64url');

export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (Number.isInteger(t.p) && t.p >= 0) return t.p;
  } catch {
    // Not one of ours: refused below.
  }
  throw new ServiceError('InvalidNextToken', "The service couldn't process the NextToken.");
}

/** One page of `items` from the token's position; NextToken when more are left. */
export function page<T>(
  items: readonly T[],
  token: string | undefined,
  max: number,
): { items: T[]; next?: string } {
  const from = decodeToken(token);
  const slice = items.slice(from, from + max);
  return { items: slice, ...(from + max < items.length ? { next: encodeToken(from + max) } : {}) };
}
