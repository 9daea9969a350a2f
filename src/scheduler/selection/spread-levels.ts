/**
 * Chains made only of spread strategies (the service default: spread(AZ), spread(instanceId)).
 * Every base slot in a bucket of state/spread-buckets.ts has the same keys, read from the working
 * state's counts, so a decision:
 * 1. sorts the buckets by their keys and takes the lowest level (the buckets with equal keys);
 * 2. walks that level's slots in tie-rank order (canonical order from the task's offset, wrapping,
 *    merged across the level's buckets), skipping changed slots: the first feasible one is the
 *    best of the base, and nothing after it can beat it;
 * 3. moves to the next level only when the whole level was infeasible;
 * 4. offers the changed slots (their counts differ from the base's): most lose on their keys
 *    alone, without a feasibility check.
 * The answer is the scan's: same keys, same tie rank, only fewer slots looked at.
 */
import type { Chain } from '../checkers/chain.ts';
import {
  MAX_SPREAD_BUCKETS,
  rebasedBuckets,
  type SpreadBuckets,
  spreadBuckets,
} from '../state/spread-buckets.ts';
import { MAX_PLACEMENT_STRATEGIES } from '../strategies/strategy.ts';
import type { Scorer } from '../strategies/scorers.ts';
import type { Candidates } from './candidates.ts';
import { offerOverlay } from './scan.ts';

export interface SpreadPlan {
  /** Distinct attributes, in first-use order. */
  readonly attributes: readonly string[];
  /** Per strategy: its attribute's index in `attributes`, or -1 for spread(instanceId|host). */
  readonly sources: readonly number[];
  readonly perInstance: boolean;
  /** The buckets' cache key in the base: attributes, group, static checkers and need. */
  readonly cacheKey: string;
}

/** The plan when every strategy of the chain is a spread, else undefined. */
export function spreadPlan(
  scorers: readonly Scorer[],
  group: string,
  chain: Chain,
  need: { readonly cpu: number; readonly memory: number },
): SpreadPlan | undefined {
  if (!scorers.every((s) => s.spreads !== undefined)) return undefined;
  const attributes: string[] = [];
  const sources = scorers.map((s) => {
    if (s.spreads === null || s.spreads === undefined) return -1;
    if (!attributes.includes(s.spreads)) attributes.push(s.spreads);
    return attributes.indexOf(s.spreads);
  });
  const perInstance = sources.includes(-1);
  const cacheKey = [
    'spread',
    attributes.join('\u0002'),
    perInstance ? group : '',
    chain.staticKey,
    need.cpu,
    need.memory,
  ].join('\u0000');
  return { attributes, sources, perInstance, cacheKey };
}

/** False when the buckets would be too many (an attribute with many values): the caller scans. */
export function spreadLevels(c: Candidates, plan: SpreadPlan): boolean {
  const buckets = bucketsFor(c, plan);
  if (!buckets) return false;
  const keys = bucketKeys(c, plan, buckets);
  const k = plan.sources.length;
  const order = sortedBuckets(keys, buckets.size, k);
  for (let i = 0; i < buckets.size && c.bestSlot < 0; ) {
    let end = i + 1;
    while (end < buckets.size && compare(keys, order[i] * k, keys, order[end] * k, k) === 0) end++;
    walkLevel(c, buckets, order, i, end);
    i = end;
  }
  offerOverlay(c);
  return true;
}

/** The base's buckets for this request shape, built on the first decision that needs them. */
function bucketsFor(c: Candidates, plan: SpreadPlan): SpreadBuckets | undefined {
  const { base } = c.ws;
  const cached = base.shape(plan.cacheKey) as SpreadBuckets | undefined | null;
  if (cached !== undefined) return cached ?? undefined;
  const buckets = spreadBuckets(base, {
    attributes: plan.attributes,
    group: plan.perInstance ? c.ws.group : undefined,
    mask: c.selection.mask,
    need: c.selection.need,
  });
  if (buckets) base.keepShape(plan.cacheKey, buckets, rebasedBuckets);
  else base.keepShape(plan.cacheKey, null);
  return buckets;
}

