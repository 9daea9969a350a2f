/**
 * One pass over one scalable target, in one transaction: run the scheduled actions that are due
 * (oldest occurrence first), bring the service's desired count inside a range that changed, and
 * ask to come back at the next occurrence. Each action records the occurrence it ran for in the
 * same transaction as its effect, so a crash repeats nothing and loses nothing.
 */
import {
  type AutoScalingContext,
  dueOccurrence,
  enforceRange,
  keys,
  nextDue,
  runScheduledAction,
  type ScalableTargetRecord,
  type ScheduledActionRecord,
} from '../../application-autoscaling/model/index.ts';
import { Kind } from '../../store/store.ts';
import type { Result } from '../work-queue.ts';

/** The longest a pass waits for the next occurrence (the resync looks again anyway). */
export const MAX_WAIT_MS = 5 * 60_000;

export async function reconcileScalableTarget(ctx: AutoScalingContext, key: string): Promise<Result> {
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    let target = await tx.get<ScalableTargetRecord>(Kind.ScalableTarget, key);
    if (!target) return {};
    const actions = await tx.list<ScheduledActionRecord>(Kind.ScheduledAction, {
      prefix: keys.inTarget(key),
    });
    const due = actions
      .map((action) => ({ action, at: dueOccurrence(action.value, now) }))
      .filter((d): d is { action: (typeof actions)[number]; at: number } => d.at !== undefined)
      .sort((a, b) => a.at - b.at);
    for (const d of due) target = await runScheduledAction(tx, ctx, target, d.action, d.at);
    await enforceRange(tx, ctx, target);
    let next: number | undefined;
    for (const a of actions) {
      const at = nextDue(a.value, now);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next === undefined ? {} : { requeueAfterMs: Math.min(MAX_WAIT_MS, Math.max(1, next - now + 1)) };
  });
}
