/** The pure arithmetic of dynamic scaling, table-driven: steps, rounding, target tracking, timing, schedules. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregate,
  alarmPeriod,
  AWS_TIMING,
  cooldownMs,
  dueOccurrence,
  nextDue,
  roundPercentChange,
  scaleInCapacity,
  scaleOutCapacity,
  scalingTimingFrom,
  selectStep,
  stepCapacity,
} from '../../src/application-autoscaling/model/index.ts';
import type { StepConfig } from '../../src/application-autoscaling/model/records.ts';

describe('target tracking capacity', () => {
  it('scales out proportionally, rounding up', () => {
    const table: [current: number, metric: number, target: number, expected: number][] = [
      [4, 90, 60, 6],
      [4, 61, 60, 5],
      [2, 90, 50, 4],
      [1, 100, 50, 2],
      [10, 75, 75, 10],
      [3, 1000, 100, 30],
      [0, 80, 50, 1],
    ];
    for (const [current, metric, target, expected] of table) {
      assert.equal(
        scaleOutCapacity(current, metric, target),
        expected,
        `${current} at ${metric} for ${target}`,
      );
    }
  });
  it('scales in gradually: proportional, rounded up, at most 10% (one task) at a time', () => {
    const table: [current: number, metric: number, target: number, expected: number][] = [
      [10, 30, 60, 9],
      [100, 30, 60, 90],
      [100, 55, 60, 92],
      [4, 10, 50, 3],
      [4, 60, 70, 4],
      [1, 0, 50, 0],
      [20, 0, 50, 18],
    ];
    for (const [current, metric, target, expected] of table) {
      assert.equal(
        scaleInCapacity(current, metric, target),
        expected,
        `${current} at ${metric} for ${target}`,
      );
    }
  });
});

describe('step scaling', () => {
  const steps = [
    { upper: -10, adjustment: -2 },
    { lower: -10, upper: 0, adjustment: -1 },
    { lower: 0, upper: 10, adjustment: 1 },
    { lower: 10, adjustment: 3 },
  ];
  it('picks the step for the breach, bounds as AWS documents them', () => {
    const table: [breach: number, adjustment: number | undefined][] = [
      [0, 1], // above the threshold: the lower bound is inclusive
      [9.99, 1],
      [10, 3],
      [1e6, 3],
      [-0.5, -1],
      [-9.99, -1],
      [-10, -2], // below: the upper bound is inclusive, the lower exclusive
      [-0, 1],
    ];
    for (const [breach, adjustment] of table)
      assert.equal(selectStep(steps, breach)?.adjustment, adjustment, `breach ${breach}`);
    assert.equal(selectStep([{ lower: 0, upper: 5, adjustment: 1 }], 7), undefined);
  });
  it('applies the adjustment types, rounding percentages and MinAdjustmentMagnitude', () => {
    const config = (
      adjustmentType: StepConfig['adjustmentType'],
      minAdjustmentMagnitude?: number,
    ): StepConfig => ({
      adjustmentType,
      steps: [],
      ...(minAdjustmentMagnitude !== undefined ? { minAdjustmentMagnitude } : {}),
    });
    const table: [StepConfig, adjustment: number, current: number, expected: number][] = [
      [config('ChangeInCapacity'), 2, 5, 7],
      [config('ChangeInCapacity'), -3, 5, 2],
      [config('ExactCapacity'), 4, 10, 4],
      [config('PercentChangeInCapacity'), 10, 127, 139], // 12.7 -> 12
      [config('PercentChangeInCapacity'), 10, 3, 4], // 0.3 -> 1
      [config('PercentChangeInCapacity'), -10, 3, 2], // -0.3 -> -1
      [config('PercentChangeInCapacity'), -10, 67, 61], // -6.7 -> -6
      [config('PercentChangeInCapacity', 2), 10, 3, 5], // 1 raised to 2
      [config('PercentChangeInCapacity', 2), 50, 10, 15], // 5 is already more than 2
    ];
    for (const [c, adjustment, current, expected] of table) {
      assert.equal(
        stepCapacity(c, { adjustment }, current),
        expected,
        `${c.adjustmentType} ${adjustment} of ${current}`,
      );
    }
    assert.deepEqual([12.7, 0.3, 0, -0.3, -6.67].map(roundPercentChange), [12, 1, 0, -1, -6]);
  });
  it('aggregates the alarm datapoints by MetricAggregationType', () => {
    assert.equal(aggregate([1, 2, 6], undefined), 3);
    assert.equal(aggregate([1, 2, 6], 'Minimum'), 1);
    assert.equal(aggregate([1, 2, 6], 'Maximum'), 6);
    assert.ok(Number.isNaN(aggregate([], 'Average')));
  });
});

describe('timing', () => {
  it("is AWS's by default and shortened by the environment", () => {
    assert.deepEqual(scalingTimingFrom({}), AWS_TIMING);
    const fast = scalingTimingFrom({
      LONGSHORE_AUTOSCALING_PERIOD_SECONDS: '10',
      LONGSHORE_AUTOSCALING_MAX_COOLDOWN_SECONDS: '5',
    });
    assert.deepEqual(fast, { periodSeconds: 10, maxCooldownSeconds: 5 });
    assert.equal(cooldownMs(AWS_TIMING, undefined), 300_000);
    assert.equal(cooldownMs(AWS_TIMING, 60), 60_000);
    assert.equal(cooldownMs(fast, 300), 5_000);
    assert.deepEqual(scalingTimingFrom({ LONGSHORE_AUTOSCALING_PERIOD_SECONDS: 'soon' }), AWS_TIMING);
    assert.deepEqual([1, 10, 11, 30, 45, 60, 100, 150].map(alarmPeriod), [10, 10, 30, 30, 60, 60, 120, 180]);
  });
});

describe('schedules', () => {
  const day = Date.UTC(2026, 2, 27); // Friday 27 March 2026; Paris moves to summer time on Sunday the 29th
  it('finds the latest due occurrence once, in the time zone, inside start and end', () => {
    const cron = { schedule: 'cron(0 8 * * ? *)', timezone: 'Europe/Paris', createdAt: day };
    assert.equal(dueOccurrence(cron, day + 6 * 3_600_000), undefined);
    assert.equal(dueOccurrence(cron, day + 7 * 3_600_000), day + 7 * 3_600_000); // 08:00 CET
    assert.equal(
      dueOccurrence({ ...cron, lastOccurrence: day + 7 * 3_600_000 }, day + 8 * 3_600_000),
      undefined,
    );
    // Three days later (missed Saturday, Sunday): only Monday's, at 06:00 UTC in summer time.
    const monday = Date.UTC(2026, 2, 30, 6);
    assert.equal(dueOccurrence({ ...cron, lastOccurrence: day + 7 * 3_600_000 }, monday + 60_000), monday);
    assert.equal(nextDue(cron, day), day + 7 * 3_600_000);
    const rate = {
      schedule: 'rate(15 minutes)',
      createdAt: day,
      startTime: day + 3_600_000,
      endTime: day + 2 * 3_600_000,
    };
    assert.equal(dueOccurrence(rate, day + 3_600_000 - 1), undefined);
    assert.equal(dueOccurrence(rate, day + 3_600_000 + 40 * 60_000), day + 3_600_000 + 30 * 60_000);
    assert.equal(
      dueOccurrence({ ...rate, lastOccurrence: day + 2 * 3_600_000 }, day + 5 * 3_600_000),
      undefined,
    );
    assert.equal(nextDue(rate, day + 2 * 3_600_000), undefined);
    const at = { schedule: 'at(2026-03-27T12:00:00)', createdAt: day };
    assert.equal(dueOccurrence(at, Date.UTC(2026, 2, 27, 12, 0, 1)), Date.UTC(2026, 2, 27, 12));
    assert.equal(
      dueOccurrence({ ...at, createdAt: Date.UTC(2026, 2, 27, 13) }, Date.UTC(2026, 2, 27, 14)),
      undefined,
    );
  });
});
