/** Retention: the day values CloudWatch allows, and deleting a group's events older than its retention. */
import type { LogGroupRecord, LogsContext } from './records.ts';

export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const DAY_MS = 24 * 60 * 60_000;
/** Events deleted per transaction: short write locks, so ingestion is never held up for long. */
export const EXPIRE_BATCH = 5_000;

/**
 * Deletes the group's events older than `now - retentionInDays` in bounded batches, at most
 * `maxBatches` of them (the sweeper comes back for the rest). Returns how many it deleted.
 */
export async function expireGroupEvents(
  ctx: Pick<LogsContext, 'events'>,
  group: LogGroupRecord,
  now: number,
  maxBatches = 20,
): Promise<{ deleted: number; done: boolean }> {
  if (group.retentionInDays === undefined) return { deleted: 0, done: true };
  const cutoff = now - group.retentionInDays * DAY_MS;
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await ctx.events.expire(group.id, cutoff, EXPIRE_BATCH);
    deleted += n;
    if (n < EXPIRE_BATCH) return { deleted, done: true };
  }
  return { deleted, done: false };
}
