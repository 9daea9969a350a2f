/**
 * Picks the best feasible instance for one task: the lexicographic minimum of the strategy keys,
 * then the seeded tie rank (selection/candidates.ts). Which slots are looked at depends on the
 * chain; every path gives the scan's answer:
 * - random first: draws from the task's permutation until one fits (selection/random-draws.ts).
 * - binpack first: the base's slots in resource order from the first with enough (binpack-probe.ts).
 * - only spread strategies: the lowest buckets of equal keys, in tie-rank order (spread-levels.ts).
 * - anything else, or `{exhaustive: true}`: every slot (scan.ts).
 */
import { binpackProbe } from './selection/binpack-probe.ts';
import type { Candidates } from './selection/candidates.ts';
import { randomDraws } from './selection/random-draws.ts';
import { scan } from './selection/scan.ts';
import { type SpreadPlan, spreadLevels } from './selection/spread-levels.ts';

export { Candidates, type Selection } from './selection/candidates.ts';

export interface Choice {
  readonly slot: number;
  /** The strategy keys of the winner (the tie rank is not included). */
  readonly keys: readonly number[];
  /** Slots looked at: n for a scan, usually a handful on the other paths. */
  readonly evaluated: number;
}

export function selectSlot(
  c: Candidates,
  tieSalt: number,
  spread: SpreadPlan | undefined,
): Choice | undefined {
  c.begin(tieSalt);
  const { scorers, exhaustive } = c.selection;
  const first = scorers[0];
  if (exhaustive) scan(c);
  else if (first.permutation) randomDraws(c, first.permutation);
  else if (first.orderedBy) binpackProbe(c, first.orderedBy);
  else if (!spread || !spreadLevels(c, spread)) scan(c);
  if (c.bestSlot < 0) return undefined;
  const keys = new Array<number>(scorers.length);
  for (let j = 0; j < keys.length; j++) keys[j] = c.best[j];
  return { slot: c.bestSlot, keys, evaluated: c.evaluated };
}

/** Lexicographic: the first differing key decides; all equal (a hash tie) falls back to the ARN. */
export function isBetter(a: Float64Array, b: Float64Array, arnA: string, arnB: string): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return arnA < arnB;
}
