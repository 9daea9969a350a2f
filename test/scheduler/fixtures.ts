/** Small builders for scheduler tests: instances, tasks and requests with sensible defaults. */
import type {
  ClusterSnapshot,
  InstanceSnapshot,
  PlacementRequest,
  TaskOnInstance,
  TaskResources,
} from '../../src/scheduler/index.ts';

/** ARN of the n-th fixture instance; ids are 32 hex characters like ECS's. */
export function instanceArn(n: number): string {
  return `arn:aws:ecs:us-east-1:123456789012:container-instance/test/${instanceId(n)}`;
}

export function instanceId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export type InstanceOverrides = Partial<Omit<InstanceSnapshot, 'registered'>> & {
  registered?: Partial<InstanceSnapshot['registered']>;
  az?: string;
  instanceType?: string;
};

/** An ACTIVE, connected t3.large-ish instance: 2048 CPU units, 8192 MiB, agent ports reserved. */
export function instance(n: number, o: InstanceOverrides = {}): InstanceSnapshot {
  const { registered, az, instanceType, attributes, ...rest } = o;
  const tasks = rest.tasks ?? [];
  return {
    arn: instanceArn(n),
    id: instanceId(n),
    ec2InstanceId: `i-${n.toString(16).padStart(17, '0')}`,
    status: 'ACTIVE',
    agentConnected: true,
    agentVersion: '1.80.0',
    registeredAt: Date.UTC(2024, 0, 1) + n * 1000,
    attributes: {
      'ecs.availability-zone': az ?? 'us-east-1a',
      'ecs.instance-type': instanceType ?? 't3.large',
      'ecs.os-type': 'linux',
      'ecs.cpu-architecture': 'x86_64',
      'ecs.ami-id': 'ami-12345678',
      ...attributes,
    },
    registered: {
      cpu: 2048,
      memory: 8192,
      tcpPorts: [22, 2375, 2376, 51678, 51679],
      udpPorts: [],
      gpuIds: [],
      ...registered,
    },
    runningTasksCount: tasks.filter((t) => t.desiredStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    ...rest,
    tasks,
  };
}

let taskCounter = 0;

export function task(o: Partial<TaskOnInstance> = {}): TaskOnInstance {
  taskCounter++;
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/test/${taskCounter.toString(16).padStart(32, '0')}`,
    group: 'family:web',
    family: 'web',
    desiredStatus: 'RUNNING',
    lastStatus: 'RUNNING',
    cpu: 0,
    memory: 0,
    gpu: 0,
    tcpPorts: [],
    udpPorts: [],
    ...o,
  };
}

export function resources(o: Partial<TaskResources> = {}): TaskResources {
  return {
    cpu: 256,
    memory: 512,
    gpu: 0,
    tcpPorts: [],
    udpPorts: [],
    dynamicTcpPorts: 0,
    dynamicUdpPorts: 0,
    networkMode: 'bridge',
    ...o,
  };
}

export function request(o: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    requestId: 'req-1',
    resources: resources(),
    count: 1,
    group: 'family:web',
    family: 'web',
    ...o,
  };
}

export function cluster(...instances: InstanceSnapshot[]): ClusterSnapshot {
  return { instances };
}

/** A deep copy, to check that placing never mutates its input. */
export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}
