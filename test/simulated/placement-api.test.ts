import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  type PlacementConstraint,
  type PlacementStrategy,
  RunTaskCommand,
  type RunTaskCommandOutput,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';
import {
  agentIndexOf,
  countByAgent,
  registerFamily,
  type Shape,
  simulatedCluster,
  waitRunning,
} from './support.ts';

/** Six simulated instances: three AZs, three instance types, a custom `stack` attribute on four. */
const SHAPES: Shape[] = [
  {
    availabilityZone: 'us-east-1a',
    instanceType: 't3.large',
    cpu: 2048,
    memory: 4096,
    attributes: [{ name: 'stack', value: 'prod' }],
  },
  {
    availabilityZone: 'us-east-1b',
    instanceType: 't3.large',
    cpu: 2048,
    memory: 4096,
    attributes: [{ name: 'stack', value: 'prod' }],
  },
  {
    availabilityZone: 'us-east-1c',
    instanceType: 'm5.xlarge',
    cpu: 4096,
    memory: 8192,
    attributes: [{ name: 'stack', value: 'staging' }],
  },
  {
    availabilityZone: 'us-east-1a',
    instanceType: 'm5.xlarge',
    cpu: 4096,
    memory: 8192,
    attributes: [{ name: 'stack', value: 'staging' }],
  },
  { availabilityZone: 'us-east-1b', instanceType: 'c5.2xlarge', cpu: 8192, memory: 8192, attributes: [] },
  { availabilityZone: 'us-east-1c', instanceType: 'c5.2xlarge', cpu: 8192, memory: 8192, attributes: [] },
];
const ARN_PREFIX = 'arn:aws:ecs:us-east-1:000000000000:container-instance/place/';

