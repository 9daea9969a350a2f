/**
 * One pass over one alarm: first the actions of a committed state change (pending actions), then
 * an evaluation: the state its data (metric alarm) or its children (composite alarm) give, written
 * with changeAlarmState only when the value changes, in a transaction that checks the alarm is
 * still the version that was evaluated. While the alarm stays in ALARM, its Auto Scaling actions
 * are invoked again once per evaluation interval.
 */
import type { AlarmActionRegistry } from '../../cloudwatch/model/alarm-actions.ts';
import { evaluateCompositeAlarm } from '../../cloudwatch/model/alarm-composite.ts';
import { evaluateMetricAlarm } from '../../cloudwatch/model/alarm-evaluate.ts';
import { type AlarmContext, type AlarmRecord, alarmNameOfArn } from '../../cloudwatch/model/alarm-records.ts';
import { parseAlarmRule, ruleAlarms } from '../../cloudwatch/model/alarm-rule.ts';
import { changeAlarmState, type StateChange } from '../../cloudwatch/model/alarm-state.ts';
import { Kind, type Store } from '../../store/store.ts';
import { alarmDatapoints } from './alarm-data.ts';
import { drainPendingActions, repeatActions } from './run-actions.ts';

export interface ReconcileDeps {
  store: Store;
  ctx: AlarmContext;
  actions: AlarmActionRegistry;
  /** When each alarm last invoked its repeating actions (in memory: a restart repeats once early). */
  lastRepeat: Map<string, number>;
  intervalOf(alarm: AlarmRecord): number;
  /** A composite alarm's children, as read (keeps the parents index up to date). */
  onChildren(composite: string, children: readonly string[]): void;
}

export type ReconcileOutcome =
  | { type: 'gone' }
  | { type: 'actions' }
  | { type: 'evaluated'; changed: boolean; alarm: AlarmRecord; nextInMs: number; skipped?: boolean };

export async function reconcileAlarm(deps: ReconcileDeps, name: string): Promise<ReconcileOutcome> {
  const { store, ctx } = deps;
  const row = await store.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
  if (!row) return { type: 'gone' };
  const alarm = row.value;
  if (alarm.pendingActions.length > 0) {
    await drainPendingActions(store, ctx, deps.actions, alarm, await suppressedBy(store, ctx, alarm));
    return { type: 'actions' };
  }
  const now = ctx.clock.now();
  const interval = deps.intervalOf(alarm);
  const nextInMs = interval - (now % interval);
  // A state written in this interval (an evaluated change, SetAlarmState) holds until the next one,
  // as CloudWatch's SetAlarmState holds until the next evaluation; a configuration change does not wait.
  const window = Math.floor(now / interval);
  if (
    alarm.state.updatedAt > alarm.configurationUpdatedAt &&
    Math.floor(alarm.state.updatedAt / interval) === window
  )
    return { type: 'evaluated', changed: false, alarm, nextInMs, skipped: true };
  let change: StateChange | undefined;
  if (alarm.type === 'MetricAlarm') {
    const points = await alarmDatapoints(store, alarm, now, ctx.partition.region, ctx.partition.accountId);
    change = evaluateMetricAlarm(alarm, points, now);
  } else {
    const refs = ruleAlarms(parseAlarmRule(alarm.alarmRule)).map(
      (r) => alarmNameOfArn(ctx.partition, r) ?? r,
    );
    deps.onChildren(alarm.name, refs);
    const children = new Map<string, AlarmRecord>();
    for (const child of refs) {
      const c = await store.get<AlarmRecord>(Kind.CloudWatchAlarm, child);
      if (c) children.set(child, c.value);
    }
    change = evaluateCompositeAlarm(alarm, children, ctx.partition);
  }
  if (change && change.value !== alarm.state.value) {
    const written = await store.transact(async (tx) => {
      const current = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
      // Changed meanwhile: that change enqueued the alarm again, and the next pass evaluates it.
      if (!current || current.version !== row.version) return undefined;
      return changeAlarmState(tx, ctx, current.value, current.version, change);
    });
    if (written) {
      deps.lastRepeat.set(name, now);
      return { type: 'evaluated', changed: true, alarm: written, nextInMs };
    }
    return { type: 'evaluated', changed: false, alarm, nextInMs };
  }
  if (alarm.state.value === 'ALARM' && now - (deps.lastRepeat.get(name) ?? 0) >= interval) {
    deps.lastRepeat.set(name, now);
    await repeatActions(store, ctx, deps.actions, alarm);
  }
  return { type: 'evaluated', changed: false, alarm, nextInMs };
}

/** A composite alarm's ActionsSuppressor when it is in ALARM (its actions are then not run). */
async function suppressedBy(
  store: Store,
  ctx: AlarmContext,
  alarm: AlarmRecord,
): Promise<string | undefined> {
  if (alarm.type !== 'CompositeAlarm' || !alarm.actionsSuppressor) return undefined;
  const name = alarmNameOfArn(ctx.partition, alarm.actionsSuppressor);
  const suppressor =
    name === undefined ? undefined : await store.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
  return suppressor?.value.state.value === 'ALARM' ? alarm.actionsSuppressor : undefined;
}
