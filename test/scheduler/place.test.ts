/** place/explain/applyPlan: multi-task decisions, failure reports, purity, lineages and determinism. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyPlan,
  type ClusterSnapshot,
  explain,
  NO_CONTAINER_INSTANCES,
  type PlacementRequest,
  place,
  updateInstances,
} from '../../src/scheduler/index.ts';
import { cluster, deepCopy, instance, instanceArn, request, resources, task } from './fixtures.ts';

describe('place: several tasks in one decision', () => {
  it('distinctInstance counts tasks placed earlier in the same decision', () => {
    const plan = place(
      cluster(instance(1), instance(2), instance(3)),
      request({ count: 4, placementConstraints: [{ type: 'distinctInstance' }] }),
    );
    assert.equal(new Set(plan.placements.map((p) => p.instanceArn)).size, 3);
    assert.equal(plan.failures.length, 1);
    assert.equal(plan.failures[0].reason, 'DistinctInstance placement constraint unsatisfied.');
    assert.match(plan.failures[0].detail, /^3 instances: 3 DISTINCT_INSTANCE; closest: /);
  });

  it('a static host port can be used once per instance', () => {
    const plan = place(cluster(instance(1)), request({ count: 2, resources: resources({ tcpPorts: [80] }) }));
    assert.equal(plan.placements.length, 1);
    assert.deepEqual(plan.failures, [
      {
        arn: instanceArn(1),
        reason: 'RESOURCE:PORTS',
        detail: `1 instance: 1 RESOURCE:PORTS; closest: ${instanceArn(1)} (port 80/tcp in use)`,
      },
    ]);
  });

  it('dynamic memberOf sees tasks placed earlier (anti-affinity and runningTasksCount)', () => {
    const two = cluster(instance(1), instance(2));
    const anti = place(
      two,
      request({
        count: 3,
        placementConstraints: [{ type: 'memberOf', expression: 'not(task:group == family:web)' }],
      }),
    );
    assert.equal(anti.placements.length, 2);
    assert.equal(anti.failures[0].reason, 'MemberOf placement constraint unsatisfied.');
    const quiet = place(
      two,
      request({
        count: 2,
        placementConstraints: [{ type: 'memberOf', expression: 'runningTasksCount < 1' }],
      }),
    );
    assert.notEqual(quiet.placements[0].instanceArn, quiet.placements[1].instanceArn);
  });

  it('every later task of the request fails once one does', () => {
    const plan = place(cluster(instance(1, { registered: { memory: 1024 } })), request({ count: 5 }));
    assert.equal(plan.placements.length, 2);
    assert.equal(plan.failures.length, 3);
    assert.deepEqual(
      plan.explanation.tasks.map((t) => t.type),
      ['placed', 'placed', 'unplaced', 'unplaced', 'unplaced'],
    );
  });
});

describe('place: failures name the closest instance, as ECS does', () => {
  it('mixed reasons: the instance that got furthest decides the reason', () => {
    // 1-3 pass everything up to memory; 4 stops at the launch type, 5 at its status.
    const mixed = place(
      cluster(
        instance(1, { registered: { memory: 256 } }),
        instance(2, { registered: { memory: 384 } }),
        instance(3, { registered: { memory: 128 } }),
        instance(4, { registered: { memory: 4096 }, attributes: { 'ecs.capability.external': undefined } }),
        instance(5, { status: 'DRAINING' }),
      ),
      request(),
    );
    assert.deepEqual(mixed.failures, [
      {
        arn: instanceArn(2), // short 128 MiB, closer than 1 (256) and 3 (384)
        reason: 'RESOURCE:MEMORY',
        detail: `5 instances: 3 RESOURCE:MEMORY, 1 STATUS, 1 LAUNCH_TYPE; closest: ${instanceArn(2)} (short 128 MiB memory)`,
      },
    ]);
  });

  it('CPU and memory rejections: memory is asked after CPU, so its instances are closer', () => {
    const plan = place(
      cluster(
        instance(1, { registered: { cpu: 128 } }),
        instance(2, { registered: { memory: 500 } }),
        instance(3, { registered: { cpu: 100 } }),
      ),
      request(),
    );
    assert.equal(plan.failures[0].reason, 'RESOURCE:MEMORY');
    assert.equal(plan.failures[0].arn, instanceArn(2));
    assert.equal(
      plan.failures[0].detail,
      `3 instances: 2 RESOURCE:CPU, 1 RESOURCE:MEMORY; closest: ${instanceArn(2)} (short 12 MiB memory)`,
    );
    assert.deepEqual(plan.explanation.tasks[0], {
      type: 'unplaced',
      rejected: { 'RESOURCE:CPU': 2, 'RESOURCE:MEMORY': 1 },
      closest: { instanceArn: instanceArn(2), reason: 'RESOURCE:MEMORY', detail: 'short 12 MiB memory' },
    });
  });

  it('an ATTRIBUTE rejection beats a STATUS one', () => {
    const plan = place(
      cluster(instance(1, { status: 'DRAINING' }), instance(2)),
      request({ requiresAttributes: [{ name: 'rack' }] }),
    );
    assert.equal(plan.failures[0].reason, 'ATTRIBUTE');
    assert.equal(plan.failures[0].arn, instanceArn(2));
  });

  it('memberOf failures use the sentence ECS reports', () => {
    const plan = place(
      cluster(instance(1)),
      request({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] }),
    );
    assert.equal(plan.failures[0].reason, 'MemberOf placement constraint unsatisfied.');
    const agent = place(cluster(instance(1, { agentConnected: false })), request());
    assert.equal(agent.failures[0].reason, 'AGENT');
  });

  it('an empty cluster: "No Container Instances were found in your cluster."', () => {
    const plan = place({ instances: [] }, request({ count: 2 }));
    assert.deepEqual(plan.failures, [
      { reason: NO_CONTAINER_INSTANCES, detail: '0 instances: ' },
      { reason: NO_CONTAINER_INSTANCES, detail: '0 instances: ' },
    ]);
  });
});

describe('place: purity and determinism', () => {
  const snapshot = cluster(
    ...[1, 2, 3, 4, 5, 6].map((n) =>
      instance(n, { az: ['a', 'b', 'c'][n % 3], tasks: n % 2 ? [task({ memory: 1024 })] : [] }),
    ),
  );
  const req = request({
    count: 5,
    placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'random' }],
  });

  it('never mutates the snapshot', () => {
    const before = deepCopy(snapshot);
    place(snapshot, req);
    explain(snapshot, req);
    applyPlan(snapshot, req, place(snapshot, req), ['t1', 't2', 't3', 't4', 't5']);
    assert.deepEqual(snapshot, before);
  });

  it('gives the same plan for the same content and seed, whatever the instance order', () => {
    const a = place(snapshot, req);
    assert.deepEqual(place(deepCopy(snapshot), req), a);
    const reversed = place({ instances: [...snapshot.instances].reverse() }, req);
    assert.deepEqual(reversed.placements, a.placements);
  });

  it('explain ranks first the instance place picks', () => {
    for (const strategy of [
      undefined,
      [{ type: 'binpack' as const, field: 'memory' }],
      req.placementStrategy,
    ]) {
      const r = request({ placementStrategy: strategy, requestId: `explain-${JSON.stringify(strategy)}` });
      const first = explain(snapshot, r).instances.find(
        (i) => i.verdict.type === 'accepted' && i.verdict.rank === 1,
      );
      assert.equal(first?.instanceArn, place(snapshot, r).placements[0].instanceArn);
    }
  });

  it('the binpack probe and a full scan pick the same instances', () => {
    const r = request({
      count: 10,
      placementStrategy: [
        { type: 'binpack', field: 'memory' },
        { type: 'spread', field: 'instanceId' },
      ],
    });
    assert.deepEqual(place(snapshot, r).placements, place(snapshot, r, { exhaustive: true }).placements);
  });
});

describe('applyPlan: a lineage of snapshots', () => {
  it('decides on a derived snapshot exactly as on a fresh copy of it (overlay and rebase included)', () => {
    let snapshot: ClusterSnapshot = cluster(
      ...Array.from({ length: 20 }, (_, n) => instance(n + 1, { az: ['a', 'b'][n % 2] })),
    );
    for (let i = 0; i < 60; i++) {
      const r: PlacementRequest = request({
        requestId: `lineage-${i}`,
        count: 1 + (i % 3),
        resources: resources({ memory: 128 + (i % 5) * 64 }),
        placementStrategy:
          i % 2
            ? [{ type: 'binpack', field: 'memory' }]
            : [
                { type: 'spread', field: 'attribute:ecs.availability-zone' },
                { type: 'spread', field: 'instanceId' },
              ],
      });
      const plan = place(snapshot, r);
      const fresh = place(deepCopy(snapshot), r);
      // (only `evaluated` may differ: a derived snapshot also visits its overlay)
      assert.deepEqual([plan.placements, plan.failures], [fresh.placements, fresh.failures], `decision ${i}`);
      snapshot = applyPlan(
        snapshot,
        r,
        plan,
        plan.placements.map((_, k) => `task-${i}-${k}`),
      );
    }
    const total = snapshot.instances.reduce((sum, i) => sum + i.tasks.length, 0);
    assert.equal(total, 120);
  });

  it('stays exact with more groups than a rebase carries over', () => {
    let snapshot: ClusterSnapshot = cluster(
      ...Array.from({ length: 16 }, (_, n) => instance(n + 1, { az: ['a', 'b', 'c'][n % 3] })),
    );
    for (let i = 0; i < 120; i++) {
      const r = request({
        requestId: `groups-${i}`,
        group: `service:s${i % 40}`,
        resources: resources({ memory: 16 }),
        placementStrategy: [
          { type: 'spread', field: 'attribute:ecs.availability-zone' },
          { type: 'spread', field: 'instanceId' },
        ],
      });
      const plan = place(snapshot, r);
      assert.deepEqual(plan.placements, place(deepCopy(snapshot), r).placements, `decision ${i}`);
      snapshot = applyPlan(snapshot, r, plan, [`t-${i}`]);
    }
  });

  it('updateInstances: a stopped task frees its resources for the next decision', () => {
    const busy = task({ memory: 8000 });
    const full = cluster(instance(1, { tasks: [busy] }));
    assert.equal(place(full, request()).placements.length, 0);
    const freed = updateInstances(full, [
      { ...full.instances[0], tasks: [{ ...busy, lastStatus: 'STOPPED' }] },
    ]);
    assert.equal(place(freed, request()).placements.length, 1);
    assert.equal(place(full, request()).placements.length, 0);
  });

  it('updateInstances starts a new lineage when static fields change', () => {
    const snapshot = cluster(instance(1), instance(2));
    place(snapshot, request());
    const drained = updateInstances(snapshot, [{ ...snapshot.instances[0], status: 'DRAINING' }]);
    const plan = place(drained, request({ count: 2 }));
    assert.deepEqual(
      plan.placements.map((p) => p.instanceArn),
      [instanceArn(2), instanceArn(2)],
    );
  });
});
