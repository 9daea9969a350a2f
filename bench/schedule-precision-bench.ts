/**
 * EventBridge Scheduler precision: fire time minus scheduled time over 1,000 firings of
 * rate(1 minute) schedules (50 schedules, 20 occurrences each), each firing writing its event to
 * the EventBridge outbox in a real SQLite store.
 *
 * Time is an injected clock that runs 60 times faster than real time (one schedule minute is one
 * real second), with the controller's timers scaled to match: the controller's own lateness
 * (timer wake-up, the pass, the transaction) is measured in real milliseconds, then shown both
 * as is and as schedule time (x60). Baseline: the same timers' lateness with no work behind them.
 *
 *   node --disable-warning=ExperimentalWarning bench/schedule-precision-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CreateScheduleInput } from '@aws-sdk/client-scheduler';
import { seededRng } from '../src/core/clock.ts';
import type { Wire } from '../src/core/wire.ts';
import { type Firing, SchedulesController } from '../src/controllers/schedules/schedules-controller.ts';
import { createSchedule } from '../src/events/scheduler/create-schedule.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const SPEED = 60;
const SCHEDULES = 50;
const FIRINGS = 1000;

const dir = mkdtempSync(join(tmpdir(), 'schedule-bench-'));
const store = SqliteStore.open(join(dir, 'store.db'));
const t0 = Date.UTC(2026, 4, 1);
const p0 = performance.now();
const clock = { now: () => t0 + (performance.now() - p0) * SPEED };
const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms / SPEED),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
};
const partition = { region: 'us-east-1', accountId: '000000000000' };
const rng = seededRng('bench');
const ctx = { partition, store, clock, rng };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function baseline(): Promise<number[]> {
  const late: number[] = [];
  for (let i = 0; i < 200; i++) {
    const due = performance.now() + 5;
    await new Promise<void>((r) => setTimeout(r, 5));
    late.push(performance.now() - due);
  }
  return late.sort((a, b) => a - b);
}

const base = await baseline();
for (let i = 0; i < SCHEDULES; i++) {
  await createSchedule(
    ctx,
    {
      Name: `bench-${i}`,
      ScheduleExpression: 'rate(1 minute)',
      // Spread the schedules over the minute, as real ones would be.
      StartDate: (t0 + 60_000 + Math.floor((i * 60_000) / SCHEDULES)) / 1000,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
        RoleArn: 'arn:aws:iam::000000000000:role/bench',
        Input: '{"bench":true}',
        EventBridgeParameters: { Source: 'bench', DetailType: 'Tick' },
      },
    } as Wire<CreateScheduleInput>,
    { requestId: 'bench', caller: {} as never, now: clock.now() },
  );
}
const fired: Firing[] = [];
let done: () => void;
const finished = new Promise<void>((r) => {
  done = r;
});
const controller = new SchedulesController({
  store,
  clock,
  rng,
  partition,
  timers,
  onFired: (f) => {
    if (fired.length < FIRINGS) fired.push(f);
    if (fired.length === FIRINGS) done();
  },
});
controller.start();
await finished;
await controller.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });

const errors = fired.map((f) => f.firedAt - f.occurrence).sort((a, b) => a - b);
const real = errors.map((e) => e / SPEED);
const fmt = (n: number) => n.toFixed(2);
console.log(
  `schedule precision, ${fired.length} firings of ${SCHEDULES} rate(1 minute) schedules, clock x${SPEED}`,
);
console.log(
  `  fire error (real ms):     p50 ${fmt(percentile(real, 50))}  p99 ${fmt(percentile(real, 99))}  max ${fmt(real.at(-1)!)}`,
);
console.log(
  `  fire error (schedule ms): p50 ${fmt(percentile(errors, 50))}  p99 ${fmt(percentile(errors, 99))}`,
);
console.log(
  `  baseline timer lateness (real ms): p50 ${fmt(percentile(base, 50))}  p99 ${fmt(percentile(base, 99))}`,
);
console.log(
  `  ratio p99 fire error / p99 timer lateness: ${fmt(percentile(real, 99) / Math.max(0.01, percentile(base, 99)))}`,
);
