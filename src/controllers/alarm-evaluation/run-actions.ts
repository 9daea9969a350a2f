/**
 * Invokes an alarm's actions and records each outcome as an Action history item, as CloudWatch
 * does ("Successfully executed action ...", "Failed to execute action ..."). Pending actions (of a
 * committed state change) are removed from the record once invoked, in one transaction with their
 * history: an action cut short by a crash is invoked again on restart (at least once).
 */
import {
  type AlarmAction,
  type AlarmActionRegistry,
  isRepeatingAction,
} from '../../cloudwatch/model/alarm-actions.ts';
import { addHistory, HistoryItemType } from '../../cloudwatch/model/alarm-history.ts';
import type { AlarmContext, AlarmRecord, PendingAction } from '../../cloudwatch/model/alarm-records.ts';
import { describeError } from '../../core/errors.ts';
import { Kind, type Store } from '../../store/store.ts';

export interface ActionOutcome {
  action: PendingAction;
  error?: string;
  /** Suppressed by the composite alarm's ActionsSuppressor (not invoked). */
  suppressedBy?: string;
}

/** Invokes `actions` one after another (an invoker's failure never stops the others). */
export async function invokeActions(
  registry: AlarmActionRegistry,
  alarm: AlarmRecord,
  actions: readonly PendingAction[],
): Promise<ActionOutcome[]> {
  const out: ActionOutcome[] = [];
  for (const action of actions) {
    const invoker = registry.find(action.arn);
    if (!invoker) {
      out.push({
        action,
        error: `No invoker for this action is registered in Longshore (${serviceOf(action.arn)} actions are not run here).`,
      });
      continue;
    }
    const call: AlarmAction = {
      arn: action.arn,
      alarmName: alarm.name,
      alarmArn: alarm.arn,
      newState: action.newState,
      reason: action.reason,
      at: action.at,
    };
    try {
      await invoker(call);
      out.push({ action });
    } catch (error) {
      out.push({ action, error: error instanceof Error ? error.message : describeError(error) });
    }
  }
  return out;
}

const serviceOf = (arn: string) => arn.split(':')[2] ?? arn;

/** Drains the alarm's pending actions: invoke, then remove them and record the outcomes. */
export async function drainPendingActions(
  store: Store,
  ctx: AlarmContext,
  registry: AlarmActionRegistry,
  alarm: AlarmRecord,
  suppressor: string | undefined,
): Promise<void> {
  const outcomes: ActionOutcome[] = suppressor
    ? alarm.pendingActions.map((action) => ({ action, suppressedBy: suppressor }))
    : await invokeActions(registry, alarm, alarm.pendingActions);
  const done = new Set(alarm.pendingActions.map((a) => a.id));
  await store.transact(async (tx) => {
    const row = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, alarm.name);
    if (row) {
      const left = row.value.pendingActions.filter((a) => !done.has(a.id));
      await tx.put(Kind.CloudWatchAlarm, alarm.name, { ...row.value, pendingActions: left }, row.version);
    }
    for (const o of outcomes) await recordOutcome(tx, ctx, alarm, o);
  });
}

/**
 * While an alarm stays in ALARM its Auto Scaling actions are invoked again on every evaluation.
 * Successes are not recorded again (one history item per transition, not one a minute); failures are.
 */
export async function repeatActions(
  store: Store,
  ctx: AlarmContext,
  registry: AlarmActionRegistry,
  alarm: AlarmRecord,
): Promise<number> {
  if (!alarm.actionsEnabled || alarm.state.value !== 'ALARM') return 0;
  const arns = alarm.alarmActions.filter(isRepeatingAction);
  if (arns.length === 0) return 0;
  const now = ctx.clock.now();
  const actions = arns.map((arn) => ({
    id: ctx.rng.hex(8),
    arn,
    newState: alarm.state.value,
    reason: alarm.state.reason,
    at: now,
  }));
  const failed = (await invokeActions(registry, alarm, actions)).filter((o) => o.error !== undefined);
  if (failed.length > 0)
    await store.transact(async (tx) => {
      for (const o of failed) await recordOutcome(tx, ctx, alarm, o);
    });
  return arns.length;
}

async function recordOutcome(
  tx: Parameters<Parameters<Store['transact']>[0]>[0],
  ctx: AlarmContext,
  alarm: AlarmRecord,
  o: ActionOutcome,
): Promise<void> {
  const arn = o.action.arn;
  const base = { actionState: '', stateUpdateTimestamp: o.action.at, notificationResource: arn };
  let summary: string;
  let data: Record<string, unknown>;
  if (o.suppressedBy) {
    summary = `Action ${arn} was suppressed by alarm ${o.suppressedBy}`;
    data = { ...base, actionState: 'Suppressed', suppressor: o.suppressedBy };
  } else if (o.error !== undefined) {
    summary = `Failed to execute action ${arn}. Received error: "${o.error}"`;
    data = { ...base, actionState: 'Failed', error: o.error };
  } else {
    summary = `Successfully executed action ${arn}`;
    data = { ...base, actionState: 'Succeeded' };
  }
  await addHistory(tx, ctx, {
    alarmName: alarm.name,
    alarmType: alarm.type,
    type: HistoryItemType.Action,
    summary,
    data: JSON.stringify(data),
  });
}
