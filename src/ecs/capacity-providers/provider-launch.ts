/**
 * RunTask over Auto Scaling group capacity providers: the strategy's base/weight split
 * (`splitByStrategy`, as for Fargate) says which provider each task goes to; each provider's tasks
 * are placed on its group's instances, and those that fit nowhere wait in PROVISIONING for
 * managed scaling (they are answered as tasks, not failures, as ECS does).
 */
import type {
  CapacityProviderStrategyItem,
  RunTaskRequest,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { groupInstances } from '../../autoscaling/model/groups.ts';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { place, placementRequest } from '../../scheduler/index.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { getCapacityProvider } from '../model/capacity-provider-records.ts';
import type { EcsContext } from '../model/context.ts';
import { clientException, invalidParameter } from '../model/errors.ts';
import { splitByStrategy } from '../model/fargate/capacity-split.ts';
import { type ClusterRecord, keys, type TaskDefinitionRecord, type TaskRecord } from '../model/records.ts';
import { clusterSnapshot } from '../model/tasks/cluster-snapshot.ts';
import { newTask } from '../model/tasks/new-task.ts';
import {
  asProvisioning,
  MAX_PROVISIONING_PER_CLUSTER,
  nothingReserved,
  providerSnapshot,
} from '../model/tasks/provider-placement.ts';
import { snapshotInstance } from '../model/tasks/snapshot-cache.ts';
import { createPlacedTasks, taskTags } from '../model/tasks/task-launch.ts';

/** The EC2 instance ids of a provider's group that can take tasks (Pending or InService). */
export async function providerInstanceIds(tx: Tx, provider: string): Promise<Set<string>> {
  const record = await getCapacityProvider(tx, provider);
  if (!record) return new Set();
  return new Set(
    (await groupInstances(tx, record.groupName))
      .filter((i) => i.value.lifecycleState === 'InService' || i.value.lifecycleState === 'Pending')
      .map((i) => i.value.instanceId),
  );
}

export async function runOnProviders(
  ctx: EcsContext,
  tx: Tx,
  input: Wire<RunTaskRequest>,
  cluster: ClusterRecord,
  td: { value: TaskDefinitionRecord },
  strategy: CapacityProviderStrategyItem[],
  request: RequestContext | undefined,
): Promise<TaskRecord[]> {
  if (input.platformVersion !== undefined) {
    throw invalidParameter('The platform version must be null when specifying an EC2 launch type.');
  }
  if (td.value.taskDefinition.networkMode === 'awsvpc') {
    throw invalidParameter(
      'Longshore places awsvpc tasks of Auto Scaling group capacity providers only with the EC2 launch type; use launchType EC2 or another network mode.',
    );
  }
  const count = input.count ?? 1;
  const providers = splitByStrategy(strategy, count);
  const counts = new Map<string, number>();
  for (const p of providers) counts.set(p, (counts.get(p) ?? 0) + 1);
  const waiting = (
    await tx.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster.clusterName) })
  ).filter((t) => t.value.task.lastStatus === 'PROVISIONING' && t.value.provisioning).length;
  const snapshot = await clusterSnapshot(ctx, tx, cluster.clusterName);
  const definition = td.value.taskDefinition as TaskDefinition;
  const overrides = input.overrides as TaskOverride | undefined;
  const created: TaskRecord[] = [];
  let provisioning = 0;
  for (const [provider, n] of counts) {
    const ids = await providerInstanceIds(tx, provider);
    const placement = placementRequest({
      requestId: `${request?.requestId ?? ctx.rng.hex(16)}:${provider}`,
      taskDefinition: definition,
      overrides,
      count: n,
      group: input.group,
      launchType: 'EC2',
      placementConstraints: input.placementConstraints,
      placementStrategy: input.placementStrategy,
    });
    const sub = providerSnapshot(snapshot, ids);
    const plan = sub.instances.length > 0 ? place(sub, placement) : { placements: [] };
    const placed = await createPlacedTasks(ctx, tx, {
      cluster,
      td: td.value,
      request: placement,
      placements: plan.placements,
      input,
      launchType: 'EC2',
      attributesOf: (arn) => snapshotInstance(sub, arn)?.attributes ?? {},
    });
    for (const t of placed) {
      const key = keys.task(cluster.clusterName, t.task.taskArn?.split('/').pop() ?? '');
      const next = { ...t, task: { ...t.task, capacityProviderName: provider } };
      await tx.put(Kind.Task, key, next, 1);
      created.push(next);
    }
    for (let i = placed.length; i < n; i++) {
      provisioning++;
      if (waiting + provisioning > MAX_PROVISIONING_PER_CLUSTER) {
        throw clientException(
          `The cluster has reached its limit of ${MAX_PROVISIONING_PER_CLUSTER} tasks in the PROVISIONING state. Try again later.`,
        );
      }
      const fresh = newTask(ctx, {
        clusterName: cluster.clusterName,
        clusterArn: cluster.clusterArn,
        taskDefinition: definition,
        overrides,
        group: placement.group,
        startedBy: input.startedBy,
        tags: taskTags(input, td.value, cluster.clusterName),
        launchType: 'EC2',
        reservation: nothingReserved(),
        enableExecuteCommand: input.enableExecuteCommand,
      });
      const record = asProvisioning(
        fresh,
        provider,
        {
          ...(input.placementConstraints ? { placementConstraints: input.placementConstraints } : {}),
          ...(input.placementStrategy ? { placementStrategy: input.placementStrategy } : {}),
        },
        ctx.clock.now(),
      );
      const key = keys.task(cluster.clusterName, record.task.taskArn?.split('/').pop() ?? '');
      await tx.put(Kind.Task, key, record, 'absent');
      created.push(record);
    }
  }
  return created;
}
