/**
 * Alarm history (Kind.CloudWatchAlarmHistory): configuration updates, state updates and actions,
 * kept 30 days as CloudWatch keeps them, also after the alarm is deleted. Keys sort by alarm, then
 * time: `<encoded name>/<ms, 15 digits>-<random>`.
 */
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import type { AlarmContext, AlarmType } from './alarm-records.ts';

export const HistoryItemType = {
  ConfigurationUpdate: 'ConfigurationUpdate',
  StateUpdate: 'StateUpdate',
  Action: 'Action',
} as const;
export type HistoryItemType = (typeof HistoryItemType)[keyof typeof HistoryItemType];

export const HISTORY_RETENTION_MS = 30 * 24 * 3_600_000;

export interface AlarmHistoryRecord {
  alarmName: string;
  alarmType: AlarmType;
  timestamp: number;
  type: HistoryItemType;
  summary: string;
  /** JSON text (HistoryData). */
  data: string;
}

const historyPrefix = (name: string) => `${encodeURIComponent(name)}/`;

export async function addHistory(
  tx: Tx,
  ctx: AlarmContext,
  item: Omit<AlarmHistoryRecord, 'timestamp'> & { timestamp?: number },
): Promise<void> {
  const timestamp = item.timestamp ?? ctx.clock.now();
  const key = `${historyPrefix(item.alarmName)}${String(timestamp).padStart(15, '0')}-${ctx.rng.hex(6)}`;
  // HistorySummary is at most 255 characters in the model.
  const summary = item.summary.length > 255 ? `${item.summary.slice(0, 252)}...` : item.summary;
  await tx.put<AlarmHistoryRecord>(
    Kind.CloudWatchAlarmHistory,
    key,
    { ...item, summary, timestamp },
    'absent',
  );
}

/** One alarm's history, or every alarm's, oldest first. */
export async function listHistory(reader: Reader, alarmName?: string): Promise<AlarmHistoryRecord[]> {
  const rows = await reader.list<AlarmHistoryRecord>(
    Kind.CloudWatchAlarmHistory,
    alarmName === undefined ? undefined : { prefix: historyPrefix(alarmName) },
  );
  return rows.map((r) => r.value).sort((a, b) => a.timestamp - b.timestamp);
}

/** Removes history older than 30 days, at most `limit` items; returns how many went. */
export async function expireHistory(tx: Tx, now: number, limit = 1000): Promise<number> {
  let removed = 0;
  for (const row of await tx.list<AlarmHistoryRecord>(Kind.CloudWatchAlarmHistory)) {
    if (removed >= limit) break;
    if (row.value.timestamp >= now - HISTORY_RETENTION_MS) continue;
    await tx.remove(Kind.CloudWatchAlarmHistory, row.key, row.version);
    removed++;
  }
  return removed;
}
