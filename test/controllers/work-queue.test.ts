import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRng } from '../../src/core/clock.ts';
import { appendEvents, MAX_SERVICE_EVENTS, messages } from '../../src/controllers/service/service-events.ts';
import { HOT_KEY_SPACING_MS, HOT_KEY_STREAK, WorkQueue } from '../../src/controllers/work-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('work queue', () => {
  it('deduplicates keys and never reconciles one key twice at once', async () => {
    const running = new Set<string>();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const q = new WorkQueue({
      workers: 4,
      reconcile: async (key) => {
        assert.ok(!running.has(key), `${key} reconciled twice at once`);
        running.add(key);
        seen.push(key);
        if (seen.length === 1) await gate;
        running.delete(key);
        return {};
      },
    });
    q.add('a');
    q.add('a');
    q.add('b');
    await tick();
    // 'a' is running: adding it again marks it dirty, and it runs once more afterwards.
    q.add('a');
    q.add('a');
    release();
    await q.idle();
    assert.deepEqual(seen, ['a', 'b', 'a']);
    await q.stop();
  });

  it('requeues after the asked delay, and backs off failures', async () => {
    let calls = 0;
    let failures = 0;
    const q = new WorkQueue({
      reconcile: async (key) => {
        if (key === 'bad') {
          failures++;
          throw new Error('boom');
        }
        calls++;
        return calls < 3 ? { requeueAfterMs: 10 } : {};
      },
    });
    q.add('good');
    q.add('bad');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls, 3);
    // 50 ms, then 100 ms: two or three attempts in 200 ms, not a hot loop.
    assert.ok(failures >= 2 && failures <= 4, `failures ${failures}`);
    await q.stop();
  });
});

describe('work queue fairness', () => {
  it('runs timers and I/O between passes of a key that requeues itself at once', async () => {
    let passes = 0;
    const q = new WorkQueue({
      reconcile: async () => {
        passes++;
        return { requeueAfterMs: 0 };
      },
    });
    q.add('spin');
    // Before the fix this timer never fired: every pass chained the next as a microtask.
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(passes > 0);
    await q.stop();
  });

  it('spaces a key that never settles once it has run HOT_KEY_STREAK passes back to back', async () => {
    let passes = 0;
    const q = new WorkQueue({
      reconcile: async () => {
        passes++;
        return { requeueAfterMs: 0 };
      },
    });
    q.add('spin');
    await new Promise((r) => setTimeout(r, 500));
    await q.stop();
    // HOT_KEY_STREAK back to back, then one pass per HOT_KEY_SPACING_MS: about 110 in 500 ms.
    assert.ok(passes >= HOT_KEY_STREAK, `passes ${passes}`);
    assert.ok(passes <= HOT_KEY_STREAK + 500 / HOT_KEY_SPACING_MS + 2, `passes ${passes}`);
  });

  it('starts no pass after stop', async () => {
    let passes = 0;
    const q = new WorkQueue({
      reconcile: async () => {
        passes++;
        return {};
      },
    });
    q.add('a');
    await q.stop();
    assert.equal(passes, 0);
  });
});

describe('service events', () => {
  it('keeps the newest 100 and skips a repeat of the newest within six hours', () => {
    const rng = seededRng(1);
    let events = appendEvents([], [messages.steadyState('web')], 0, rng);
    events = appendEvents(events, [messages.steadyState('web')], 60_000, rng);
    assert.equal(events.length, 1);
    events = appendEvents(events, [messages.steadyState('web')], 6 * 3600_000 + 1, rng);
    assert.equal(events.length, 2);
    const many = Array.from({ length: 150 }, (_, i) =>
      messages.started('web', [String(i).padStart(32, '0')]),
    );
    events = appendEvents(events, many, 7 * 3600_000, rng);
    assert.equal(events.length, MAX_SERVICE_EVENTS);
    assert.equal(events[0].message, `(service web) has started 1 tasks: (task ${'149'.padStart(32, '0')}).`);
  });

  it('words placement failures as ECS does', () => {
    assert.equal(
      messages.unplaced('web', 'abc', 'RESOURCE:MEMORY'),
      '(service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance abc has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    assert.match(
      messages.unplaced('web', 'abc', 'AGENT'),
      /container-instance abc encountered error "AGENT"\./,
    );
  });
});
