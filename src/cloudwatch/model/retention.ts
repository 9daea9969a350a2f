/**
 * Metric retention, as CloudWatch ages data: 1-second cells for 3 hours, 1-minute cells for 15
 * days (then folded into 5-minute cells), 5-minute cells for 63 days (then into 1-hour cells),
 * 1-hour cells for 455 days. A block moves on once all of it is past its resolution's age.
 *
 * Level-triggered: a pass lists the blocks, picks those past their age (oldest first, at most
 * `batch`), and folds or removes each in one transaction with the block's expected version, so a
 * pass cut short is simply redone and a block is never counted twice (the fold and the removal of
 * its source commit together).
 */
import { Kind, type Store } from '../../store/store.ts';
import { blockStoreOf } from './block-store.ts';
import { type Cell, mergeCells } from './cells.ts';
import { blockSpanMs, type MetricSeriesRecord, Resolution } from './metric-data.ts';
import { RETENTION_MS } from './metric-query.ts';

/** Where a block goes when it ages out: a coarser resolution, or nowhere. */
const NEXT: Record<Resolution, Resolution | undefined> = {
  [Resolution.Second]: undefined,
  [Resolution.Minute]: Resolution.FiveMinutes,
  [Resolution.FiveMinutes]: Resolution.Hour,
  [Resolution.Hour]: undefined,
};

export const RETENTION_BATCH = 200;

export interface RetentionResult {
  folded: number;
  removed: number;
  /** Series records removed: no data for 455 days. */
  forgotten: number;
  /** True when the batch was full: more work is waiting. */
  more: boolean;
}

/** One pass at `now`: folds or removes up to `batch` aged blocks (finest resolution first). */
export async function retentionPass(
  store: Store,
  now: number,
  batch = RETENTION_BATCH,
): Promise<RetentionResult> {
  const blocks = blockStoreOf(store);
  const result: RetentionResult = { folded: 0, removed: 0, forgotten: 0, more: false };
  let left = batch;
  for (const res of [Resolution.Second, Resolution.Minute, Resolution.FiveMinutes, Resolution.Hour]) {
    // A block ages out once all of it is past its resolution's retention.
    const aged = await blocks.aged(res, now - RETENTION_MS[res] - blockSpanMs(res) + 1, left + 1);
    if (aged.length > left) result.more = true;
    const next = NEXT[res];
    for (const block of aged.slice(0, left)) {
      let into: Parameters<typeof blocks.replace>[1];
      if (next !== undefined) {
        const span = blockSpanMs(next);
        const start = Math.floor(block.start / span) * span;
        const cells = new Map<number, Cell>();
        for (const [i, cell] of Object.entries(block.cells)) {
          const t = block.start + Number(i) * block.res * 1000;
          const j = Math.floor((t - start) / (next * 1000));
          cells.set(j, mergeCells(cells.get(j), cell));
        }
        into = { block: { series: block.series, res: next, start, unit: block.unit }, cells };
      }
      if (!(await blocks.replace(block, into))) continue;
      if (into) result.folded++;
      else result.removed++;
    }
    left -= Math.min(left, aged.length);
    if (left === 0) break;
  }
  const forgottenBefore = now - RETENTION_MS[Resolution.Hour];
  const stale = (await store.list<MetricSeriesRecord>(Kind.MetricSeries)).filter(
    (r) => r.value.lastPut < forgottenBefore,
  );
  if (stale.length > 0) {
    result.forgotten = await store.transact(async (tx) => {
      let n = 0;
      for (const r of stale.slice(0, batch)) if (await tx.remove(Kind.MetricSeries, r.key, r.version)) n++;
      return n;
    });
  }
  return result;
}
