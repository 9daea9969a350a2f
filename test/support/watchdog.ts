/**
 * The test harness's event-loop watchdog, loaded into every test process (`--import` in
 * scripts/test.sh). A test during which this process's event loop stalls for more than
 * STALL_LIMIT_MS while the process serves something fails, naming the stall; a loop frozen for FREEZE_LIMIT_MS (a reconcile that never
 * yields, an infinite microtask chain) cannot fail a test any more, so a worker thread prints what
 * happened and kills the process, and the runner reports the file as failed instead of hanging.
 */
import { writeSync } from 'node:fs';
import { afterEach, beforeEach } from 'node:test';
import { Worker } from 'node:worker_threads';

export const STALL_LIMIT_MS = 1_000;
export const FREEZE_LIMIT_MS = 20_000;
const TICK_MS = 50;

interface Stall {
  ms: number;
  /** When the loop last ran before the stall (the stall began after this). */
  startedAt: number;
  endedAt: number;
}

const stalls: Stall[] = [];
let lastTick = performance.now();
// The worker reads the time of the main thread's last tick from here.
const heartbeat = new Float64Array(new SharedArrayBuffer(8));

const ticker = setInterval(() => {
  const now = performance.now();
  const late = now - lastTick - TICK_MS;
  if (late > STALL_LIMIT_MS && serving())
    stalls.push({ ms: Math.round(late), startedAt: lastTick, endedAt: now });
  lastTick = now;
  heartbeat[0] = Date.now();
}, TICK_MS);
ticker.unref();
heartbeat[0] = Date.now();

const freezeWatcher = new Worker(
  `
  const { workerData } = require('node:worker_threads');
  const { writeSync } = require('node:fs');
  const beat = new Float64Array(workerData.buffer);
  setInterval(() => {
    const silent = Date.now() - beat[0];
    if (silent > workerData.limit) {
      writeSync(2, '\\nwatchdog: the event loop of test process ' + process.pid + ' has been frozen for ' +
        Math.round(silent) + ' ms; killing it (a test blocked the loop: an endless synchronous or microtask loop)\\n');
      process.kill(process.pid, 'SIGKILL');
    }
  }, 500);
  `,
  { eval: true, workerData: { buffer: heartbeat.buffer, limit: FREEZE_LIMIT_MS } },
);
freezeWatcher.unref();

let testStartedAt = performance.now();

/**
 * A stall counts while this process serves something (a control plane, an agent's endpoints, a
 * test server): then nothing could answer. A pure computation blocking a process that serves
 * nothing (a property test of the scheduler) starves no one.
 */
function serving(): boolean {
  return process.getActiveResourcesInfo().includes('TCPServerWrap');
}

beforeEach(() => {
  // A stall before the test (module loading, a `before` hook) that no tick has seen yet is not the test's.
  const now = performance.now();
  if (now - lastTick - TICK_MS > STALL_LIMIT_MS) lastTick = now;
  testStartedAt = now;
});

afterEach((t) => {
  const now = performance.now();
  // A stall that just ended may not have been seen by a tick yet.
  const pending = now - lastTick - TICK_MS;
  // What counts is the part of a stall inside the test: one that began in a `before` hook (a
  // control plane set up under load) and ended just inside the test is not the test's.
  const inTest = (startedAt: number, endedAt: number) =>
    Math.round(endedAt - Math.max(startedAt + TICK_MS, testStartedAt));
  const seen = stalls.map((s) => inTest(s.startedAt, s.endedAt)).filter((ms) => ms > STALL_LIMIT_MS);
  if (pending > STALL_LIMIT_MS && serving() && inTest(lastTick, now) > STALL_LIMIT_MS) {
    seen.push(inTest(lastTick, now));
    lastTick = now; // counted here: the next tick must not count it again
  }
  if (seen.length === 0) return;
  const text = `watchdog: the event loop stalled for ${seen.join(', ')} ms during "${t.name}" (limit ${STALL_LIMIT_MS} ms)`;
  writeSync(2, `${text}\n`);
  throw new Error(text);
});
