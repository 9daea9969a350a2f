/** Strategies, alone and chained, ECS's defaults, and request validation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlacementStrategy } from '@aws-sdk/client-ecs';
import {
  DEFAULT_RUN_TASK_STRATEGY,
  DEFAULT_SERVICE_STRATEGY,
  type InstanceSnapshot,
  type PlacementRequest,
  PlacementValidationError,
  place,
  QueryError,
  validatePlacement,
} from '../../src/scheduler/index.ts';
import { cluster, instance, instanceArn, request, task } from './fixtures.ts';

/** Numbers of the instances chosen, in placement order. */
function picks(instances: InstanceSnapshot[], o: Partial<PlacementRequest>): number[] {
  const plan = place(cluster(...instances), request(o));
  assert.deepEqual(plan.failures, []);
  return plan.placements.map((p) => Number.parseInt(p.containerInstanceId, 16));
}

const web = (n: number) => Array.from({ length: n }, () => task({ group: 'family:web' }));

describe('binpack', () => {
  const fleet = [
    instance(1, { registered: { memory: 4096, cpu: 512 } }),
    instance(2, { registered: { memory: 1024, cpu: 4096 } }),
    instance(3, { registered: { memory: 600, cpu: 4096 } }),
    instance(4, { registered: { memory: 400, cpu: 4096 } }),
  ];
  it('memory: least remaining memory that still fits (400 is too little for 512)', () =>
    assert.deepEqual(picks(fleet, { placementStrategy: [{ type: 'binpack', field: 'memory' }] }), [3]));
  it('memory: keeps filling the same instance until it is full', () =>
    assert.deepEqual(
      picks(fleet, { count: 4, placementStrategy: [{ type: 'binpack', field: 'memory' }] }),
      [3, 2, 2, 1],
    ));
  it('cpu: least remaining CPU', () =>
    assert.deepEqual(picks(fleet, { placementStrategy: [{ type: 'binpack', field: 'cpu' }] }), [1]));
  it('accepts the field in upper case, as ECS does', () =>
    assert.deepEqual(picks(fleet, { placementStrategy: [{ type: 'binpack', field: 'MEMORY' }] }), [3]));
});

