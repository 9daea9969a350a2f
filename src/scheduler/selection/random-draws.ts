/**
 * random first in the chain: draw instances from the task's permutation and take the first
 * feasible one. Its key (its position in the permutation) is the smallest among the feasible
 * ones, so this is exactly what the scan picks, at the cost of the draws: 1/(fraction feasible)
 * on average. Keys never tie, so the strategies after random are only scored for the winner.
 */
import type { SeededPermutation } from '../strategies/permutation.ts';
import type { Candidates } from './candidates.ts';

export function randomDraws(c: Candidates, permutation: SeededPermutation): void {
  const { ws } = c;
  const slotAt = ws.table.canonical.slotAt;
  for (let p = permutation.next(); p >= 0; p = permutation.next()) {
    const view = ws.at(slotAt[p]);
    c.evaluated++;
    if (c.feasible(view)) {
      c.accept(view, permutation.drawn - 1);
      return;
    }
  }
}
