/**
 * Which capacity provider each new task of a strategy goes to, as ECS splits them: first the one
 * provider with a `base` gets tasks until it runs `base` of them, then every provider with a
 * `weight` gets tasks in proportion to it. Pure.
 *
 * Worked example (the ECS documentation's strategy): FARGATE base 1 weight 1, FARGATE_SPOT
 * weight 4, eleven tasks from nothing -> FARGATE (the base), then the other ten split 1:4:
 * SPOT SPOT SPOT FARGATE SPOT SPOT SPOT SPOT FARGATE SPOT (2 on FARGATE, 8 on SPOT beyond the base).
 *
 * Services count the tasks they already run per provider (`current`), so a scale-out continues
 * the split where it stands; RunTask starts from nothing on every call, as ECS's does.
 */
import type { CapacityProviderStrategyItem } from '@aws-sdk/client-ecs';

/** Providers for `count` new tasks, in order. Providers with weight 0 only ever get their base. */
export function splitByStrategy(
  strategy: readonly CapacityProviderStrategyItem[],
  count: number,
  current: ReadonlyMap<string, number> = new Map(),
): string[] {
  const items = strategy.map((s) => ({
    name: s.capacityProvider ?? '',
    base: s.base ?? 0,
    weight: s.weight ?? 0,
    running: current.get(s.capacityProvider ?? '') ?? 0,
  }));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    // Beyond the base with no weight anywhere (one provider, weight 0): it keeps the tasks.
    const chosen =
      items.find((s) => s.running < s.base) ?? byWeight(items) ?? (items.length === 1 ? items[0] : undefined);
    if (!chosen) break;
    chosen.running++;
    out.push(chosen.name);
  }
  return out;
}

/**
 * The weighted provider furthest behind its share: the smallest (tasks beyond its base + 1) /
 * weight; on a tie the one running fewer tasks, then the earliest in the strategy. Weights 1 and
 * 4: after 3 on the second, 1/1 ties 4/4 and the first (1 task) gets its one; the split is exact
 * at every multiple of five. FARGATE base 1 weight 1 with FARGATE_SPOT weight 1: two tasks are
 * one on each, five are 3 and 2.
 */
function byWeight<T extends { base: number; weight: number; running: number }>(items: T[]): T | undefined {
  let best: T | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const s of items) {
    if (s.weight <= 0) continue;
    const score = (Math.max(0, s.running - s.base) + 1) / s.weight;
    if (score < bestScore || (score === bestScore && best && s.running < best.running)) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}
