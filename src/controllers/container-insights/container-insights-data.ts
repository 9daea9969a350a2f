/**
 * CloudWatch Container Insights for ECS (CloudWatch user guide, "Amazon ECS Container Insights
 * metrics"): the `ECS/ContainerInsights` metrics of clusters whose `containerInsights` setting is
 * `enabled` or `enhanced`, for one period, from the tasks' usage and the store. Pure.
 *
 * - ClusterName; ClusterName+ServiceName; ClusterName+TaskDefinitionFamily: CpuUtilized and
 *   CpuReserved (CPU units, unit None), MemoryUtilized and MemoryReserved (Megabytes),
 *   NetworkRxBytes and NetworkTxBytes (Bytes/Second), StorageReadBytes and StorageWriteBytes
 *   (Bytes). Reserved counts every RUNNING task; the others the tasks that reported usage.
 * - ClusterName+ServiceName: RunningTaskCount, PendingTaskCount, DesiredTaskCount,
 *   DeploymentCount, TaskSetCount (Count), for every ACTIVE service.
 * - ClusterName: ContainerInstanceCount, ServiceCount, TaskCount (Count).
 * - `enhanced` adds the task level, ClusterName+TaskDefinitionFamily+TaskId: the usage metrics
 *   above and TaskCpuUtilization / TaskMemoryUtilization (Percent of the task's reservation).
 */
import type { MetricDatum } from '../../cloudwatch/model/metric-data.ts';
import type {
  ClusterRecord,
  ContainerInstanceRecord,
  ServiceRecord,
  TaskRecord,
} from '../../ecs/model/records.ts';
import { reservationOf } from '../ecs-metrics/ecs-metric-data.ts';
import type { PeriodUsage } from '../ecs-metrics/usage-window.ts';

export const INSIGHTS_NAMESPACE = 'ECS/ContainerInsights';

export type InsightsLevel = 'enabled' | 'enhanced';

/** The cluster's Container Insights level, or undefined when it is off. */
export function insightsLevel(cluster: ClusterRecord): InsightsLevel | undefined {
  const value = cluster.settings.find((s) => s.name === 'containerInsights')?.value;
  return value === 'enabled' || value === 'enhanced' ? value : undefined;
}

export interface InsightsInput {
  clusters: readonly ClusterRecord[];
  services: readonly ServiceRecord[];
  tasks: readonly TaskRecord[];
  instances: readonly ContainerInstanceRecord[];
  usage: ReadonlyMap<string, PeriodUsage>;
  /** Epoch ms of the period's start. */
  timestamp: number;
  highResolution?: boolean;
}

/** `family` of a task definition ARN (`...:task-definition/family:3`). */
export const familyOf = (taskDefinitionArn: string | undefined) =>
  (taskDefinitionArn ?? '').split('/').pop()?.split(':')[0] ?? '';
/** The last segment of an ARN: a task's or container instance's id. */
export const idOf = (arn: string | undefined) => (arn ?? '').split('/').pop() ?? '';

const PENDING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

/** Sums of one group of tasks (a cluster, a service, a family, a task). */
interface Totals {
  cpuReserved: number;
  memoryReserved: number;
  reporting: number;
  cpu: number;
  memory: number;
  rx?: number;
  tx?: number;
  read?: number;
  write?: number;
}

const emptyTotals = (): Totals => ({ cpuReserved: 0, memoryReserved: 0, reporting: 0, cpu: 0, memory: 0 });

function add(t: Totals, task: TaskRecord, used: PeriodUsage | undefined): void {
  const reserved = reservationOf(task);
  t.cpuReserved += reserved.cpu;
  t.memoryReserved += reserved.memory;
  if (!used) return;
  t.reporting += 1;
  t.cpu += used.cpuUnits;
  t.memory += used.memoryMiB;
  const sum = (k: 'rx' | 'tx' | 'read' | 'write', v: number | undefined) => {
    if (v !== undefined) t[k] = (t[k] ?? 0) + v;
  };
  sum('rx', used.networkRxBytesPerSecond);
  sum('tx', used.networkTxBytesPerSecond);
  sum('read', used.storageReadBytes);
  sum('write', used.storageWriteBytes);
}

