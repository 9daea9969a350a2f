/**
 * Property tests over random clusters and requests: placements only where the reference model
 * says the task fits (so nothing over-commits and every constraint holds), failures only when
 * nothing fits, strategies pick what ECS's rule picks, and plans are deterministic.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PlacementStrategy } from '@aws-sdk/client-ecs';
import {
  applyPlan,
  type ClusterSnapshot,
  explain,
  type InstanceSnapshot,
  type PlacementPlan,
  type PlacementRequest,
  place,
} from '../../src/scheduler/index.ts';
import { instance, request, resources, task } from './fixtures.ts';
import { fits, groupCount, remaining } from './reference-model.ts';

const GROUPS = ['family:web', 'service:api'];
const EXPRESSIONS = [
  'attribute:ecs.instance-type =~ t3.*',
  'attribute:ecs.availability-zone != c',
  'attribute:stack exists',
  'not(task:group == service:api)',
  'task:group == family:web or runningTasksCount < 2',
  'runningTasksCount < 3',
];
const STRATEGIES: PlacementStrategy[] = [
  { type: 'binpack', field: 'memory' },
  { type: 'binpack', field: 'cpu' },
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
  { type: 'spread', field: 'attribute:stack' },
  { type: 'random' },
];

const taskArb = fc.record({
  group: fc.constantFrom(...GROUPS),
  cpu: fc.integer({ min: 0, max: 1024 }),
  memory: fc.integer({ min: 0, max: 2048 }),
  gpu: fc.integer({ min: 0, max: 1 }),
  tcpPorts: fc.subarray([80, 8080, 50000]),
  lastStatus: fc.constantFrom('RUNNING', 'RUNNING', 'PENDING', 'STOPPED'),
  pendingDynamicTcpPorts: fc.integer({ min: 0, max: 1 }),
});

const instanceArb = fc.record({
  status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'DRAINING'),
  /** 0 (one time in ten) means the agent is disconnected. */
  disconnected: fc.integer({ min: 0, max: 9 }),
  az: fc.constantFrom('a', 'b', 'c'),
  instanceType: fc.constantFrom('t3.large', 'm5.large'),
  stack: fc.option(fc.constantFrom('prod', 'dev'), { nil: undefined }),
  /** 0 (one time in fifteen) makes an external instance. */
  external: fc.integer({ min: 0, max: 14 }),
  cpu: fc.integer({ min: 1, max: 8 }).map((n) => n * 512),
  memory: fc.integer({ min: 1, max: 16 }).map((n) => n * 512),
  gpus: fc.integer({ min: 0, max: 2 }),
  rangeSize: fc.integer({ min: 1, max: 4 }),
  tasks: fc.array(taskArb, { maxLength: 5 }),
});

type InstanceSpec = typeof instanceArb extends fc.Arbitrary<infer T> ? T : never;

