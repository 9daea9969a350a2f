/** taskResources: ECS's accounting of cpu, memory, GPUs and host ports from a task definition. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import { placementRequest, taskResources } from '../../src/scheduler/index.ts';

const td = (containers: ContainerDefinition[], extra: Partial<TaskDefinition> = {}): TaskDefinition => ({
  family: 'web',
  containerDefinitions: containers,
  ...extra,
});

describe('taskResources: cpu and memory', () => {
  const cases: [string, TaskDefinition, { cpu: number; memory: number }][] = [
    [
      'sums container cpu and hard limits',
      td([
        { name: 'a', cpu: 256, memory: 512 },
        { name: 'b', cpu: 128, memory: 256 },
      ]),
      { cpu: 384, memory: 768 },
    ],
    [
      'prefers memoryReservation over memory',
      td([
        { name: 'a', memory: 512 },
        { name: 'b', memory: 300, memoryReservation: 128 },
      ]),
      { cpu: 0, memory: 640 },
    ],
    ['uses memoryReservation alone', td([{ name: 'a', memoryReservation: 200 }]), { cpu: 0, memory: 200 }],
    [
      'task-level values win',
      td([{ name: 'a', cpu: 100, memory: 100 }], { cpu: '1024', memory: '2048' }),
      { cpu: 1024, memory: 2048 },
    ],
    [
      'reads vCPU and GB units',
      td([{ name: 'a' }], { cpu: '0.5 vCPU', memory: '1 GB' }),
      { cpu: 512, memory: 1024 },
    ],
    ['reads GiB', td([{ name: 'a' }], { cpu: '2 vcpu', memory: '4GiB' }), { cpu: 2048, memory: 4096 }],
  ];
  for (const [name, definition, expected] of cases) {
    it(name, () => {
      const r = taskResources(definition);
      assert.deepEqual({ cpu: r.cpu, memory: r.memory }, expected);
    });
  }

  it('applies RunTask overrides: task level and per container by name', () => {
    const definition = td([
      { name: 'a', cpu: 256, memory: 512 },
      { name: 'b', cpu: 256, memory: 512 },
    ]);
    const r = taskResources(definition, {
      containerOverrides: [{ name: 'b', cpu: 1024, memoryReservation: 64 }],
    });
    assert.deepEqual({ cpu: r.cpu, memory: r.memory }, { cpu: 1280, memory: 576 });
    const t = taskResources(definition, { cpu: '4096', memory: '8192' });
    assert.deepEqual({ cpu: t.cpu, memory: t.memory }, { cpu: 4096, memory: 8192 });
  });

  it('counts GPUs from resourceRequirements (overrides replace them)', () => {
    const definition = td([
      { name: 'a', memory: 100, resourceRequirements: [{ type: 'GPU', value: '2' }] },
      { name: 'b', memory: 100, resourceRequirements: [{ type: 'GPU', value: '1' }] },
    ]);
    assert.equal(taskResources(definition).gpu, 3);
    assert.equal(
      taskResources(definition, { containerOverrides: [{ name: 'a', resourceRequirements: [] }] }).gpu,
      1,
    );
  });
});

describe('taskResources: host ports per network mode', () => {
  const mappings: ContainerDefinition['portMappings'] = [
    { containerPort: 80, hostPort: 8080 },
    { containerPort: 443 },
    { containerPort: 53, hostPort: 0, protocol: 'udp' },
    { containerPort: 9000, hostPort: 9000, protocol: 'udp' },
    { containerPortRange: '7000-7009' },
  ];
  const cases: [string, string | undefined, object][] = [
    [
      'bridge (default): static hostPort, dynamic when 0 or omitted, ranges dynamic',
      undefined,
      { tcpPorts: [8080], udpPorts: [9000], dynamicTcpPorts: 11, dynamicUdpPorts: 1 },
    ],
    // (containerPortRange needs bridge or awsvpc, so host mode has no range to count)
    [
      'host: hostPort or containerPort, all static',
      'host',
      { tcpPorts: [443, 8080], udpPorts: [53, 9000], dynamicTcpPorts: 0, dynamicUdpPorts: 0 },
    ],
    [
      'awsvpc: no host ports',
      'awsvpc',
      { tcpPorts: [], udpPorts: [], dynamicTcpPorts: 0, dynamicUdpPorts: 0 },
    ],
    ['none: no host ports', 'none', { tcpPorts: [], udpPorts: [], dynamicTcpPorts: 0, dynamicUdpPorts: 0 }],
  ];
  for (const [name, networkMode, expected] of cases) {
    it(name, () => {
      const r = taskResources(
        td(
          [{ name: 'a', memory: 64, portMappings: mappings }],
          networkMode ? { networkMode: networkMode as 'host' } : {},
        ),
      );
      assert.deepEqual(
        {
          tcpPorts: r.tcpPorts,
          udpPorts: r.udpPorts,
          dynamicTcpPorts: r.dynamicTcpPorts,
          dynamicUdpPorts: r.dynamicUdpPorts,
        },
        expected,
      );
    });
  }
});

describe('placementRequest', () => {
  it("carries the definition's constraints, attributes and compatibilities, group family:<family> by default", () => {
    const definition = td([{ name: 'a', memory: 128 }], {
      requiresCompatibilities: ['EC2'],
      requiresAttributes: [{ name: 'ecs.capability.task-eni' }],
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }],
    });
    const r = placementRequest({ requestId: 'r1', taskDefinition: definition, count: 3 });
    assert.equal(r.group, 'family:web');
    assert.equal(r.count, 3);
    assert.equal(r.resources.memory, 128);
    assert.deepEqual(r.requiresAttributes, [{ name: 'ecs.capability.task-eni' }]);
    assert.deepEqual(r.taskDefinitionConstraints, [
      { type: 'memberOf', expression: 'attribute:stack == prod' },
    ]);
    assert.equal(
      placementRequest({ requestId: 'r2', taskDefinition: definition, group: 'service:web' }).group,
      'service:web',
    );
  });
});
