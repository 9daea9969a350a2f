/**
 * Scheduled scaling: when an action is due, and what running it does. Schedules are
 * EventBridge's expressions (`at()`, `rate()`, six-field `cron()`, `events/model/schedule-expression.ts`)
 * read in the action's Timezone (UTC by default) and bounded by its StartTime and EndTime.
 *
 * An action runs for the latest occurrence after the one it last ran for (never for one before it
 * was written): a controller that was down for three occurrences runs the action once, as the
 * scheduler would have left the target after the last of them.
 */
import { ServiceError } from '../../core/errors.ts';
import {
  nextOccurrence,
  parseScheduleExpression,
  type ScheduleExpression,
  ScheduleExpressionError,
} from '../../events/model/schedule-expression.ts';
import { Kind, type Stored, type Tx } from '../../store/store.ts';
import { recordActivity, Wording } from './activities.ts';
import { applyDesiredCount } from './apply-capacity.ts';
import { activeEcsService } from './ecs-service.ts';
import type {
  AutoScalingContext,
  ScalableTargetRecord,
  ScalingActivityRecord,
  ScheduledActionRecord,
} from './records.ts';

/** Parses a Schedule; ValidationException as Application Auto Scaling words it. */
export function parseActionSchedule(text: string): ScheduleExpression {
  try {
    return parseScheduleExpression(text);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) {
      throw new ServiceError('ValidationException', `Unsupported schedule: ${text}`);
    }
    throw error;
  }
}

/** Where a rate() counts from: the StartTime, or when the action was written. */
const anchorOf = (a: ScheduleActionLike) => a.startTime ?? a.createdAt;

type ScheduleActionLike = Pick<
  ScheduledActionRecord,
  'schedule' | 'timezone' | 'startTime' | 'endTime' | 'createdAt' | 'lastOccurrence'
>;

/** How far back a missed cron occurrence is still looked for (older ones are not replayed). */
const CATCH_UP_MS = 24 * 3600 * 1000;

/** The occurrence to run now: the latest in (last run or creation, now], inside start/end. */
export function dueOccurrence(action: ScheduleActionLike, now: number): number | undefined {
  const expr = parseScheduleExpression(action.schedule);
  const floor = Math.max(action.lastOccurrence ?? action.createdAt - 1, action.startTime ?? -Infinity);
  const until = Math.min(now, action.endTime ?? Infinity);
  if (until <= floor) return undefined;
  if (expr.type === 'rate') {
    const anchor = anchorOf(action);
    if (until < anchor) return undefined;
    const latest = anchor + Math.floor((until - anchor) / expr.periodMs) * expr.periodMs;
    return latest > floor ? latest : undefined;
  }
  let cursor = Math.max(floor, until - CATCH_UP_MS);
  let due: number | undefined;
  for (;;) {
    const next = nextOccurrence(expr, cursor, action.timezone, anchorOf(action));
    if (next === undefined || next > until) return due;
    due = next;
    cursor = next;
  }
}

/** The next occurrence after `now` inside start/end (for the controller's requeue). */
export function nextDue(action: ScheduleActionLike, now: number): number | undefined {
  const expr = parseScheduleExpression(action.schedule);
  const after = Math.max(now, (action.startTime ?? -Infinity) - 1);
  const next = nextOccurrence(expr, after, action.timezone, anchorOf(action));
  if (next === undefined || (action.endTime !== undefined && next > action.endTime)) return undefined;
  return next;
}

/**
 * Runs one scheduled action for `occurrence` (in the caller's transaction): the target's new
 * min/max (the desired count follows through `enforceRange`), the activity, and the action marked
 * as run. Returns the target as written.
 */
export async function runScheduledAction(
  tx: Tx,
  ctx: Pick<AutoScalingContext, 'clock' | 'rng'>,
  target: Stored<ScalableTargetRecord>,
  action: Stored<ScheduledActionRecord>,
  occurrence: number,
): Promise<Stored<ScalableTargetRecord>> {
  await tx.put(
    Kind.ScheduledAction,
    action.key,
    { ...action.value, lastOccurrence: occurrence },
    action.version,
  );
  const t = target.value;
  const a = action.value;
  const cause = Wording.scheduledCause(a.name);
  if (t.suspended.scheduledScalingSuspended) {
    await recordActivity(tx, ctx, target.key, t.resourceId, {
      description: Wording.settingRange(a.minCapacity, a.maxCapacity),
      cause,
      statusCode: 'Failed',
      statusMessage: 'Scheduled scaling is suspended.',
      notScaled: true,
    });
    return target;
  }
  const min = a.minCapacity ?? t.minCapacity;
  const max = a.maxCapacity ?? t.maxCapacity;
  if (min > max) {
    await recordActivity(tx, ctx, target.key, t.resourceId, {
      description: Wording.settingRange(a.minCapacity, a.maxCapacity),
      cause,
      statusCode: 'Failed',
      statusMessage: Wording.failedRange(
        a.minCapacity,
        a.maxCapacity,
        `Minimum capacity ${min} cannot be greater than maximum capacity ${max}.`,
      ),
    });
    return target;
  }
  const next: ScalableTargetRecord = { ...t, minCapacity: min, maxCapacity: max, enforceRange: true };
  const version = await tx.put(Kind.ScalableTarget, target.key, next, target.version);
  await recordActivity(tx, ctx, target.key, t.resourceId, {
    description: Wording.settingRange(a.minCapacity, a.maxCapacity),
    cause,
    statusCode: 'Successful',
    statusMessage: Wording.setRange(a.minCapacity, a.maxCapacity),
  });
  return { key: target.key, version, value: next };
}

/**
 * After a range change: a desired count under the minimum goes up to it ("minimum capacity was set
 * to N"), one over the maximum down to it; then the flag is cleared. Nothing when the flag is unset.
 */
export async function enforceRange(
  tx: Tx,
  ctx: Pick<AutoScalingContext, 'clock' | 'rng'>,
  target: Stored<ScalableTargetRecord>,
): Promise<ScalingActivityRecord | undefined> {
  const t = target.value;
  if (!t.enforceRange) return undefined;
  const { enforceRange: _, ...rest } = t;
  await tx.put(Kind.ScalableTarget, target.key, rest, target.version);
  const service = await activeEcsService(tx, t.cluster, t.service, ctx.clock.now());
  if (!service) return undefined;
  const current = service.value.service.desiredCount ?? 0;
  if (current < t.minCapacity) {
    return applyDesiredCount(tx, ctx, target, service, t.minCapacity, Wording.minimumSet(t.minCapacity));
  }
  if (current > t.maxCapacity) {
    return applyDesiredCount(tx, ctx, target, service, t.maxCapacity, Wording.maximumSet(t.maxCapacity));
  }
  return undefined;
}
