/** Builds the scheduler's immutable ClusterSnapshot from a cluster's instance and task records. */
import type { ClusterSnapshot, InstanceSnapshot, TaskOnInstance } from '../../scheduler/index.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { type ContainerInstanceRecord, keys, type TaskRecord } from '../records.ts';

/** The attribute agents register to advertise their dynamic host port range (`first-last`). */
export const PORT_RANGE_ATTRIBUTE = 'longshore.dynamic-host-port-range';

export async function clusterSnapshot(reader: Reader, cluster: string): Promise<ClusterSnapshot> {
  const prefix = keys.inCluster(cluster);
  const instances = await reader.list<ContainerInstanceRecord>(Kind.ContainerInstance, { prefix });
  const tasksByInstance = new Map<string, TaskOnInstance[]>();
  for (const { value } of await reader.list<TaskRecord>(Kind.Task, { prefix })) {
    const arn = value.task.containerInstanceArn;
    if (!arn || value.task.lastStatus === 'STOPPED') continue;
    let list = tasksByInstance.get(arn);
    if (!list) tasksByInstance.set(arn, (list = []));
    list.push(taskOnInstance(value));
  }
  return {
    instances: instances
      .filter((r) => r.value.instance.status !== 'INACTIVE')
      .map((r) =>
        instanceSnapshot(r.value, tasksByInstance.get(r.value.instance.containerInstanceArn ?? '') ?? []),
      ),
  };
}

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
    tasks,
    runningTasksCount: tasks.filter((t) => t.desiredStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
  };
  return range
    ? { ...snapshot, dynamicPortRange: { first: Number(range[1]), last: Number(range[2]) } }
    : snapshot;
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
