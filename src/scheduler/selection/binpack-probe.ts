/**
 * binpack first in the chain: walk the base's slots in ascending order of that resource, from the
 * first one with enough of it, one run of equal resource at a time, and stop once the resource
 * exceeds the best found. The best is the first feasible slot plus its ties, so a decision costs
 * the infeasible slots skipped, not the cluster size.
 *
 * Ties: when binpack is the whole chain, the tie rank alone decides within a run, and runs are
 * ordered by canonical position, so the run is walked from the task's offset and the first
 * feasible slot ends it (a fresh cluster of identical instances is one run of n). With more
 * strategies after binpack, every slot of the run is offered.
 */
import type { OrderedResource } from '../state/base-index.ts';
import { lowerBound, type ResourceOrder } from '../state/resource-order.ts';
import type { Candidates } from './candidates.ts';
import { offerOverlay } from './scan.ts';

export function binpackProbe(c: Candidates, resource: OrderedResource): void {
  const { ws } = c;
  offerOverlay(c);
  const order = ws.base.order(resource);
  const need = c.selection.need[resource];
  const alone = c.selection.scorers.length === 1;
  const changes = ws.hasChanges;
  for (let p = need > 0 ? lowerBound(order, need) : 0; p < order.slots.length; ) {
    const key = order.keys[p];
    if (c.bestSlot >= 0 && key > c.best[0]) break;
    const end = runEnd(order, p);
    if (alone) walkRun(c, order, p, end);
    else {
      for (let i = p; i < end; i++) {
        const slot = order.slots[i];
        if (!(changes && ws.isChanged(slot))) c.offer(ws.atBase(slot));
      }
    }
    p = end;
  }
}

/** Offers the run's slots in tie-rank order until one is feasible or ranks past the best. */
function walkRun(c: Candidates, order: ResourceOrder, from: number, to: number): void {
  const { ws } = c;
  const rank = ws.table.canonical.pos;
  const key = order.keys[from];
  const changes = ws.hasChanges;
  // The first slot at or after the offset in canonical order.
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rank[order.slots[mid]] < c.offset) lo = mid + 1;
    else hi = mid;
  }
  for (let k = 0; k < to - from; k++) {
    const slot = order.slots[lo + k < to ? lo + k : lo + k - (to - from)];
    if (changes && ws.isChanged(slot)) continue;
    if (c.bestSlot >= 0 && (c.best[0] < key || (c.best[0] === key && c.best[1] < c.tieRank(slot)))) return;
    c.offer(ws.atBase(slot));
    if (c.bestSlot === slot) return;
  }
}

/** The end of the run of equal keys starting at `from`. */
function runEnd(order: ResourceOrder, from: number): number {
  const key = order.keys[from];
  let lo = from + 1;
  let hi = order.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order.keys[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
