/**
 * A service's tasks on Auto Scaling group capacity providers: the strategy's base/weight split
 * (counting the deployment's live tasks per provider, so a scale-out keeps the ratio) says which
 * provider each new task goes to; each provider's tasks are placed on its group's instances with
 * the service's placement, and those that fit nowhere wait in PROVISIONING (no instance) until
 * managed scaling adds one, as RunTask's do (the managed scaling controller places them).
 */
import { groupInstances } from '../../autoscaling/model/groups.ts';
import { countsTowardCapacity } from '../../autoscaling/model/records.ts';
import { getCapacityProvider } from '../../ecs/model/capacity-provider-records.ts';
import { splitByStrategy } from '../../ecs/model/fargate/capacity-split.ts';
import { keys, type TaskRecord } from '../../ecs/model/records.ts';
import { newTask } from '../../ecs/model/tasks/new-task.ts';
import {
  asProvisioning,
  nothingReserved,
  providerSnapshot,
} from '../../ecs/model/tasks/provider-placement.ts';
import { taskTags } from '../../ecs/model/tasks/task-launch.ts';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { applyPlan, type ClusterSnapshot, place } from '../../scheduler/index.ts';
import { Kind, type Tx } from '../../store/store.ts';
import {
  create,
  type Launch,
  launchInput,
  providerCounts,
  type Started,
  serviceRequest,
  serviceStrategy,
} from './start-tasks.ts';

/** Tasks left waiting in PROVISIONING, per provider, for the service's event. */
export type Provisioning = Map<string, number>;

/** The EC2 instance ids of a provider's group that count toward its capacity. */
async function groupInstanceIds(tx: Tx, provider: string): Promise<Set<string>> {
  const cp = await getCapacityProvider(tx, provider);
  if (!cp) return new Set();
  const members = await groupInstances(tx, cp.groupName);
  return new Set(members.filter((i) => countsTowardCapacity(i.value)).map((i) => i.value.instanceId));
}

/**
 * Starts `count` tasks on the service's strategy. Worked example: `a` base 1 weight 1, `b` weight
 * 1, desired 4 from nothing: a (its base), then the weighted split b a b -> 2 on each; a
 * scale-out to 6 counts those 4 and adds a b (3 and 3).
 */
export async function startProviderTasks(
  l: Launch,
  count: number,
  snapshot: ClusterSnapshot,
): Promise<Started & { provisioning?: Provisioning }> {
  const s = l.service.service;
  const providers = splitByStrategy(s.capacityProviderStrategy ?? [], count, await providerCounts(l));
  const counts = new Map<string, number>();
  for (const p of providers) counts.set(p, (counts.get(p) ?? 0) + 1);
  const created: TaskRecord[] = [];
  const provisioning: Provisioning = new Map();
  let current = snapshot;
  const input = launchInput(l.service, l.deployment);
  // What the managed scaling controller places a waiting task with: the service's own lists.
  const placement = {
    ...(s.placementConstraints?.length ? { placementConstraints: s.placementConstraints } : {}),
    placementStrategy: serviceStrategy(l.service),
  };
  for (const [provider, n] of counts) {
    const request = serviceRequest(l, n);
    const sub = providerSnapshot(current, await groupInstanceIds(l.tx, provider));
    const plan = sub.instances.length > 0 ? place(sub, request) : undefined;
    const placed = plan ? await create(l, request, plan.placements, sub) : [];
    for (const t of placed) {
      const next = { ...t, task: { ...t.task, capacityProviderName: provider } };
      await l.tx.put(Kind.Task, taskKey(l, next), next, 1);
      created.push(next);
    }
    if (plan) {
      current = applyPlan(
        current,
        request,
        plan,
        placed.map((t) => t.task.taskArn ?? ''),
      );
    }
    for (let i = placed.length; i < n; i++) {
      const fresh = newTask(l.ctx, {
        clusterName: l.cluster.clusterName,
        clusterArn: l.cluster.clusterArn,
        taskDefinition: l.td.taskDefinition as TaskDefinition,
        group: request.group,
        startedBy: input.startedBy,
        tags: taskTags(input, l.td, l.cluster.clusterName),
        launchType: 'EC2',
        reservation: nothingReserved(),
        enableExecuteCommand: input.enableExecuteCommand,
        serviceName: s.serviceName,
      });
      const record = asProvisioning(fresh, provider, placement, l.ctx.clock.now());
      await l.tx.put(Kind.Task, taskKey(l, record), record, 'absent');
      created.push(record);
      provisioning.set(provider, (provisioning.get(provider) ?? 0) + 1);
    }
  }
  return { created, snapshot: current, ...(provisioning.size > 0 ? { provisioning } : {}) };
}

function taskKey(l: Launch, record: TaskRecord): string {
  return keys.task(l.cluster.clusterName, record.task.taskArn?.split('/').pop() ?? '');
}
