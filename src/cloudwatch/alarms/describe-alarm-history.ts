/**
 * DescribeAlarmHistory: history items of one alarm or all (metric alarms only unless AlarmTypes
 * says otherwise), by type and date range, newest first unless ScanBy=TimestampAscending, pages of
 * MaxRecords (100). Items of deleted alarms stay for their 30 days.
 */
import type {
  AlarmHistoryItem,
  DescribeAlarmHistoryInput,
  DescribeAlarmHistoryOutput,
} from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../../aws/service.ts';
import { HistoryItemType, listHistory } from '../model/alarm-history.ts';
import { checkAlarmName } from '../model/alarm-validate.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { invalidParameter, toMs } from '../errors.ts';
import { maxRecords, page } from './alarm-context.ts';

const TYPES = ['MetricAlarm', 'CompositeAlarm'];

export async function describeAlarmHistory(
  ctx: CloudWatchContext,
  input: DescribeAlarmHistoryInput,
  _request: RequestContext,
): Promise<DescribeAlarmHistoryOutput> {
  const max = maxRecords(input.MaxRecords, 100);
  if (input.AlarmName !== undefined) checkAlarmName(input.AlarmName);
  const types = input.AlarmTypes ?? ['MetricAlarm'];
  types.forEach((t, i) => {
    if (!TYPES.includes(t)) throw invalidParameter(t, `AlarmTypes.member.${i + 1}`);
  });
  const itemType = input.HistoryItemType;
  if (itemType !== undefined && !(Object.values(HistoryItemType) as string[]).includes(itemType)) {
    // Contributor items belong to Metrics Insights alarms, which Longshore does not have: none match.
    if (itemType !== 'AlarmContributorStateUpdate' && itemType !== 'AlarmContributorAction')
      throw invalidParameter(itemType, 'HistoryItemType');
  }
  if (
    input.ScanBy !== undefined &&
    input.ScanBy !== 'TimestampAscending' &&
    input.ScanBy !== 'TimestampDescending'
  )
    throw invalidParameter(input.ScanBy, 'ScanBy');
  const start = input.StartDate === undefined ? undefined : toMs(input.StartDate);
  const end = input.EndDate === undefined ? undefined : toMs(input.EndDate);
  const items = (await listHistory(ctx.store, input.AlarmName)).filter(
    (h) =>
      types.includes(h.alarmType) &&
      (itemType === undefined || h.type === itemType) &&
      (start === undefined || h.timestamp >= start) &&
      (end === undefined || h.timestamp <= end),
  );
  if (input.ScanBy !== 'TimestampAscending') items.reverse();
  const { items: shown, next } = page(items, input.NextToken, max);
  const out: AlarmHistoryItem[] = shown.map((h) => ({
    AlarmName: h.alarmName,
    AlarmType: h.alarmType,
    Timestamp: (h.timestamp / 1000) as unknown as Date,
    HistoryItemType: h.type,
    HistorySummary: h.summary,
    HistoryData: h.data,
  }));
  return { AlarmHistoryItems: out, ...(next ? { NextToken: next } : {}) };
}
