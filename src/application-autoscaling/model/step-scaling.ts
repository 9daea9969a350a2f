/**
 * Step scaling's arithmetic (pure). The breach is the alarm's aggregated metric minus its
 * threshold; a step's bounds are offsets from the threshold.
 *
 * Bounds, as Application Auto Scaling documents them: above the threshold (breach >= 0) a step
 * matches `lower <= breach < upper`; below it (breach < 0) `lower < breach <= upper`. A missing
 * lower bound is minus infinity, a missing upper bound plus infinity.
 *
 * Worked example: steps [0, 10) +1, [10, 20) +2, [20, ∞) +3 on threshold 50; a metric of 65 is a
 * breach of 15 and adds 2 tasks.
 */
import type { StepAdjustmentRecord, StepConfig } from './records.ts';

export function selectStep(
  steps: readonly StepAdjustmentRecord[],
  breach: number,
): StepAdjustmentRecord | undefined {
  return steps.find((s) => {
    const lower = s.lower ?? Number.NEGATIVE_INFINITY;
    const upper = s.upper ?? Number.POSITIVE_INFINITY;
    return breach >= 0 ? lower <= breach && breach < upper : lower < breach && breach <= upper;
  });
}

/**
 * PercentChangeInCapacity's rounding: above 1 down (12.7 -> 12), between 0 and 1 to 1, between -1
 * and 0 to -1, below -1 up (-6.67 -> -6).
 */
export function roundPercentChange(change: number): number {
  if (change === 0) return 0;
  if (change > 0) return change >= 1 ? Math.floor(change) : 1;
  return change <= -1 ? Math.ceil(change) : -1;
}

/**
 * The capacity a step asks for from `current` (before min/max): ChangeInCapacity adds,
 * ExactCapacity sets, PercentChangeInCapacity adds a percentage of `current`, rounded as above and
 * raised to MinAdjustmentMagnitude (e.g. 10% of 3 tasks is 0.3 -> 1; with a magnitude of 2, 2).
 */
export function stepCapacity(config: StepConfig, step: StepAdjustmentRecord, current: number): number {
  switch (config.adjustmentType) {
    case 'ExactCapacity':
      return step.adjustment;
    case 'ChangeInCapacity':
      return current + step.adjustment;
    case 'PercentChangeInCapacity': {
      let change = roundPercentChange((current * step.adjustment) / 100);
      const magnitude = config.minAdjustmentMagnitude;
      if (magnitude !== undefined && change !== 0 && Math.abs(change) < magnitude) {
        change = Math.sign(change) * magnitude;
      }
      return current + change;
    }
  }
}

/** MetricAggregationType over the alarm's recent datapoints (Average when unset). */
export function aggregate(values: readonly number[], type: StepConfig['metricAggregationType']): number {
  if (values.length === 0) return Number.NaN;
  if (type === 'Minimum') return Math.min(...values);
  if (type === 'Maximum') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}