export function containerInsightsData(input: InsightsInput): MetricDatum[] {
  const out: MetricDatum[] = [];
  const levels = new Map<string, InsightsLevel>();
  for (const c of input.clusters) {
    const level = c.status === 'ACTIVE' ? insightsLevel(c) : undefined;
    if (level) levels.set(c.clusterName, level);
  }
  if (levels.size === 0) return out;
  const datum = (metricName: string, dims: [string, string][], unit: string, value: number) => {
    const v = Math.round(value * 1000) / 1000;
    out.push({
      namespace: INSIGHTS_NAMESPACE,
      metricName,
      dimensions: dims.map(([name, value]) => ({ name, value })),
      timestamp: input.timestamp,
      unit,
      sampleCount: 1,
      sum: v,
      minimum: v,
      maximum: v,
      ...(input.highResolution ? { storageResolution: 1 } : {}),
    });
  };
  const usageMetrics = (dims: [string, string][], t: Totals) => {
    datum('CpuReserved', dims, 'None', t.cpuReserved);
    datum('MemoryReserved', dims, 'Megabytes', t.memoryReserved);
    if (t.reporting === 0) return;
    datum('CpuUtilized', dims, 'None', t.cpu);
    datum('MemoryUtilized', dims, 'Megabytes', t.memory);
    if (t.rx !== undefined) datum('NetworkRxBytes', dims, 'Bytes/Second', t.rx);
    if (t.tx !== undefined) datum('NetworkTxBytes', dims, 'Bytes/Second', t.tx);
    if (t.read !== undefined) datum('StorageReadBytes', dims, 'Bytes', t.read);
    if (t.write !== undefined) datum('StorageWriteBytes', dims, 'Bytes', t.write);
  };
  const groups = new Map<string, { dims: [string, string][]; totals: Totals }>();
  const group = (dims: [string, string][]) => {
    const key = JSON.stringify(dims);
    let g = groups.get(key);
    if (!g) {
      g = { dims, totals: emptyTotals() };
      groups.set(key, g);
    }
    return g.totals;
  };
  const taskCount = new Map<string, number>();
  const serviceTasks = new Map<string, { running: number; pending: number }>();
  for (const r of input.tasks) {
    const cluster = r.clusterName;
    const level = levels.get(cluster);
    if (!level) continue;
    const status = r.task.lastStatus ?? '';
    if (r.serviceName && (status === 'RUNNING' || PENDING.has(status))) {
      const key = `${cluster}/${r.serviceName}`;
      const s = serviceTasks.get(key) ?? { running: 0, pending: 0 };
      if (status === 'RUNNING') s.running += 1;
      else s.pending += 1;
      serviceTasks.set(key, s);
    }
    if (status !== 'RUNNING') continue;
    taskCount.set(cluster, (taskCount.get(cluster) ?? 0) + 1);
    const used = input.usage.get(r.task.taskArn ?? '');
    const family = familyOf(r.task.taskDefinitionArn);
    add(group([['ClusterName', cluster]]), r, used);
    add(
      group([
        ['ClusterName', cluster],
        ['TaskDefinitionFamily', family],
      ]),
      r,
      used,
    );
    if (r.serviceName)
      add(
        group([
          ['ClusterName', cluster],
          ['ServiceName', r.serviceName],
        ]),
        r,
        used,
      );
    if (level === 'enhanced') {
      const dims: [string, string][] = [
        ['ClusterName', cluster],
        ['TaskDefinitionFamily', family],
        ['TaskId', idOf(r.task.taskArn)],
      ];
      add(group(dims), r, used);
      const reserved = reservationOf(r);
      if (used && reserved.cpu > 0)
        datum('TaskCpuUtilization', dims, 'Percent', (used.cpuUnits * 100) / reserved.cpu);
      if (used && reserved.memory > 0)
        datum('TaskMemoryUtilization', dims, 'Percent', (used.memoryMiB * 100) / reserved.memory);
    }
  }
  for (const g of groups.values()) usageMetrics(g.dims, g.totals);
  // Services: their task counts and deployments, whether or not they reported usage.
  const serviceCount = new Map<string, number>();
  for (const r of input.services) {
    const cluster = r.clusterName;
    if (!levels.has(cluster) || r.service.status !== 'ACTIVE') continue;
    const name = r.service.serviceName ?? '';
    serviceCount.set(cluster, (serviceCount.get(cluster) ?? 0) + 1);
    const dims: [string, string][] = [
      ['ClusterName', cluster],
      ['ServiceName', name],
    ];
    const counts = serviceTasks.get(`${cluster}/${name}`) ?? { running: 0, pending: 0 };
    datum('RunningTaskCount', dims, 'Count', counts.running);
    datum('PendingTaskCount', dims, 'Count', counts.pending);
    datum('DesiredTaskCount', dims, 'Count', r.service.desiredCount ?? 0);
    datum('DeploymentCount', dims, 'Count', r.service.deployments?.length ?? 0);
    datum('TaskSetCount', dims, 'Count', r.service.taskSets?.length ?? 0);
  }
  // Clusters: their registered instances, services and running tasks.
  const instanceCount = new Map<string, number>();
  for (const i of input.instances) {
    if (i.instance.status !== 'ACTIVE' && i.instance.status !== 'DRAINING') continue;
    instanceCount.set(i.clusterName, (instanceCount.get(i.clusterName) ?? 0) + 1);
  }
  for (const cluster of levels.keys()) {
    const dims: [string, string][] = [['ClusterName', cluster]];
    datum('ContainerInstanceCount', dims, 'Count', instanceCount.get(cluster) ?? 0);
    datum('ServiceCount', dims, 'Count', serviceCount.get(cluster) ?? 0);
    datum('TaskCount', dims, 'Count', taskCount.get(cluster) ?? 0);
  }
  return out;
}