function build(specs: InstanceSpec[]): ClusterSnapshot {
  return {
    instances: specs.map((s, n) =>
      instance(n + 1, {
        status: s.status,
        agentConnected: s.disconnected > 0,
        az: s.az,
        instanceType: s.instanceType,
        attributes: {
          ...(s.stack ? { stack: s.stack } : {}),
          ...(s.external === 0 ? { 'ecs.capability.external': undefined } : {}),
        },
        registered: {
          cpu: s.cpu,
          memory: s.memory,
          gpuIds: Array.from({ length: s.gpus }, (_, g) => `gpu-${g}`),
        },
        dynamicPortRange: { first: 50000, last: 50000 + s.rangeSize - 1 },
        tasks: s.tasks.map((t) =>
          task({ ...t, desiredStatus: t.lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING' }),
        ),
      }),
    ),
  };
}

const requestArb = fc.record({
  seed: fc.integer(),
  count: fc.integer({ min: 1, max: 10 }),
  group: fc.constantFrom(...GROUPS),
  cpu: fc.integer({ min: 0, max: 1024 }),
  memory: fc.integer({ min: 1, max: 2048 }),
  gpu: fc.constantFrom(0, 0, 0, 1),
  tcpPorts: fc.subarray([80, 443]),
  dynamicTcpPorts: fc.integer({ min: 0, max: 2 }),
  distinct: fc.boolean(),
  memberOf: fc.subarray(EXPRESSIONS, { maxLength: 2 }),
  strategy: fc.array(fc.constantFrom(...STRATEGIES), { maxLength: 3 }),
  requireStack: fc.boolean(),
});

function toRequest(r: RequestSpec): PlacementRequest {
  return request({
    requestId: `prop-${r.seed}`,
    count: r.count,
    group: r.group,
    resources: resources({
      cpu: r.cpu,
      memory: r.memory,
      gpu: r.gpu,
      tcpPorts: r.tcpPorts,
      dynamicTcpPorts: r.dynamicTcpPorts,
    }),
    placementConstraints: [
      ...(r.distinct ? [{ type: 'distinctInstance' as const }] : []),
      ...r.memberOf.map((expression) => ({ type: 'memberOf' as const, expression })),
    ],
    placementStrategy: r.strategy,
    requiresAttributes: r.requireStack ? [{ name: 'stack' }] : [],
  });
}
type RequestSpec = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Walks the plan one placement at a time against the reference model: each chosen instance must
 * fit at that moment, and `check` sees the instances and the choice. Returns the final instances.
 */
function replay(
  snapshot: ClusterSnapshot,
  req: PlacementRequest,
  plan: PlacementPlan,
  check: (instances: readonly InstanceSnapshot[], chosen: InstanceSnapshot) => void = () => {},
): readonly InstanceSnapshot[] {
  let current = snapshot;
  for (const [k, p] of plan.placements.entries()) {
    const chosen = current.instances.find((i) => i.arn === p.instanceArn)!;
    assert.ok(fits(chosen, req), `placement ${k} on ${p.instanceArn} does not fit`);
    check(current.instances, chosen);
    current = applyPlan(current, req, { ...plan, placements: [p] }, [`${req.requestId}-${k}`]);
  }
  if (plan.failures.length > 0) {
    assert.ok(!current.instances.some((i) => fits(i, req)), 'a task failed although an instance fits');
    assert.equal(plan.placements.length + plan.failures.length, req.count);
  }
  return current.instances;
}

const clusterArb = fc.array(instanceArb, { minLength: 1, maxLength: 12 }).map(build);
const RUNS = { numRuns: 300 };

describe('placement properties', () => {
  it('places only where the task fits (no over-commit, constraints hold) and fails only when nothing fits', () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (snapshot, spec) => {
        const req = toRequest(spec);
        const plan = place(snapshot, req);
        const final = replay(snapshot, req, plan);
        for (const i of final) {
          const before = snapshot.instances.find((x) => x.arn === i.arn)!;
          if (i.tasks.length === before.tasks.length) continue;
          // A resource the task reserves never goes below zero (one it does not need may already be).
          const left = remaining(i);
          if (req.resources.cpu > 0) assert.ok(left.cpu >= 0);
          if (req.resources.gpu > 0) assert.ok(left.gpu >= 0);
          assert.ok(left.memory >= 0);
          if (spec.distinct) assert.equal(groupCount(i, req.group), 1);
        }
      }),
      RUNS,
    );
  });

  it("each strategy's choice is what ECS's rule picks among the instances that fit", () => {
    fc.assert(
      fc.property(
        clusterArb,
        requestArb,
        fc.constantFrom(...STRATEGIES.slice(0, 5)),
        (snapshot, spec, strategy) => {
          const req = { ...toRequest(spec), placementStrategy: [strategy] };
          replay(snapshot, req, place(snapshot, req), (instances, chosen) => {
            const feasible = instances.filter((i) => fits(i, req));
            const key = keyOf(strategy, instances, req.group);
            const best = Math.min(...feasible.map(key));
            assert.equal(key(chosen), best, `${JSON.stringify(strategy)} chose ${key(chosen)}, best ${best}`);
          });
        },
      ),
      RUNS,
    );
  });

  it('spread over zones never leaves them further apart than one task (from an even start)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer(),
        (perZone, count, seed) => {
          const instances = Array.from({ length: perZone * 3 }, (_, n) =>
            instance(n + 1, { az: ['a', 'b', 'c'][n % 3], registered: { memory: 1 << 16, cpu: 1 << 16 } }),
          );
          const req = request({
            requestId: `spread-${seed}`,
            count,
            placementStrategy: [
              { type: 'spread', field: 'attribute:ecs.availability-zone' },
              { type: 'spread', field: 'instanceId' },
            ],
          });
          const final = replay({ instances }, req, place({ instances }, req));
          const perAz = ['a', 'b', 'c'].map((az) =>
            final
              .filter((i) => i.attributes['ecs.availability-zone'] === az)
              .reduce((s, i) => s + groupCount(i, req.group), 0),
          );
          assert.ok(Math.max(...perAz) - Math.min(...perAz) <= 1, JSON.stringify(perAz));
          const perInstance = final.map((i) => groupCount(i, req.group));
          assert.ok(Math.max(...perInstance) - Math.min(...perInstance) <= 1, JSON.stringify(perInstance));
        },
      ),
      RUNS,
    );
  });

  it('is deterministic: same seed, any instance order, probe or full scan', () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (snapshot, spec) => {
        const req = toRequest(spec);
        const plan = place(snapshot, req);
        assert.deepEqual(place(structuredClone(snapshot), req), plan);
        assert.deepEqual(
          place({ instances: [...snapshot.instances].reverse() }, req).placements,
          plan.placements,
        );
        assert.deepEqual(place(snapshot, req, { exhaustive: true }).placements, plan.placements);
      }),
      RUNS,
    );
  });

  it('explain accepts exactly the instances that fit, and ranks first the one place picks', () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (snapshot, spec) => {
        const req = toRequest(spec);
        const explained = explain(snapshot, req);
        explained.instances.forEach((e, slot) => {
          assert.equal(e.verdict.type === 'accepted', fits(snapshot.instances[slot], req), e.instanceArn);
        });
        const first = explained.instances.find((e) => e.verdict.type === 'accepted' && e.verdict.rank === 1);
        assert.equal(first?.instanceArn, place(snapshot, req).placements[0]?.instanceArn);
      }),
      RUNS,
    );
  });

  it('a lineage built with applyPlan decides like fresh snapshots', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(requestArb, { minLength: 1, maxLength: 25 }), (snapshot, specs) => {
        let current = snapshot;
        specs.forEach((spec, k) => {
          const req = toRequest(spec);
          const plan = place(current, req);
          const fresh = place(structuredClone(current), req);
          assert.deepEqual([plan.placements, plan.failures], [fresh.placements, fresh.failures]);
          current = applyPlan(
            current,
            req,
            plan,
            plan.placements.map((_, t) => `${k}-${t}`),
          );
        });
      }),
      { numRuns: 100 },
    );
  });
});

/** The key ECS's rule minimizes, computed from the instances as they are at that moment. */
function keyOf(
  strategy: PlacementStrategy,
  instances: readonly InstanceSnapshot[],
  group: string,
): (i: InstanceSnapshot) => number {
  if (strategy.type === 'binpack') return (i) => remaining(i)[strategy.field as 'cpu' | 'memory'];
  if (strategy.field === 'instanceId') return (i) => groupCount(i, group);
  const name = strategy.field!.slice('attribute:'.length);
  return (i) =>
    instances
      .filter((x) => x.attributes[name] === i.attributes[name])
      .reduce((s, x) => s + groupCount(x, group), 0);
}