/**
 * Scratch arrays reused by every decision (selection is synchronous and never re-entered):
 * allocating typed arrays per decision cost more than the walk itself.
 */
const scratchKeys = new Float64Array(MAX_SPREAD_BUCKETS * MAX_PLACEMENT_STRATEGIES);
const scratchOrder = new Int32Array(MAX_SPREAD_BUCKETS);
const scratchFirst = new Int32Array(MAX_SPREAD_BUCKETS);
const scratchTaken = new Int32Array(MAX_SPREAD_BUCKETS);

/** Bucket ids by ascending keys: an insertion sort, as there are rarely more than a dozen. */
function sortedBuckets(keys: Float64Array, size: number, k: number): Int32Array {
  const order = scratchOrder;
  for (let b = 0; b < size; b++) {
    let i = b;
    while (i > 0 && compare(keys, order[i - 1] * k, keys, b * k, k) > 0) {
      order[i] = order[i - 1];
      i--;
    }
    order[i] = b;
  }
  return order;
}

/** Each bucket's strategy keys (bucket b at `b * k`), from the working state's counts. */
function bucketKeys(c: Candidates, plan: SpreadPlan, buckets: SpreadBuckets): Float64Array {
  const k = plan.sources.length;
  const a = plan.attributes.length;
  const counts = plan.attributes.map((name) => c.ws.valueCounts(name));
  const keys = scratchKeys;
  for (let b = 0; b < buckets.size; b++) {
    for (let j = 0; j < k; j++) {
      const source = plan.sources[j];
      keys[b * k + j] = source < 0 ? buckets.groupCount[b] : counts[source][buckets.valueIds[b * a + source]];
    }
  }
  return keys;
}

/**
 * Walks the level's slots (buckets `order[from]` to `order[to - 1]`) in tie-rank order and stops at
 * the first feasible one.
 */
function walkLevel(c: Candidates, buckets: SpreadBuckets, order: Int32Array, from: number, to: number): void {
  const { ws, offset } = c;
  const { start, slots, pos } = buckets;
  const n = ws.n;
  const changes = ws.hasChanges;
  const m = to - from;
  const first = scratchFirst;
  const taken = scratchTaken;
  for (let q = 0; q < m; q++) {
    const b = order[from + q];
    first[q] = lowerBound(pos, start[b], start[b + 1], offset);
    taken[q] = 0;
  }
  for (;;) {
    // The next slot in rank order among the level's buckets (usually one bucket).
    let pick = -1;
    let pickIndex = 0;
    let pickRank = Infinity;
    for (let q = 0; q < m; q++) {
      const b = order[from + q];
      const begin = start[b];
      const size = start[b + 1] - begin;
      if (taken[q] === size) continue;
      const index = begin + ((first[q] - begin + taken[q]) % size);
      const rank = pos[index] >= offset ? pos[index] - offset : pos[index] - offset + n;
      if (rank < pickRank) {
        pick = q;
        pickIndex = index;
        pickRank = rank;
      }
    }
    if (pick < 0) return;
    taken[pick]++;
    const slot = slots[pickIndex];
    if (changes && ws.isChanged(slot)) continue;
    c.offer(ws.atBase(slot));
    if (c.bestSlot === slot) return;
  }
}

/** Lexicographic comparison of two key vectors of length k. */
function compare(a: Float64Array, at: number, b: Float64Array, bt: number, k: number): number {
  for (let j = 0; j < k; j++) if (a[at + j] !== b[bt + j]) return a[at + j] < b[bt + j] ? -1 : 1;
  return 0;
}

/** The first index in [from, to) whose position is >= p (to when none is). */
function lowerBound(pos: Int32Array, from: number, to: number, p: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pos[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
