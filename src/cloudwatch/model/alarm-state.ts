/**
 * An alarm's state change, written in the caller's transaction with everything it implies: the
 * new state on the record, a StateUpdate history item, a `CloudWatch Alarm State Change` event in
 * the EventBridge outbox, and (actions enabled) the new state's actions as pending actions that the
 * evaluation controller invokes once the change is committed (persist, then act).
 */
import { publishEvents } from '../../events/model/publish-events.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { jsonDate } from './alarm-format.ts';
import { addHistory, HistoryItemType } from './alarm-history.ts';
import {
  type AlarmContext,
  type AlarmRecord,
  type AlarmState,
  type AlarmStateValue,
  actionsFor,
} from './alarm-records.ts';

export interface StateChange {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
}

/**
 * Writes `change` onto the alarm at `version`. Returns the new record. A change to the same value
 * only refreshes the reason (no history, event or action), as CloudWatch updates StateReason
 * between transitions without reporting them.
 */
export async function changeAlarmState(
  tx: Tx,
  ctx: AlarmContext,
  alarm: AlarmRecord,
  version: number,
  change: StateChange,
): Promise<AlarmRecord> {
  const now = ctx.clock.now();
  const transition = change.value !== alarm.state.value;
  const state: AlarmState = {
    value: change.value,
    reason: change.reason.length > 1023 ? `${change.reason.slice(0, 1020)}...` : change.reason,
    ...(change.reasonData !== undefined ? { reasonData: change.reasonData } : {}),
    updatedAt: now,
    transitionedAt: transition ? now : alarm.state.transitionedAt,
  };
  const pending =
    transition && alarm.actionsEnabled
      ? actionsFor(alarm, change.value).map((arn) => ({
          id: ctx.rng.hex(8),
          arn,
          newState: change.value,
          reason: state.reason,
          at: now,
        }))
      : [];
  const record: AlarmRecord = {
    ...alarm,
    state,
    pendingActions: [...alarm.pendingActions, ...pending],
  } as AlarmRecord;
  await tx.put(Kind.CloudWatchAlarm, alarm.name, record, version);
  if (!transition) return record;
  const stateJson = (s: AlarmState) => ({
    stateValue: s.value,
    stateReason: s.reason,
    ...(s.reasonData !== undefined ? { stateReasonData: safeJson(s.reasonData) } : {}),
  });
  await addHistory(tx, ctx, {
    alarmName: alarm.name,
    alarmType: alarm.type,
    timestamp: now,
    type: HistoryItemType.StateUpdate,
    summary: `Alarm updated from ${alarm.state.value} to ${change.value}`,
    data: JSON.stringify({ version: '1.0', oldState: stateJson(alarm.state), newState: stateJson(state) }),
  });
  const eventState = (s: AlarmState) => ({
    value: s.value,
    reason: s.reason,
    ...(s.reasonData !== undefined ? { reasonData: s.reasonData } : {}),
    timestamp: jsonDate(s.updatedAt),
  });
  await publishEvents(tx, ctx, [
    {
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      resources: [alarm.arn],
      time: now,
      detail: {
        alarmName: alarm.name,
        state: eventState(state),
        previousState: eventState(alarm.state),
        configuration: eventConfiguration(alarm),
      },
    },
  ]);
  return record;
}

/** The event's `configuration`: the metrics as `metrics[]` with ids, or a composite's rule. */
function eventConfiguration(alarm: AlarmRecord): Record<string, unknown> {
  const description = alarm.description !== undefined ? { description: alarm.description } : {};
  if (alarm.type === 'CompositeAlarm')
    return {
      ...description,
      alarmRule: alarm.alarmRule,
      ...(alarm.actionsSuppressor ? { actionsSuppressor: alarm.actionsSuppressor } : {}),
    };
  const metrics = alarm.metric
    ? [
        {
          id: 'm1',
          metricStat: {
            metric: {
              namespace: alarm.metric.namespace,
              name: alarm.metric.metricName,
              dimensions: Object.fromEntries(alarm.metric.dimensions.map((d) => [d.name, d.value])),
            },
            period: alarm.period,
            stat: alarm.statistic ?? alarm.extendedStatistic,
            ...(alarm.unit !== undefined ? { unit: alarm.unit } : {}),
          },
          returnData: true,
        },
      ]
    : (alarm.metrics ?? []).map((q) => ({
        id: q.Id,
        ...(q.Expression !== undefined ? { expression: q.Expression } : {}),
        ...(q.Label !== undefined ? { label: q.Label } : {}),
        ...(q.MetricStat
          ? {
              metricStat: {
                metric: {
                  namespace: q.MetricStat.Metric?.Namespace,
                  name: q.MetricStat.Metric?.MetricName,
                  dimensions: Object.fromEntries(
                    (q.MetricStat.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]),
                  ),
                },
                period: q.MetricStat.Period,
                stat: q.MetricStat.Stat,
              },
            }
          : {}),
        returnData: q.ReturnData !== false,
      }));
  return { ...description, metrics };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