describe('spread', () => {
  it('instanceId: fewest tasks of the group first, counting tasks placed in this decision', () => {
    const fleet = [instance(1, { tasks: web(2) }), instance(2), instance(3, { tasks: web(1) })];
    const got = picks(fleet, { count: 3, placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    assert.equal(got[0], 2);
    assert.deepEqual([...got].sort(), [2, 2, 3].sort());
  });

  it('host is instanceId', () => {
    const fleet = [instance(1, { tasks: web(1) }), instance(2)];
    assert.deepEqual(picks(fleet, { placementStrategy: [{ type: 'spread', field: 'host' }] }), [2]);
  });

  it('counts only tasks of the same group', () => {
    const fleet = [
      instance(1, { tasks: [task({ group: 'service:other' }), task({ group: 'service:other' })] }),
      instance(2, { tasks: web(1) }),
    ];
    assert.deepEqual(picks(fleet, { placementStrategy: [{ type: 'spread', field: 'instanceId' }] }), [1]);
  });

  it('attribute: evens out the group across zones (a=2, b=0, c=1 plus 3 tasks -> 2/2/2)', () => {
    const fleet = [
      instance(1, { az: 'a', tasks: web(2) }),
      instance(2, { az: 'b' }),
      instance(3, { az: 'c', tasks: web(1) }),
      instance(4, { az: 'b' }),
    ];
    const got = picks(fleet, {
      count: 3,
      placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    });
    const zone = (n: number) => ({ 1: 'a', 2: 'b', 3: 'c', 4: 'b' })[n];
    assert.equal(zone(got[0]), 'b');
    assert.deepEqual(got.map(zone).sort(), ['b', 'b', 'c']);
  });

  it('instances without the attribute form their own value', () => {
    const fleet = [instance(1, { attributes: { rack: 'r1' }, tasks: web(1) }), instance(2)];
    assert.deepEqual(picks(fleet, { placementStrategy: [{ type: 'spread', field: 'attribute:rack' }] }), [2]);
  });
});

describe('chained strategies', () => {
  const fleet = [
    instance(1, { az: 'a', registered: { memory: 2048 } }),
    instance(2, { az: 'a', registered: { memory: 1024 } }),
    instance(3, { az: 'b', registered: { memory: 4096 } }),
    instance(4, { az: 'b', registered: { memory: 3072 } }),
  ];
  const spreadAz: PlacementStrategy = { type: 'spread', field: 'attribute:ecs.availability-zone' };
  const binpackMemory: PlacementStrategy = { type: 'binpack', field: 'memory' };

  it('spread(AZ) then binpack(memory): alternate zones, least memory within each', () =>
    assert.deepEqual(
      picks(fleet, { count: 4, placementStrategy: [spreadAz, binpackMemory] })
        .slice(0, 2)
        .sort(),
      [2, 4],
    ));

  it('binpack(memory) then spread(AZ): binpack decides, spread only breaks ties', () => {
    const tied = [
      instance(1, { az: 'a', tasks: web(1), registered: { memory: 768 } }),
      instance(2, { az: 'b', registered: { memory: 1024 } }),
    ];
    assert.deepEqual(picks(tied, { placementStrategy: [binpackMemory, spreadAz] }), [1]);
    const even = [instance(1, { az: 'a', tasks: web(1) }), instance(2, { az: 'b' })];
    assert.deepEqual(picks(even, { placementStrategy: [{ type: 'binpack', field: 'cpu' }, spreadAz] }), [2]);
  });

  it("the service default spreads across zones, then across each zone's instances", () => {
    const zones = [1, 2, 3, 4, 5, 6].map((n) => instance(n, { az: ['a', 'b', 'c'][n % 3] }));
    const got = picks(zones, { count: 6, placementStrategy: [...DEFAULT_SERVICE_STRATEGY] });
    assert.deepEqual([...got].sort(), [1, 2, 3, 4, 5, 6]);
  });
});

describe('random and the defaults', () => {
  const fleet = [1, 2, 3, 4].map((n) => instance(n));

  it('RunTask defaults to random', () => {
    assert.deepEqual(DEFAULT_RUN_TASK_STRATEGY, [{ type: 'random' }]);
    assert.deepEqual(place(cluster(...fleet), request()).explanation.strategy, [{ type: 'random' }]);
    assert.deepEqual(DEFAULT_SERVICE_STRATEGY, [
      { type: 'spread', field: 'attribute:ecs.availability-zone' },
      { type: 'spread', field: 'instanceId' },
    ]);
  });

  it('is the same for the same request id and spreads over seeds', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const a = place(cluster(...fleet), request({ requestId: `r-${i}` })).placements[0].instanceArn;
      const b = place(cluster(...fleet), request({ requestId: `r-${i}` })).placements[0].instanceArn;
      assert.equal(a, b);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    for (let n = 1; n <= 4; n++) {
      const c = counts.get(instanceArn(n)) ?? 0;
      assert.ok(c > 60 && c < 140, `instance ${n} chosen ${c} times out of 400`);
    }
  });

  it('an explicit seed overrides the request id', () => {
    const a = place(cluster(...fleet), request({ requestId: 'x' }), { seed: 42 }).placements[0];
    const b = place(cluster(...fleet), request({ requestId: 'y' }), { seed: 42 }).placements[0];
    assert.equal(a.instanceArn, b.instanceArn);
  });
});

describe('request validation (InvalidParameterException)', () => {
  const fleet = cluster(instance(1));
  const cases: [string, Partial<PlacementRequest>, RegExp][] = [
    [
      '6 strategies',
      { placementStrategy: Array.from({ length: 6 }, () => ({ type: 'random' as const })) },
      /placement strategies \(6\) exceeds the limit of 5/,
    ],
    [
      'unknown strategy type',
      { placementStrategy: [{ type: 'pack' as 'random' }] },
      /Invalid placement strategy type 'pack'/,
    ],
    [
      'binpack on disk',
      { placementStrategy: [{ type: 'binpack', field: 'disk' }] },
      /Invalid field 'disk' for the binpack/,
    ],
    [
      'binpack without field',
      { placementStrategy: [{ type: 'binpack' }] },
      /Invalid field '' for the binpack/,
    ],
    [
      'spread on an unknown field',
      { placementStrategy: [{ type: 'spread', field: 'zone' }] },
      /Invalid field 'zone' for the spread/,
    ],
    [
      'spread on an empty attribute',
      { placementStrategy: [{ type: 'spread', field: 'attribute:' }] },
      /Invalid field 'attribute:'/,
    ],
    [
      'unknown constraint type',
      { placementConstraints: [{ type: 'sameZone' as 'memberOf' }] },
      /Invalid placement constraint type 'sameZone'/,
    ],
    [
      'memberOf without expression',
      { placementConstraints: [{ type: 'memberOf' }] },
      /requires an expression/,
    ],
    [
      'distinctInstance with expression',
      { placementConstraints: [{ type: 'distinctInstance', expression: 'attribute:a exists' }] },
      /can't be specified for a distinctInstance/,
    ],
    [
      '11 constraints counting the task definition',
      {
        taskDefinitionConstraints: [{ type: 'memberOf', expression: 'attribute:a exists' }],
        placementConstraints: Array.from({ length: 10 }, () => ({ type: 'distinctInstance' as const })),
      },
      /placement constraints \(11\) exceeds the limit of 10/,
    ],
    ['count 0', { count: 0 }, /count must be between 1 and 10/],
    ['count 11', { count: 11 }, /count must be between 1 and 10/],
    [
      'a FARGATE-only definition on EC2',
      { requiresCompatibilities: ['FARGATE'] },
      /does not support launch_type EC2/,
    ],
  ];
  for (const [name, o, message] of cases) {
    it(name, () =>
      assert.throws(
        () => place(fleet, request(o)),
        (e: unknown) =>
          e instanceof PlacementValidationError &&
          e.errorType === 'InvalidParameterException' &&
          message.test(e.message),
      ),
    );
  }

  it('a bad memberOf expression is a QueryError with its position', () =>
    assert.throws(
      () =>
        place(
          fleet,
          request({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:a === b' }] }),
        ),
      (e: unknown) => e instanceof QueryError && e.position === 14,
    ));

  it('validatePlacement checks settings without a cluster (CreateService, UpdateService)', () => {
    assert.doesNotThrow(() =>
      validatePlacement({
        placementStrategy: [...DEFAULT_SERVICE_STRATEGY],
        placementConstraints: [{ type: 'distinctInstance' }],
      }),
    );
    assert.throws(
      () => validatePlacement({ placementStrategy: [{ type: 'binpack', field: 'disk' }] }),
      PlacementValidationError,
    );
    assert.throws(
      () => validatePlacement({ placementConstraints: [{ type: 'memberOf', expression: 'x ==' }] }),
      QueryError,
    );
  });

  it('ten constraints and five strategies are fine', () => {
    const plan = place(
      fleet,
      request({
        placementConstraints: Array.from({ length: 10 }, () => ({
          type: 'memberOf' as const,
          expression: 'agentConnected == true',
        })),
        placementStrategy: Array.from({ length: 5 }, () => ({ type: 'binpack' as const, field: 'memory' })),
      }),
    );
    assert.equal(plan.placements.length, 1);
  });
});
