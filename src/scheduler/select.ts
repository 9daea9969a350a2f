/**
 * Picks the best feasible instance for one task: the lexicographic minimum of the strategy keys,
 * then a seeded tie-break key, then the ARN. Two ways to enumerate candidates give the same answer:
 * - scan: every slot (overlay slots first, then the base).
 * - binpack probe: when the first strategy is binpack, walk the base's slots in ascending order of
 *   that resource from the first one with enough of it, stopping once the resource exceeds the best
 *   key found. The best is then the first feasible slot plus its ties, so a decision costs the
 *   infeasible slots skipped, not the cluster size.
 */
import type { Chain } from './checkers/chain.ts';
import { lowerBound } from './state/resource-order.ts';
import type { SlotView, WorkingState } from './state/working-state.ts';
import { mix32, type Scorer } from './strategies/scorers.ts';

export interface Choice {
  readonly slot: number;
  /** The strategy keys of the winner (the tie-break key is not included). */
  readonly keys: readonly number[];
  /** Slots visited: n for a scan, usually a handful for the probe. */
  readonly evaluated: number;
}

export interface Selection {
  readonly chain: Chain;
  /** The static checkers' cached verdict per slot (1 = passes). */
  readonly mask: Uint8Array;
  readonly scorers: readonly Scorer[];
  /** CPU units and MiB the task needs: inline checks and the probe's lower bound. */
  readonly need: { readonly cpu: number; readonly memory: number };
  /** Scan every slot even when the probe applies (tests compare both). */
  readonly exhaustive: boolean;
}

export function selectSlot(ws: WorkingState, selection: Selection, tieSalt: number): Choice | undefined {
  const { chain, mask, scorers } = selection;
  // CPU and memory are compared inline (no call): the same rule as their checkers in the chain.
  const dynamic = chain.remaining;
  const { cpu, memory } = selection.need;
  const k = scorers.length;
  const current = new Float64Array(k + 1);
  const best = new Float64Array(k + 1);
  let bestSlot = -1;
  let evaluated = 0;
  const arns = ws.table.arns;
  const hashes = ws.table.arnHash;
  for (const scorer of scorers) scorer.prepare?.(ws);
  const visit = (view: SlotView): void => {
    evaluated++;
    if (mask[view.slot] === 0) return;
    const state = view.state;
    if ((cpu > 0 && state.cpu < cpu) || (memory > 0 && state.memory < memory)) return;
    for (let c = 0; c < dynamic.length; c++) if (dynamic[c].rejects(view, ws)) return;
    // Keys are computed one at a time and compared as they come: most instances lose on the first.
    let j = 0;
    let decided = bestSlot < 0;
    for (; j < k; j++) {
      const key = scorers[j].key(view, ws);
      current[j] = key;
      if (!decided && key !== best[j]) {
        if (key > best[j]) return;
        decided = true;
      }
    }
    current[k] = mix32(tieSalt, hashes[view.slot]);
    if (!decided && (current[k] > best[k] || (current[k] === best[k] && arns[view.slot] > arns[bestSlot])))
      return;
    best.set(current);
    bestSlot = view.slot;
  };
  for (const [slot, state] of ws.overlay) visit(ws.atState(slot, state));
  const resource = scorers[0]?.orderedBy;
  if (resource && !selection.exhaustive) {
    const order = ws.base.order(resource);
    const need = selection.need[resource];
    const overlay = ws.overlay;
    for (let p = need > 0 ? lowerBound(order, need) : 0; p < order.slots.length; p++) {
      if (bestSlot >= 0 && order.keys[p] > best[0]) break;
      const slot = order.slots[p];
      if (overlay.size > 0 && overlay.has(slot)) continue;
      visit(ws.atBase(slot));
    }
  } else {
    const changed = ws.overlay.size > 0 ? ws.changedMark() : undefined;
    const n = ws.n;
    const { cpu: cpuLeft, memory: memoryLeft } = ws.base;
    for (let slot = 0; slot < n; slot++) {
      if (changed && changed[slot] === 1) continue;
      // Rejected from the columns alone, without setting up the view (same rules as in visit).
      if (mask[slot] === 0 || (cpu > 0 && cpuLeft[slot] < cpu) || (memory > 0 && memoryLeft[slot] < memory)) {
        evaluated++;
      } else visit(ws.atBase(slot));
    }
  }
  return bestSlot < 0 ? undefined : { slot: bestSlot, keys: Array.from(best.subarray(0, k)), evaluated };
}

/** Lexicographic: the first differing key decides; all equal (a hash tie) falls back to the ARN. */
export function isBetter(a: Float64Array, b: Float64Array, arnA: string, arnB: string): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return arnA < arnB;
}
