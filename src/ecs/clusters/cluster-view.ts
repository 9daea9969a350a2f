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
  let running = 0;
  let pending = 0;
  for (const t of tasks) {
    if (t.value.task.lastStatus === 'RUNNING') running++;
    else if (t.value.task.lastStatus !== 'STOPPED') pending++;
  }
  return {
    registeredContainerInstancesCount: instances.filter((i) =>
      ['ACTIVE', 'DRAINING'].includes(i.value.instance.status ?? ''),
    ).length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: services.filter((s) => s.value.service.status === 'ACTIVE').length,
    drainingServicesCount: services.filter((s) => s.value.service.status === 'DRAINING').length,
  };
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
    view.statistics = [
      { name: 'runningEC2TasksCount', value: String(counts.runningTasksCount) },
      { name: 'runningFargateTasksCount', value: '0' },
      { name: 'pendingEC2TasksCount', value: String(counts.pendingTasksCount) },
      { name: 'pendingFargateTasksCount', value: '0' },
      { name: 'runningExternalTasksCount', value: '0' },
      { name: 'pendingExternalTasksCount', value: '0' },
      { name: 'activeEC2ServiceCount', value: String(counts.activeServicesCount) },
      { name: 'activeFargateServiceCount', value: '0' },
      { name: 'drainingEC2ServiceCount', value: String(counts.drainingServicesCount) },
      { name: 'drainingFargateServiceCount', value: '0' },
      { name: 'activeExternalServiceCount', value: '0' },
      { name: 'drainingExternalServiceCount', value: '0' },
    ];
  }
  return view;
}
