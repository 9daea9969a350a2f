/**
 * The index structures behind the fast paths, held to simple definitions: the persistent overlay
 * against plain Maps, the lazy permutation against itself replayed, the spread buckets patched at
 * a fold against buckets built from scratch, and the canonical order against instance order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyPlacements, type ClusterSnapshot, updateInstances } from '../../src/scheduler/index.ts';
import { canonicalOrder } from '../../src/scheduler/state/canonical-order.ts';
import { clusterIndex } from '../../src/scheduler/state/cluster-index.ts';
import { Overlay } from '../../src/scheduler/state/overlay.ts';
import { slotState } from '../../src/scheduler/state/slot-state.ts';
import {
  rebasedBuckets,
  type SpreadBuckets,
  spreadBuckets,
} from '../../src/scheduler/state/spread-buckets.ts';
import { SeededPermutation } from '../../src/scheduler/strategies/permutation.ts';
import { instance, task } from './fixtures.ts';

describe('Overlay: one version per snapshot', () => {
  const states = Array.from({ length: 8 }, (_, n) => slotState(instance(n + 1)));

  it('every version reads as the Map it stands for, in any order of use, branches included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.nat(),
            changes: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 7 })), {
              maxLength: 4,
            }),
          }),
          { maxLength: 30 },
        ),
        fc.array(fc.nat(), { maxLength: 40 }),
        (steps, reads) => {
          const versions = [Overlay.empty()];
          const expected = [new Map<number, (typeof states)[number]>()];
          for (const { from, changes } of steps) {
            const parent = from % versions.length;
            const delta = new Map(changes.map(([slot, s]) => [slot, states[s]]));
            versions.push(versions[parent].with(delta));
            expected.push(new Map([...expected[parent], ...delta]));
          }
          for (const r of [...reads, ...versions.keys()]) {
            const v = r % versions.length;
            const seen = new Map<number, unknown>();
            versions[v].forEach((state, slot) => {
              seen.set(slot, state);
            });
            assert.deepEqual(seen, expected[v]);
            assert.equal(versions[v].size, expected[v].size);
            for (let slot = 0; slot <= 30; slot++) assert.equal(versions[v].get(slot), expected[v].get(slot));
          }
        },
      ),
    );
  });
});

describe('SeededPermutation', () => {
  it('next() gives every element once, and rankOf agrees with it (sparse and dense phases)', () => {
    for (const n of [1, 2, 7, 33, 200]) {
      for (let seed = 0; seed < 20; seed++) {
        const p = new SeededPermutation();
        p.restart(seed * 7919, n);
        const order: number[] = [];
        for (let x = p.next(); x >= 0; x = p.next()) order.push(x);
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i),
        );
        order.forEach((x, i) => {
          assert.equal(p.rankOf(x), i);
        });
        assert.equal(p.drawn, n);
      }
    }
  });

  it('rankOf does not disturb the lazy walk, and a restart replays the same order', () => {
    const p = new SeededPermutation();
    p.restart(42, 100);
    const first = [p.next(), p.next(), p.next()];
    p.rankOf(5);
    const rest = Array.from({ length: 40 }, () => p.next());
    p.restart(42, 100);
    assert.deepEqual(
      Array.from({ length: 43 }, () => p.next()),
      [...first, ...rest],
    );
  });
});

describe('canonical order', () => {
  it('does not depend on the order instances are listed in', () => {
    const instances = Array.from({ length: 50 }, (_, n) => instance(n + 1));
    const arnsAt = (list: typeof instances) => {
      const table = clusterIndex({ instances: list }).table;
      return Array.from(table.canonical.slotAt, (slot) => table.arns[slot]);
    };
    assert.deepEqual(arnsAt([...instances].reverse()), arnsAt(instances));
  });

  it('breaks hash ties by ARN', () => {
    const { slotAt, pos } = canonicalOrder(['b', 'a', 'c'], Uint32Array.from([5, 5, 1]));
    assert.deepEqual([...slotAt], [2, 1, 0]);
    assert.deepEqual([...pos], [2, 1, 0]);
  });
});

describe('spread buckets', () => {
  /** Buckets as {value ids and count -> slots in order}, whatever their numbering. */
  function contents(b: SpreadBuckets | undefined): Map<string, number[]> {
    assert.ok(b);
    const attributes = b.shape.attributes.length;
    const out = new Map<string, number[]>();
    for (let i = 0; i < b.size; i++) {
      const key = `${[...b.valueIds.subarray(i * attributes, (i + 1) * attributes)]}/${b.groupCount[i]}`;
      assert.ok(!out.has(key), `bucket ${key} twice`);
      const slots: number[] = [...b.slots.subarray(b.start[i], b.start[i + 1])];
      const positions: number[] = [...b.pos.subarray(b.start[i], b.start[i + 1])];
      assert.deepEqual(
        positions,
        [...positions].sort((x, y) => x - y),
        'canonical order within a bucket',
      );
      assert.ok(slots.length > 0, 'no empty bucket');
      out.set(key, slots);
    }
    return out;
  }

  it('patched at a fold, they equal buckets built from scratch on the new base', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 120 }),
        fc.array(fc.record({ slot: fc.nat(), tasks: fc.integer({ min: 1, max: 3 }), memory: fc.nat(2000) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.boolean(),
        (n, changes, perInstance) => {
          const snapshot: ClusterSnapshot = {
            instances: Array.from({ length: n }, (_, k) =>
              instance(k + 1, {
                az: ['a', 'b', 'c'][k % 3],
                attributes: k % 4 ? { stack: k % 2 ? 'prod' : 'dev' } : {},
                status: k % 11 === 0 ? 'DRAINING' : 'ACTIVE',
                registered: { memory: 2048 },
              }),
            ),
          };
          const { base, table } = clusterIndex(snapshot);
          const shape = {
            attributes: ['ecs.availability-zone', 'stack'],
            group: perInstance ? 'family:web' : undefined,
            mask: Uint8Array.from(table.instances, (i) => (i.status === 'ACTIVE' ? 1 : 0)),
            need: { cpu: 0, memory: 512 },
          };
          const before = spreadBuckets(base, shape);
          assert.ok(before);
          const changed = new Map(
            changes.map(({ slot, tasks, memory }) => {
              const i = table.instances[slot % n];
              const added = Array.from({ length: tasks }, () => task({ memory: Math.floor(memory / tasks) }));
              return [slot % n, slotState({ ...i, tasks: [...i.tasks, ...added] })];
            }),
          );
          const next = base.rebase(changed);
          assert.deepEqual(
            contents(rebasedBuckets(before, next, changed)),
            contents(spreadBuckets(next, shape)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('snapshot counts', () => {
  it('carried along a lineage (placements, stopped tasks, folds), they equal counts computed afresh', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            slot: fc.nat(),
            stop: fc.boolean(),
            group: fc.constantFrom('family:web', 'service:api'),
          }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        (steps) => {
          let snapshot: ClusterSnapshot = {
            instances: Array.from({ length: 24 }, (_, k) =>
              instance(k + 1, { az: ['a', 'b', 'c'][k % 3], tasks: [task({ group: 'service:api' })] }),
            ),
          };
          const read = (s: ClusterSnapshot, group: string) => {
            const index = clusterIndex(s);
            return [...index.counts.get(index, group, 'ecs.availability-zone')];
          };
          read(snapshot, 'family:web');
          read(snapshot, 'service:api');
          for (const { slot, stop, group } of steps) {
            const target = snapshot.instances[slot % 24];
            snapshot =
              stop && target.tasks.length > 0
                ? updateInstances(snapshot, [
                    {
                      ...target,
                      tasks: target.tasks.map((t, i) => (i === 0 ? { ...t, lastStatus: 'STOPPED' } : t)),
                    },
                  ])
                : applyPlacements(snapshot, [{ instanceArn: target.arn, task: task({ group }) }]);
            const fresh = structuredClone(snapshot);
            for (const g of ['family:web', 'service:api'])
              assert.deepEqual(read(snapshot, g), read(fresh, g));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
