/**
 * The ECS side of a group's instances: an instance's container instance is the one registered
 * with its id as `ec2InstanceId` in the group's cluster (the launchers start agents that report
 * it), and its tasks are the cluster's tasks placed there that are not STOPPED.
 */
import type { ContainerInstanceRecord, TaskRecord } from '../../ecs/model/records.ts';
import { keys } from '../../ecs/model/records.ts';
import { Kind, type Reader } from '../../store/store.ts';

export interface InstanceFacts {
  /** By EC2 instance id: the container instance's store key, version and record (not INACTIVE). */
  instances: Map<string, { key: string; version: number; value: ContainerInstanceRecord }>;
  /** By container instance ARN: its tasks that are not STOPPED. */
  tasks: Map<string, TaskRecord[]>;
  /** The cluster's tasks waiting for capacity (PROVISIONING, no instance), any provider. */
  provisioning: { key: string; version: number; value: TaskRecord }[];
}

export async function clusterFacts(reader: Reader, cluster: string): Promise<InstanceFacts> {
  const instances: InstanceFacts['instances'] = new Map();
  for (const s of await reader.list<ContainerInstanceRecord>(Kind.ContainerInstance, {
    prefix: keys.inCluster(cluster),
  })) {
    const i = s.value.instance;
    if (i.status === 'INACTIVE' || !i.ec2InstanceId) continue;
    instances.set(i.ec2InstanceId, { key: s.key, version: s.version, value: s.value });
  }
  const tasks: InstanceFacts['tasks'] = new Map();
  const provisioning: InstanceFacts['provisioning'] = [];
  for (const s of await reader.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) })) {
    const t = s.value.task;
    if (t.lastStatus === 'STOPPED') continue;
    const arn = t.containerInstanceArn;
    if (!arn) {
      if (t.lastStatus === 'PROVISIONING' && t.launchType === 'EC2') provisioning.push(s);
      continue;
    }
    const list = tasks.get(arn) ?? [];
    list.push(s.value);
    tasks.set(arn, list);
  }
  return { instances, tasks, provisioning };
}

/** Tasks that keep an instance busy: everything placed there and not STOPPED. */
export function busyTasks(facts: InstanceFacts, ec2InstanceId: string): TaskRecord[] {
  const ci = facts.instances.get(ec2InstanceId);
  if (!ci) return [];
  return facts.tasks.get(ci.value.instance.containerInstanceArn ?? '') ?? [];
}