describe('RunTask placement on simulated agents (simulated runtime, real API)', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  let bin: SimulatedCluster;
  before(async () => {
    t = await startTestPlane();
    sim = await simulatedCluster(t, 'place', SHAPES);
    bin = await simulatedCluster(t, 'binpack', [
      { memory: 1024, cpu: 4096 },
      { memory: 2048, cpu: 4096 },
      { memory: 4096, cpu: 4096 },
    ]);
    await registerFamily(t.ecs, 'web', { portMappings: [{ containerPort: 80 }] });
    await registerFamily(t.ecs, 'half', { memory: 512, cpu: 64 });
    await registerFamily(t.ecs, 'big-mem', { memory: 9000 });
    await registerFamily(t.ecs, 'big-cpu', { cpu: 9000, memory: 128 });
    await registerFamily(t.ecs, 'logs', {
      logConfiguration: {
        // A driver no Longshore agent offers (awslogs is offered: it logs to Longshore's CloudWatch Logs).
        logDriver: 'splunk',
        options: { 'splunk-url': 'https://splunk.example.test:8088', 'splunk-token': 't' },
      },
    });
  });
  after(async () => {
    await sim?.stop();
    await bin?.stop();
    await t?.stop();
  });

  const run = (
    taskDefinition: string,
    count: number,
    group: string,
    placementConstraints?: PlacementConstraint[],
    placementStrategy?: PlacementStrategy[],
    cluster = 'place',
  ): Promise<RunTaskCommandOutput> =>
    t.ecs.send(
      new RunTaskCommand({ cluster, taskDefinition, count, group, placementConstraints, placementStrategy }),
    );
  const arns = (out: RunTaskCommandOutput) => (out.tasks ?? []).map((task) => task.taskArn ?? '');

  it('memberOf(attribute:ecs.instance-type): every task lands on an m5.xlarge and reaches RUNNING', async () => {
    const out = await run('web', 4, 'member', [
      { type: 'memberOf', expression: 'attribute:ecs.instance-type == m5.xlarge' },
    ]);
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(t.ecs, 'place', arns(out));
    for (const task of tasks) {
      const i = agentIndexOf(sim, task);
      assert.ok(i === 2 || i === 3, `task on instance ${i}`);
      assert.equal(task.availabilityZone, SHAPES[i].availabilityZone);
      const binding = task.containers?.[0].networkBindings?.[0];
      assert.equal(binding?.containerPort, 80);
      assert.ok((binding?.hostPort ?? 0) >= 32768, 'dynamic host port from the simulated range');
      assert.match(task.containers?.[0].runtimeId ?? '', /^[0-9a-f]{64}$/);
    }
  });

  it('spread(attribute:ecs.availability-zone): six tasks, two per AZ', async () => {
    const out = await run('web', 6, 'spread', undefined, [
      { type: 'spread', field: 'attribute:ecs.availability-zone' },
    ]);
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(t.ecs, 'place', arns(out));
    const perAz = new Map<string, number>();
    for (const task of tasks)
      perAz.set(task.availabilityZone ?? '', (perAz.get(task.availabilityZone ?? '') ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(perAz), { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 });
  });

  it('distinctInstance: one task per instance, and a seventh of the group fails with the reason', async () => {
    const distinct: PlacementConstraint[] = [{ type: 'distinctInstance' }];
    const out = await run('web', 6, 'distinct', distinct);
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(t.ecs, 'place', arns(out));
    assert.equal(countByAgent(sim, tasks).size, 6);
    const seventh = await run('web', 1, 'distinct', distinct);
    assert.deepEqual(seventh.tasks, []);
    assert.equal(seventh.failures?.[0].reason, 'DistinctInstance placement constraint unsatisfied.');
    assert.match(seventh.failures?.[0].detail ?? '', /^6 instances: 6 DISTINCT_INSTANCE; closest: /);
  });

  it('memberOf(task:group == ...): tasks follow the instances that run the group', async () => {
    const out = await run('web', 3, 'follower', [{ type: 'memberOf', expression: 'task:group == member' }]);
    assert.deepEqual(out.failures, []);
    for (const task of await waitRunning(t.ecs, 'place', arns(out))) {
      const i = agentIndexOf(sim, task);
      assert.ok(i === 2 || i === 3, `follower on instance ${i}`);
    }
  });

  it('binpack(memory): fills the instance with the least memory left first', async () => {
    const out = await run('half', 4, 'packed', undefined, [{ type: 'binpack', field: 'memory' }], 'binpack');
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(t.ecs, 'binpack', arns(out));
    // 1024 MiB instance takes two 512 MiB tasks, then the 2048 MiB one takes the rest.
    assert.deepEqual(Object.fromEntries(countByAgent(bin, tasks)), { 0: 2, 1: 2 });
  });

  it('random: places every task somewhere, over more than one instance', async () => {
    const out = await run('half', 10, 'scattered', undefined, [{ type: 'random' }]);
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(t.ecs, 'place', arns(out));
    assert.equal(tasks.length, 10);
    assert.ok(countByAgent(sim, tasks).size > 1);
  });

  it('reports why nothing fits: RESOURCE:MEMORY, RESOURCE:CPU, ATTRIBUTE, memberOf, with a one-line detail', async () => {
    const cases: [string, PlacementConstraint[] | undefined, string, RegExp][] = [
      [
        'big-mem',
        undefined,
        'RESOURCE:MEMORY',
        /^6 instances: 6 RESOURCE:MEMORY; closest: \S+ \(short \d+ MiB memory\)$/,
      ],
      [
        'big-cpu',
        undefined,
        'RESOURCE:CPU',
        /^6 instances: 6 RESOURCE:CPU; closest: \S+ \(short \d+ CPU units\)$/,
      ],
      [
        'logs',
        undefined,
        'ATTRIBUTE',
        /^6 instances: 6 ATTRIBUTE; closest: \S+ \(missing attribute com\.amazonaws\.ecs\.capability\.logging-driver\.splunk\)$/,
      ],
      [
        'web',
        [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == p4d.24xlarge' }],
        'MemberOf placement constraint unsatisfied.',
        /^6 instances: 6 MEMBER_OF; closest: /,
      ],
    ];
    for (const [family, constraints, reason, detail] of cases) {
      const out = await run(family, 2, `fail-${family}`, constraints);
      assert.deepEqual(out.tasks, [], family);
      assert.equal(out.failures?.length, 2, family);
      for (const f of out.failures ?? []) {
        assert.equal(f.reason, reason, family);
        assert.match(f.detail ?? '', detail, family);
        assert.ok(f.arn?.startsWith(ARN_PREFIX), `${family}: failure arn names the closest instance`);
        assert.ok(!f.detail?.includes('\n'), 'one line');
      }
    }
  });

  it('rejects a malformed memberOf expression with InvalidParameterException', async () => {
    const e = await awsError(() =>
      run('web', 1, 'bad', [{ type: 'memberOf', expression: 'attribute:ecs.instance-type ==' }]),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /position \d+/);
  });

  describe('ListContainerInstances filter (cluster query language)', () => {
    const listed = async (filter: string): Promise<number[]> => {
      const out = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'place', filter }));
      return (out.containerInstanceArns ?? [])
        .map((arn) => sim.agents.find((a) => a.agent.containerInstanceArn === arn)?.index ?? -1)
        .sort();
    };

    it('selects instances by attribute, with and/or/not, in, =~ and !exists', async () => {
      assert.deepEqual(await listed('attribute:ecs.availability-zone == us-east-1a'), [0, 3]);
      assert.deepEqual(
        await listed('attribute:stack == prod and attribute:ecs.instance-type =~ t3.*'),
        [0, 1],
      );
      assert.deepEqual(
        await listed(
          'attribute:ecs.instance-type in [m5.xlarge, c5.2xlarge] and not(attribute:ecs.availability-zone == us-east-1c)',
        ),
        [3, 4],
      );
      assert.deepEqual(await listed('attribute:stack !exists'), [4, 5]);
      // RunTask's default placement is random: the 4 `member` tasks may all have landed on one
      // of instances 2 and 3, so the expected answer is where they run.
      const listedTasks = await t.ecs.send(new ListTasksCommand({ cluster: 'place' }));
      const described = await t.ecs.send(
        new DescribeTasksCommand({ cluster: 'place', tasks: listedTasks.taskArns ?? [] }),
      );
      const members = (described.tasks ?? []).filter((task) => task.group === 'member');
      const expected = [...new Set(members.map((task) => agentIndexOf(sim, task)))].sort();
      assert.ok(expected.length > 0 && expected.every((i) => i === 2 || i === 3), `${expected}`);
      assert.deepEqual(await listed('task:group == member'), expected);
    });

    it('answers a parse error with InvalidParameterException naming the position', async () => {
      const e = await awsError(() =>
        t.ecs.send(
          new ListContainerInstancesCommand({ cluster: 'place', filter: 'attribute:stack == prod and' }),
        ),
      );
      assert.equal(e.name, 'InvalidParameterException');
      assert.match(e.message, /^Invalid expression: .* at position \d+\.$/);
    });
  });
});
