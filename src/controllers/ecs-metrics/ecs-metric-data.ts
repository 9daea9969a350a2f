/**
 * CloudWatch's AWS/ECS metrics for one minute (or a shorter local period, as high-resolution data),
 * computed as ECS computes them (developer guide, "Amazon ECS CloudWatch metrics"). Pure.
 *
 * - Service (ClusterName, ServiceName): CPUUtilization = CPU units used by the service's tasks x 100
 *   / CPU units reserved by them (the task's cpu, or its containers' sum); MemoryUtilization the same
 *   with MiB.
 * - Cluster (ClusterName): CPUReservation = CPU units reserved by RUNNING tasks on container
 *   instances x 100 / CPU units the ACTIVE instances registered; CPUUtilization = CPU units those
 *   tasks used x 100 / registered; MemoryReservation / MemoryUtilization the same with MiB.
 *   Clusters without registered capacity (Fargate only) get no cluster metrics, as on ECS.
 */
import type { ContainerInstanceRecord, TaskRecord } from '../../ecs/model/records.ts';

export interface EcsMetricDatum {
  namespace: 'AWS/ECS';
  metricName: 'CPUUtilization' | 'MemoryUtilization' | 'CPUReservation' | 'MemoryReservation';
  dimensions: { name: string; value: string }[];
  timestamp: number;
  unit: 'Percent';
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** 1: a high-resolution datapoint (a pace finer than the minute, metrics-pace.ts). */
  storageResolution?: 1;
}

/** What a task reserves: its task-level size, else its containers' sum (memory: hard limit, else soft). */
export function reservationOf(record: TaskRecord): { cpu: number; memory: number } {
  const t = record.task;
  const containers = t.containers ?? [];
  const cpu = Number(t.cpu ?? 0) || containers.reduce((n, c) => n + Number(c.cpu ?? 0), 0);
  const memory =
    Number(t.memory ?? 0) ||
    containers.reduce((n, c) => n + (Number(c.memory ?? 0) || Number(c.memoryReservation ?? 0)), 0);
  return { cpu, memory };
}

function registered(instance: ContainerInstanceRecord, name: 'CPU' | 'MEMORY'): number {
  return instance.instance.registeredResources?.find((r) => r.name === name)?.integerValue ?? 0;
}

export function ecsMetricData(
  tasks: readonly TaskRecord[],
  instances: readonly ContainerInstanceRecord[],
  usage: ReadonlyMap<string, { cpuUnits: number; memoryMiB: number }>,
  minute: number,
  options: { highResolution?: boolean } = {},
): EcsMetricDatum[] {
  const out: EcsMetricDatum[] = [];
  const percent = (metricName: EcsMetricDatum['metricName'], dims: [string, string][], value: number) => {
    const v = Math.round(value * 1000) / 1000;
    out.push({
      namespace: 'AWS/ECS',
      metricName,
      dimensions: dims.map(([name, value]) => ({ name, value })),
      timestamp: minute,
      unit: 'Percent',
      sampleCount: 1,
      sum: v,
      minimum: v,
      maximum: v,
      ...(options.highResolution ? { storageResolution: 1 as const } : {}),
    });
  };
  const running = tasks.filter((r) => r.task.lastStatus === 'RUNNING');
  // Services: their tasks that reported usage this minute.
  const services = new Map<
    string,
    { cluster: string; name: string; cpu: number; memory: number; usedCpu: number; usedMemory: number }
  >();
  for (const r of running) {
    if (!r.serviceName) continue;
    const used = usage.get(r.task.taskArn ?? '');
    if (!used) continue;
    const key = `${r.clusterName}/${r.serviceName}`;
    const s = services.get(key) ?? {
      cluster: r.clusterName,
      name: r.serviceName,
      cpu: 0,
      memory: 0,
      usedCpu: 0,
      usedMemory: 0,
    };
    const reserved = reservationOf(r);
    s.cpu += reserved.cpu;
    s.memory += reserved.memory;
    s.usedCpu += used.cpuUnits;
    s.usedMemory += used.memoryMiB;
    services.set(key, s);
  }
  for (const s of services.values()) {
    const dims: [string, string][] = [
      ['ClusterName', s.cluster],
      ['ServiceName', s.name],
    ];
    if (s.cpu > 0) percent('CPUUtilization', dims, (s.usedCpu * 100) / s.cpu);
    if (s.memory > 0) percent('MemoryUtilization', dims, (s.usedMemory * 100) / s.memory);
  }
  // Clusters: capacity their ACTIVE instances registered, and what tasks on instances reserve and use.
  const clusters = new Map<
    string,
    {
      cpu: number;
      memory: number;
      reservedCpu: number;
      reservedMemory: number;
      usedCpu: number;
      usedMemory: number;
    }
  >();
  for (const i of instances) {
    if (i.instance.status !== 'ACTIVE' && i.instance.status !== 'DRAINING') continue;
    const cluster = (i.instance.containerInstanceArn ?? '').split('/').slice(-2, -1)[0] ?? '';
    const c = clusters.get(cluster) ?? {
      cpu: 0,
      memory: 0,
      reservedCpu: 0,
      reservedMemory: 0,
      usedCpu: 0,
      usedMemory: 0,
    };
    c.cpu += registered(i, 'CPU');
    c.memory += registered(i, 'MEMORY');
    clusters.set(cluster, c);
  }
  for (const r of running) {
    if (!r.task.containerInstanceArn) continue;
    const c = clusters.get(r.clusterName);
    if (!c) continue;
    const reserved = reservationOf(r);
    c.reservedCpu += reserved.cpu;
    c.reservedMemory += reserved.memory;
    const used = usage.get(r.task.taskArn ?? '');
    c.usedCpu += used?.cpuUnits ?? 0;
    c.usedMemory += used?.memoryMiB ?? 0;
  }
  for (const [cluster, c] of clusters) {
    const dims: [string, string][] = [['ClusterName', cluster]];
    if (c.cpu > 0) {
      percent('CPUReservation', dims, (c.reservedCpu * 100) / c.cpu);
      percent('CPUUtilization', dims, (c.usedCpu * 100) / c.cpu);
    }
    if (c.memory > 0) {
      percent('MemoryReservation', dims, (c.reservedMemory * 100) / c.memory);
      percent('MemoryUtilization', dims, (c.usedMemory * 100) / c.memory);
    }
  }
  return out;
}
