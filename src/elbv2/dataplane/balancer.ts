/**
 * Target choice inside a target group: round robin (smooth weighted, so slow start can shrink a
 * newcomer's share) or least outstanding requests, over the candidates (healthy, not draining; all
 * non-draining ones when none is healthy), plus the weighted choice of a target group in a forward.
 */
import type { Rng } from '../../core/clock.ts';
import type { TargetGroupRuntime, TargetRuntime } from './targets.ts';

/** A weight never reaches 0, so a target entering slow start still gets a trickle (and the sum stays positive). */
const MIN_SLOW_START_WEIGHT = 0.001;

/**
 * Slow start: a target that turned healthy `elapsed` ms ago gets `elapsed / slowStart` of a full
 * share, linearly, until slowStart has passed. Example: slow_start 30 s, healthy 10 s ago next to
 * one settled target -> weights 1/3 and 1, so it gets 1/4 of the requests. ELBv2 applies no slow
 * start when no other target is out of it: then every weight is 1.
 */
export function slowStartWeights(targets: TargetRuntime[], slowStartSeconds: number, now: number): number[] {
  if (slowStartSeconds <= 0) return targets.map(() => 1);
  const span = slowStartSeconds * 1000;
  const weights = targets.map((t) => {
    const since = Math.max(t.healthySince ?? t.config.registeredAt, t.config.registeredAt);
    const elapsed = now - since;
    return elapsed >= span ? 1 : Math.max(MIN_SLOW_START_WEIGHT, elapsed / span);
  });
  return weights.some((w) => w === 1) ? weights : targets.map(() => 1);
}

/** Smooth weighted round robin (nginx's): every target's running weight grows by its weight, the largest wins and pays the total. */
function smoothRoundRobin(targets: TargetRuntime[], weights: number[]): TargetRuntime {
  let total = 0;
  let best = 0;
  for (let i = 0; i < targets.length; i++) {
    targets[i].current += weights[i];
    total += weights[i];
    if (targets[i].current > targets[best].current) best = i;
  }
  targets[best].current -= total;
  return targets[best];
}

function leastOutstanding(group: TargetGroupRuntime, targets: TargetRuntime[]): TargetRuntime {
  const start = group.cursor++ % targets.length;
  let best = targets[start];
  for (let i = 1; i < targets.length; i++) {
    const t = targets[(start + i) % targets.length];
    if (t.inflight.size < best.inflight.size) best = t;
  }
  return best;
}

/** FNV-1a over a string, for source-IP stickiness (the same client keeps its target while the set is stable). */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface ChooseOptions {
  /** A target the request is stuck to (lb_cookie / app_cookie): used when it is still a candidate. */
  stickyKey?: string;
  /** Source-IP stickiness: the same address maps to the same candidate. */
  sourceIp?: string;
}

export function chooseTarget(
  group: TargetGroupRuntime,
  now: number,
  options: ChooseOptions = {},
): TargetRuntime | undefined {
  const candidates = group.candidates();
  if (candidates.length === 0) return undefined;
  if (options.stickyKey !== undefined) {
    const stuck = candidates.find((t) => t.key === options.stickyKey);
    if (stuck) return stuck;
  }
  if (candidates.length === 1) return candidates[0];
  if (options.sourceIp !== undefined) {
    const sorted = [...candidates].sort((a, b) => (a.key < b.key ? -1 : 1));
    return sorted[hash(options.sourceIp) % sorted.length];
  }
  if (group.config.algorithm === 'least_outstanding_requests') return leastOutstanding(group, candidates);
  return smoothRoundRobin(candidates, slowStartWeights(candidates, group.config.slowStartSeconds, now));
}

/** A forward's target group by weight (weights 0..999; all zero means none may be picked). */
export function chooseWeighted<T extends { weight: number }>(items: T[], rng: Rng): T | undefined {
  if (items.length === 1) return items[0];
  let total = 0;
  for (const item of items) total += Math.max(0, item.weight);
  if (total <= 0) return undefined;
  let x = rng.next() * total;
  for (const item of items) {
    x -= Math.max(0, item.weight);
    if (x < 0) return item;
  }
  return items[items.length - 1];
}
