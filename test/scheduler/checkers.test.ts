/** Each checker, table-driven: one instance, one request, the verdict `explain` reports for it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain, type InstanceSnapshot, type PlacementRequest, Reason } from '../../src/scheduler/index.ts';
import { cluster, instance, request, resources, task } from './fixtures.ts';

type Expected = 'accepted' | { reason: string; detail: string | RegExp };

interface Case {
  name: string;
  instance: InstanceSnapshot;
  request?: Partial<PlacementRequest>;
  expected: Expected;
}

function check(cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const [only] = explain(cluster(c.instance), request(c.request)).instances;
      if (c.expected === 'accepted') {
        assert.equal(only.verdict.type, 'accepted', JSON.stringify(only.verdict));
        return;
      }
      assert.equal(only.verdict.type, 'rejected');
      if (only.verdict.type !== 'rejected') return;
      assert.equal(only.verdict.reason, c.expected.reason);
      if (typeof c.expected.detail === 'string') assert.equal(only.verdict.detail, c.expected.detail);
      else assert.match(only.verdict.detail, c.expected.detail);
    });
  }
}

describe('status, agent and launch type checkers', () => {
  check([
    { name: 'ACTIVE instance is accepted', instance: instance(1), expected: 'accepted' },
    {
      name: 'DRAINING is rejected',
      instance: instance(1, { status: 'DRAINING' }),
      expected: { reason: Reason.Status, detail: 'status DRAINING' },
    },
    {
      name: 'REGISTERING is rejected',
      instance: instance(1, { status: 'REGISTERING' }),
      expected: { reason: Reason.Status, detail: 'status REGISTERING' },
    },
    {
      name: 'INACTIVE is rejected',
      instance: instance(1, { status: 'INACTIVE' }),
      expected: { reason: Reason.Status, detail: 'status INACTIVE' },
    },
    {
      name: 'disconnected agent is AGENT',
      instance: instance(1, { agentConnected: false }),
      expected: { reason: Reason.Agent, detail: 'agent disconnected' },
    },
    {
      name: 'status is asked before the agent',
      instance: instance(1, { status: 'DRAINING', agentConnected: false }),
      expected: { reason: Reason.Status, detail: 'status DRAINING' },
    },
    {
      name: 'EC2 launch on an external instance',
      instance: instance(1, { attributes: { 'ecs.capability.external': undefined } }),
      expected: { reason: Reason.LaunchType, detail: 'EXTERNAL instance, launch type EC2' },
    },
    {
      name: 'EXTERNAL launch on an EC2 instance',
      instance: instance(1),
      request: { launchType: 'EXTERNAL' },
      expected: { reason: Reason.LaunchType, detail: 'EC2 instance, launch type EXTERNAL' },
    },
    {
      name: 'EXTERNAL launch on an external instance',
      instance: instance(1, { attributes: { 'ecs.capability.external': undefined } }),
      request: { launchType: 'EXTERNAL' },
      expected: 'accepted',
    },
  ]);
});

describe('attribute checker (requiresAttributes)', () => {
  const awslogs = 'com.amazonaws.ecs.capability.logging-driver.awslogs';
  check([
    {
      name: 'present name-only attribute',
      instance: instance(1, { attributes: { [awslogs]: undefined } }),
      request: { requiresAttributes: [{ name: awslogs }] },
      expected: 'accepted',
    },
    {
      name: 'missing attribute',
      instance: instance(1),
      request: { requiresAttributes: [{ name: awslogs }] },
      expected: { reason: Reason.Attribute, detail: `missing attribute ${awslogs}` },
    },
    {
      name: 'value must match when given',
      instance: instance(1, { attributes: { stack: 'dev' } }),
      request: { requiresAttributes: [{ name: 'stack', value: 'prod' }] },
      expected: { reason: Reason.Attribute, detail: 'missing attribute stack=prod' },
    },
    {
      name: 'matching value',
      instance: instance(1, { attributes: { stack: 'prod' } }),
      request: { requiresAttributes: [{ name: 'stack', value: 'prod' }] },
      expected: 'accepted',
    },
  ]);
});

describe('resource checkers: CPU, memory, GPU', () => {
  const busy = [
    task({ cpu: 1900, memory: 7800 }),
    task({ cpu: 500, memory: 500, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }),
  ];
  check([
    {
      name: 'fits exactly',
      instance: instance(1, { registered: { cpu: 256, memory: 512 } }),
      expected: 'accepted',
    },
    {
      name: 'short of CPU',
      instance: instance(1, { tasks: busy }),
      request: { resources: resources({ cpu: 256, memory: 64 }) },
      expected: { reason: Reason.Cpu, detail: 'short 108 CPU units' },
    },
    {
      name: 'short of memory',
      instance: instance(1, { tasks: busy }),
      request: { resources: resources({ cpu: 64, memory: 512 }) },
      expected: { reason: Reason.Memory, detail: 'short 120 MiB memory' },
    },
    {
      name: 'CPU is asked before memory',
      instance: instance(1, { tasks: busy }),
      expected: { reason: Reason.Cpu, detail: 'short 108 CPU units' },
    },
    {
      name: 'stopped tasks free their resources',
      instance: instance(1, { tasks: [busy[1]], registered: { cpu: 256, memory: 512 } }),
      expected: 'accepted',
    },
    {
      name: 'pending tasks hold resources',
      instance: instance(1, {
        registered: { cpu: 256, memory: 1024 },
        tasks: [task({ cpu: 1, memory: 1, lastStatus: 'PENDING' })],
      }),
      expected: { reason: Reason.Cpu, detail: 'short 1 CPU units' },
    },
    {
      name: 'no GPUs on the instance',
      instance: instance(1),
      request: { resources: resources({ gpu: 1 }) },
      expected: { reason: Reason.Gpu, detail: 'no GPUs' },
    },
    {
      name: 'GPUs all assigned',
      instance: instance(1, { registered: { gpuIds: ['g0', 'g1'] }, tasks: [task({ gpu: 1 })] }),
      request: { resources: resources({ gpu: 2 }) },
      expected: { reason: Reason.Gpu, detail: 'short 1 GPU' },
    },
    {
      name: 'GPUs free',
      instance: instance(1, { registered: { gpuIds: ['g0', 'g1'] } }),
      request: { resources: resources({ gpu: 2 }) },
      expected: 'accepted',
    },
  ]);
});

describe('ports checker', () => {
  const range = { first: 50000, last: 50003 };
  check([
    {
      name: 'agent-reserved port',
      instance: instance(1),
      request: { resources: resources({ tcpPorts: [22] }) },
      expected: { reason: Reason.Ports, detail: 'port 22/tcp in use' },
    },
    {
      name: 'port held by a task',
      instance: instance(1, { tasks: [task({ tcpPorts: [80] })] }),
      request: { resources: resources({ tcpPorts: [80, 443] }) },
      expected: { reason: Reason.Ports, detail: 'port 80/tcp in use' },
    },
    {
      name: 'same number on the other protocol is free',
      instance: instance(1, { tasks: [task({ tcpPorts: [53] })] }),
      request: { resources: resources({ udpPorts: [53] }) },
      expected: 'accepted',
    },
    {
      name: 'udp conflict',
      instance: instance(1, { tasks: [task({ udpPorts: [53] })] }),
      request: { resources: resources({ udpPorts: [53] }) },
      expected: { reason: Reason.Ports, detail: 'port 53/udp in use' },
    },
    {
      name: 'a stopped task releases its port',
      instance: instance(1, { tasks: [task({ tcpPorts: [80], lastStatus: 'STOPPED' })] }),
      request: { resources: resources({ tcpPorts: [80] }) },
      expected: 'accepted',
    },
    {
      name: '100 reserved ports limit',
      instance: instance(1, { registered: { tcpPorts: Array.from({ length: 99 }, (_, i) => 1000 + i) } }),
      request: { resources: resources({ tcpPorts: [80, 81] }) },
      expected: { reason: Reason.Ports, detail: '99 of 100 tcp ports reserved' },
    },
    {
      name: 'dynamic range exhausted by held and pending ports',
      instance: instance(1, {
        dynamicPortRange: range,
        tasks: [task({ tcpPorts: [50000, 50001] }), task({ pendingDynamicTcpPorts: 1 })],
      }),
      request: { resources: resources({ dynamicTcpPorts: 2 }) },
      expected: { reason: Reason.Ports, detail: '1 of 2 dynamic tcp ports free' },
    },
    {
      name: 'dynamic ports do not count toward the 100 limit',
      instance: instance(1, {
        dynamicPortRange: range,
        registered: { tcpPorts: Array.from({ length: 100 }, (_, i) => 1000 + i) },
      }),
      request: { resources: resources({ dynamicTcpPorts: 4 }) },
      expected: 'accepted',
    },
    {
      name: 'dynamic udp range',
      instance: instance(1, { dynamicPortRange: range }),
      request: { resources: resources({ dynamicUdpPorts: 5 }) },
      expected: { reason: Reason.Ports, detail: '4 of 5 dynamic udp ports free' },
    },
  ]);
});

describe('constraint checkers: memberOf and distinctInstance', () => {
  const memberOf = (expression: string) => ({
    placementConstraints: [{ type: 'memberOf' as const, expression }],
  });
  check([
    {
      name: 'memberOf matches',
      instance: instance(1, { instanceType: 't2.micro' }),
      request: memberOf('attribute:ecs.instance-type =~ t2.*'),
      expected: 'accepted',
    },
    {
      name: 'memberOf does not match',
      instance: instance(1),
      request: memberOf('attribute:ecs.instance-type =~ t2.*'),
      expected: { reason: Reason.MemberOf, detail: "not matched by 'attribute:ecs.instance-type =~ t2.*'" },
    },
    {
      name: 'task definition constraints apply too',
      instance: instance(1),
      request: { taskDefinitionConstraints: [{ type: 'memberOf', expression: 'attribute:stack exists' }] },
      expected: { reason: Reason.MemberOf, detail: /attribute:stack exists/ },
    },
    {
      name: 'task affinity: runs a task of the group',
      instance: instance(1, { tasks: [task({ group: 'databases' })] }),
      request: memberOf('task:group == databases'),
      expected: 'accepted',
    },
    {
      name: 'task affinity: does not',
      instance: instance(1),
      request: memberOf('task:group == databases'),
      expected: { reason: Reason.MemberOf, detail: /task:group/ },
    },
    {
      name: 'anti-affinity',
      instance: instance(1, { tasks: [task({ group: 'databases' })] }),
      request: memberOf('not(task:group == databases)'),
      expected: { reason: Reason.MemberOf, detail: /not\(task:group/ },
    },
    {
      name: 'runningTasksCount',
      instance: instance(1, { tasks: [task(), task()] }),
      request: memberOf('runningTasksCount < 2'),
      expected: { reason: Reason.MemberOf, detail: /runningTasksCount/ },
    },
    {
      name: 'resources are asked before constraints',
      instance: instance(1, { registered: { memory: 100 } }),
      request: memberOf('attribute:nope exists'),
      expected: { reason: Reason.Memory, detail: 'short 412 MiB memory' },
    },
    {
      name: 'distinctInstance: no task of the group',
      instance: instance(1, { tasks: [task({ group: 'other' })] }),
      request: { placementConstraints: [{ type: 'distinctInstance' }] },
      expected: 'accepted',
    },
    {
      name: 'distinctInstance: a task of the group is there',
      instance: instance(1, { tasks: [task({ group: 'family:web' })] }),
      request: { placementConstraints: [{ type: 'distinctInstance' }] },
      expected: { reason: Reason.DistinctInstance, detail: 'runs 1 task(s) of group family:web' },
    },
  ]);
});
