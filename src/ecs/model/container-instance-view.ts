/** The Wire<ContainerInstance> shape ECS returns (DescribeContainerInstances, and the ECS events that show an instance): the record plus remaining resources and task counts. */
import type { Wire } from '../../core/wire.ts';
import type { ContainerInstance, Resource } from '@aws-sdk/client-ecs';
import { Kind, type Reader } from '../../store/store.ts';
import { type ContainerInstanceRecord, keys, type Reservation, type TaskRecord } from './records.ts';

/** Reservations of the tasks that hold resources on each instance, by instance ARN. */
export async function reservationsByInstance(
  reader: Reader,
  cluster: string,
): Promise<Map<string, TaskRecord[]>> {
  const out = new Map<string, TaskRecord[]>();
  for (const { value } of await reader.list<TaskRecord>(Kind.Task, {
    prefix: keys.inCluster(cluster),
  })) {
    const arn = value.task.containerInstanceArn;
    if (!arn || value.task.lastStatus === 'STOPPED') continue;
    let list = out.get(arn);
    if (!list) {
      list = [];
      out.set(arn, list);
    }
    list.push(value);
  }
  return out;
}

/** Registered resources minus what `tasks` hold, in ECS's Resource shapes. */
export function remainingResources(
  registered: readonly Resource[],
  tasks: readonly TaskRecord[],
): Resource[] {
  const held = { cpu: 0, memory: 0, gpu: 0, tcp: [] as number[], udp: [] as number[] };
  for (const t of tasks) {
    const r: Reservation | undefined = t.reservation;
    if (!r) continue;
    held.cpu += r.cpu;
    held.memory += r.memory;
    held.gpu += r.gpu;
    held.tcp.push(...r.tcpPorts);
    held.udp.push(...r.udpPorts);
  }
  return registered.map((res) => {
    switch (res.name) {
      case 'CPU':
        return { ...res, integerValue: (res.integerValue ?? 0) - held.cpu };
      case 'MEMORY':
        return { ...res, integerValue: (res.integerValue ?? 0) - held.memory };
      case 'PORTS':
        return { ...res, stringSetValue: [...(res.stringSetValue ?? []), ...held.tcp.map(String)] };
      case 'PORTS_UDP':
        return { ...res, stringSetValue: [...(res.stringSetValue ?? []), ...held.udp.map(String)] };
      case 'GPU':
        return { ...res, stringSetValue: (res.stringSetValue ?? []).slice(held.gpu) };
      default:
        return res;
    }
  });
}

export function instanceView(
  record: ContainerInstanceRecord,
  tasks: readonly TaskRecord[],
  include: readonly string[] = [],
): Wire<ContainerInstance> {
  const { tags, healthStatus, ...rest } = record.instance;
  const view: Wire<ContainerInstance> = {
    ...rest,
    remainingResources: remainingResources(record.instance.registeredResources ?? [], tasks),
    runningTasksCount: tasks.filter((t) => t.task.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.task.lastStatus !== 'RUNNING').length,
  };
  if (include.includes('TAGS')) view.tags = tags ?? [];
  if (include.includes('CONTAINER_INSTANCE_HEALTH') && healthStatus) view.healthStatus = healthStatus;
  return view;
}
