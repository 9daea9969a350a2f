/** One container instance as the scheduler sees it, built from its record and the tasks that hold resources on it. */
import type { InstanceSnapshot, TaskOnInstance } from '../../../scheduler/index.ts';
import type { ContainerInstanceRecord, TaskRecord } from '../records.ts';
import { PORT_RANGE_ATTRIBUTE } from '../../../core/agent-protocol.ts';

/** The attribute agents register to advertise their dynamic host port range (`first-last`). */
export { PORT_RANGE_ATTRIBUTE };

export function instanceSnapshot(record: ContainerInstanceRecord, tasks: TaskOnInstance[]): InstanceSnapshot {
  const i = record.instance;
  const resource = (name: string) => i.registeredResources?.find((r) => r.name === name);
  const attributes: Record<string, string | undefined> = {};
  for (const a of i.attributes ?? []) if (a.name) attributes[a.name] = a.value;
  const range = /^(\d+)-(\d+)$/.exec(attributes[PORT_RANGE_ATTRIBUTE] ?? '');
  const snapshot: InstanceSnapshot = {
    arn: i.containerInstanceArn ?? '',
    id: (i.containerInstanceArn ?? '').split('/').pop() ?? '',
    ec2InstanceId: i.ec2InstanceId ?? '',
    status: i.status ?? 'ACTIVE',
    agentConnected: i.agentConnected ?? false,
    agentVersion: i.versionInfo?.agentVersion,
    registeredAt: (i.registeredAt ?? 0) * 1000,
    attributes,
    registered: {
      cpu: resource('CPU')?.integerValue ?? 0,
      memory: resource('MEMORY')?.integerValue ?? 0,
      tcpPorts: (resource('PORTS')?.stringSetValue ?? []).map(Number),
      udpPorts: (resource('PORTS_UDP')?.stringSetValue ?? []).map(Number),
      gpuIds: resource('GPU')?.stringSetValue ?? [],
    },
    ...taskCounts(tasks),
  };
  return range
    ? { ...snapshot, dynamicPortRange: { first: Number(range[1]), last: Number(range[2]) } }
    : snapshot;
}

/** `instance` with another set of tasks (and the counters that follow from them). */
export function withInstanceTasks(instance: InstanceSnapshot, tasks: TaskOnInstance[]): InstanceSnapshot {
  return { ...instance, ...taskCounts(tasks) };
}

function taskCounts(
  tasks: TaskOnInstance[],
): Pick<InstanceSnapshot, 'tasks' | 'runningTasksCount' | 'pendingTasksCount'> {
  let running = 0;
  let pending = 0;
  for (const t of tasks) {
    if (t.desiredStatus === 'RUNNING') running++;
    if (t.lastStatus === 'PENDING') pending++;
  }
  return { tasks, runningTasksCount: running, pendingTasksCount: pending };
}

/** A task as placement sees it: its reservation, plus the dynamic host ports the agent reported. */
export function taskOnInstance(record: TaskRecord): TaskOnInstance {
  const r = record.reservation ?? {
    cpu: 0,
    memory: 0,
    gpu: 0,
    tcpPorts: [],
    udpPorts: [],
    dynamicTcpPorts: 0,
    dynamicUdpPorts: 0,
  };
  const bound = { tcp: [] as number[], udp: [] as number[] };
  for (const c of record.task.containers ?? []) {
    for (const b of c.networkBindings ?? []) {
      if (b.hostPort === undefined) continue;
      const list = b.protocol === 'udp' ? bound.udp : bound.tcp;
      const statics = b.protocol === 'udp' ? r.udpPorts : r.tcpPorts;
      if (!statics.includes(b.hostPort) && !list.includes(b.hostPort)) list.push(b.hostPort);
    }
  }
  const td = record.task.taskDefinitionArn?.split('/').pop() ?? '';
  return {
    taskArn: record.task.taskArn ?? '',
    group: record.task.group ?? '',
    family: td.split(':')[0],
    desiredStatus: record.task.desiredStatus ?? 'RUNNING',
    lastStatus: record.task.lastStatus ?? 'PENDING',
    cpu: r.cpu,
    memory: r.memory,
    gpu: r.gpu,
    tcpPorts: [...r.tcpPorts, ...bound.tcp],
    udpPorts: [...r.udpPorts, ...bound.udp],
    pendingDynamicTcpPorts: Math.max(0, r.dynamicTcpPorts - bound.tcp.length),
    pendingDynamicUdpPorts: Math.max(0, r.dynamicUdpPorts - bound.udp.length),
  };
}
