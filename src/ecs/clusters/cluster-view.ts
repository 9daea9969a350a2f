/** Builds the `Cluster` shape ECS returns, with counts computed from the cluster's records. */
import type { Cluster } from '@aws-sdk/client-ecs';
import { Kind, type Reader } from '../../store/store.ts';
import {
  type ClusterRecord,
  type ContainerInstanceRecord,
  keys,
  type ServiceRecord,
  type TaskRecord,
} from '../model/records.ts';

export const ClusterInclude = ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'] as const;
export type ClusterInclude = (typeof ClusterInclude)[number];

/** Counts of what a cluster holds, as DescribeClusters reports them. */
export async function clusterCounts(reader: Reader, name: string) {
  const prefix = keys.inCluster(name);
  const instances = await reader.list<ContainerInstanceRecord>(Kind.ContainerInstance, { prefix });
  const tasks = await reader.list<TaskRecord>(Kind.Task, { prefix });
  const services = await reader.list<ServiceRecord>(Kind.Service, { prefix });
  /** Running and pending tasks, and active and draining services, per launch target. */
  const by = { EC2: zero(), FARGATE: zero(), EXTERNAL: zero() };
  let running = 0;
  let pending = 0;
  for (const t of tasks) {
    const c = by[targetOf(t.value.task.launchType)];
    if (t.value.task.lastStatus === 'RUNNING') {
      running++;
      c.running++;
    } else if (t.value.task.lastStatus !== 'STOPPED') {
      pending++;
      c.pending++;
    }
  }
  for (const s of services) {
    const service = s.value.service;
    // A service on a capacity provider strategy runs on Fargate (the only providers there are).
    const c = by[service.capacityProviderStrategy?.length ? 'FARGATE' : targetOf(service.launchType)];
    if (service.status === 'ACTIVE') c.active++;
    else if (service.status === 'DRAINING') c.draining++;
  }
  return {
    registeredContainerInstancesCount: instances.filter((i) =>
      ['ACTIVE', 'DRAINING'].includes(i.value.instance.status ?? ''),
    ).length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: services.filter((s) => s.value.service.status === 'ACTIVE').length,
    drainingServicesCount: services.filter((s) => s.value.service.status === 'DRAINING').length,
    by,
  };
}

function zero() {
  return { running: 0, pending: 0, active: 0, draining: 0 };
}

function targetOf(launchType: string | undefined): 'EC2' | 'FARGATE' | 'EXTERNAL' {
  return launchType === 'FARGATE' ? 'FARGATE' : launchType === 'EXTERNAL' ? 'EXTERNAL' : 'EC2';
}

/** The Cluster shape; `include` adds the optional parts as DescribeClusters does. */
export async function clusterView(
  reader: Reader,
  record: ClusterRecord,
  include: readonly string[] = [],
): Promise<Cluster> {
  const counts = await clusterCounts(reader, record.clusterName);
  const view: Cluster = {
    clusterArn: record.clusterArn,
    clusterName: record.clusterName,
    status: record.status,
    registeredContainerInstancesCount: counts.registeredContainerInstancesCount,
    runningTasksCount: counts.runningTasksCount,
    pendingTasksCount: counts.pendingTasksCount,
    activeServicesCount: counts.activeServicesCount,
    statistics: [],
    tags: [],
    settings: [],
    capacityProviders: record.capacityProviders,
    defaultCapacityProviderStrategy: record.defaultCapacityProviderStrategy,
  };
  if (include.includes('TAGS')) view.tags = record.tags;
  if (include.includes('SETTINGS')) view.settings = record.settings;
  if (include.includes('CONFIGURATIONS') && record.configuration) view.configuration = record.configuration;
  if (include.includes('ATTACHMENTS')) view.attachments = [];
  if (record.serviceConnectDefaults) view.serviceConnectDefaults = record.serviceConnectDefaults;
  if (include.includes('STATISTICS')) {
    const { EC2, FARGATE, EXTERNAL } = counts.by;
    view.statistics = [
      { name: 'runningEC2TasksCount', value: String(EC2.running) },
      { name: 'runningFargateTasksCount', value: String(FARGATE.running) },
      { name: 'pendingEC2TasksCount', value: String(EC2.pending) },
      { name: 'pendingFargateTasksCount', value: String(FARGATE.pending) },
      { name: 'runningExternalTasksCount', value: String(EXTERNAL.running) },
      { name: 'pendingExternalTasksCount', value: String(EXTERNAL.pending) },
      { name: 'activeEC2ServiceCount', value: String(EC2.active) },
      { name: 'activeFargateServiceCount', value: String(FARGATE.active) },
      { name: 'drainingEC2ServiceCount', value: String(EC2.draining) },
      { name: 'drainingFargateServiceCount', value: String(FARGATE.draining) },
      { name: 'activeExternalServiceCount', value: String(EXTERNAL.active) },
      { name: 'drainingExternalServiceCount', value: String(EXTERNAL.draining) },
    ];
  }
  return view;
}
