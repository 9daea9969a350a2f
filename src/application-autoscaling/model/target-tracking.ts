/**
 * Target tracking's arithmetic (pure).
 *
 * Scale out is proportional and as fast as the metric asks: `ceil(current * metric / target)`
 * (4 tasks at 90% CPU for a 60% target: ceil(6) = 6; at 61%: ceil(4.07) = 5).
 *
 * Scale in is more gradual, as AWS documents it ("scales out proportionally ... as fast as it
 * can, but scales in more gradually"): the proportional capacity, rounded up so the metric stays
 * at or under the target after the change, and at most 10% of the current capacity (at least one
 * task) per activity. 10 tasks at 30% for a 60% target: proportional 5, gradual 9.
 */

/** The fraction of the target the low alarm's threshold is (AWS: 90% of the target). */
export const LOW_ALARM_FRACTION = 0.9;
/** Datapoints (one-minute periods at AWS's pace) that must breach: 3 of 3 high, 15 of 15 low. */
export const HIGH_DATAPOINTS = 3;
export const LOW_DATAPOINTS = 15;

export function scaleOutCapacity(current: number, metric: number, target: number): number {
  if (current === 0) return metric > 0 ? 1 : 0;
  return Math.max(current, Math.ceil((current * metric) / target));
}

export function scaleInCapacity(current: number, metric: number, target: number): number {
  if (current === 0) return 0;
  const proportional = Math.ceil((current * metric) / target - 1e-9);
  const gradual = current - Math.max(1, Math.floor(current * 0.1));
  return Math.min(current, Math.max(proportional, gradual));
}
