/**
 * Fargate capacity: every connected agent of the region offers its host to Fargate tasks of any
 * cluster, as AWS's Fargate fleet serves every cluster. A host's Fargate budget is its registered
 * CPU and memory, counted apart from the tasks its container instance runs (docs/differences.md).
 */
import { Kind, type Reader } from '../../../store/store.ts';
import type { ContainerInstanceRecord, TaskHost, TaskRecord } from '../records.ts';

/** One host that can take Fargate tasks, and what its Fargate tasks already hold. */
export interface FargateHost {
  host: TaskHost;
  cpu: number;
  memory: number;
  usedCpu: number;
  usedMemory: number;
  /** Fargate tasks on it that are not STOPPED. */
  tasks: number;
}

/** The region's connected ACTIVE container instances, with their Fargate tasks' usage. */
export async function fargateHosts(reader: Reader): Promise<FargateHost[]> {
  const hosts = new Map<string, FargateHost>();
  for (const { value } of await reader.list<ContainerInstanceRecord>(Kind.ContainerInstance)) {
    const i = value.instance;
    if (i.status !== 'ACTIVE' || !i.agentConnected || !i.containerInstanceArn) continue;
    hosts.set(i.containerInstanceArn, {
      host: { clusterName: value.clusterName, containerInstanceArn: i.containerInstanceArn },
      cpu: registered(i.registeredResources, 'CPU'),
      memory: registered(i.registeredResources, 'MEMORY'),
      usedCpu: 0,
      usedMemory: 0,
      tasks: 0,
    });
  }
  if (hosts.size === 0) return [];
  for (const { value } of await hostedTasks(reader)) {
    const h = hosts.get(value.host?.containerInstanceArn ?? '');
    if (!h) continue;
    h.usedCpu += Number(value.task.cpu ?? 0);
    h.usedMemory += Number(value.task.memory ?? 0);
    h.tasks++;
  }
  return [...hosts.values()];
}

/** Every Fargate task of the region that is not STOPPED (across clusters). */
export async function hostedTasks(reader: Reader, hostArn?: string) {
  const all = await reader.list<TaskRecord>(Kind.Task);
  return all.filter(
    (r) =>
      r.value.host !== undefined &&
      r.value.task.lastStatus !== 'STOPPED' &&
      (hostArn === undefined || r.value.host.containerInstanceArn === hostArn),
  );
}

function registered(
  resources: readonly { name?: string; integerValue?: number }[] | undefined,
  name: string,
) {
  return resources?.find((r) => r.name === name)?.integerValue ?? 0;
}
