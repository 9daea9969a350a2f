/** RunTask: places `count` tasks with the scheduler and hands them to their instances' agents. */
import type { RunTaskRequest, RunTaskResponse, TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { RequestContext } from '../../aws/service.ts';
import { NO_CONTAINER_INSTANCES, place, placementRequest } from '../../scheduler/index.ts';
import { Kind } from '../../store/store.ts';
import { previousResult, rememberResult, requestHash } from '../../aws/client-token.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { keys, type TaskRecord } from '../model/records.ts';
import { requireTaskDefinition } from '../model/task-definition-lookup.ts';
import { checkRange, requireNonEmpty } from '../model/validation.ts';
import { clusterSnapshot } from '../model/tasks/cluster-snapshot.ts';
import { snapshotInstance } from '../model/tasks/snapshot-cache.ts';
import { checkLaunchSupported } from '../model/tasks/launch-support.ts';
import { checkLaunchInput, createPlacedTasks, launchTypeOf } from '../model/tasks/task-launch.ts';
import { taskView } from '../model/tasks/task-view.ts';

export async function runTask(
  ctx: EcsContext,
  input: Wire<RunTaskRequest>,
  request?: RequestContext,
): Promise<Wire<RunTaskResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const ref = requireNonEmpty('taskDefinition', input.taskDefinition);
  checkRange('count', input.count, 1, 10);
  const launchType = launchTypeOf(input.launchType, input.capacityProviderStrategy);
  const hash = requestHash({ ...input, cluster });
  return ctx.store.transact(async (tx) => {
    const clusterRecord = await activeCluster(tx, cluster);
    if (input.launchType === undefined && !input.capacityProviderStrategy?.length) {
      // ECS runs such tasks with the cluster's default capacity provider strategy.
      checkLaunchSupported({ capacityProviderStrategy: clusterRecord.value.defaultCapacityProviderStrategy });
    }
    const now = ctx.clock.now();
    const earlier = await previousResult(tx, 'RunTask', input.clientToken, hash, now);
    if (earlier) {
      const tasks = [];
      for (const arn of earlier) {
        const t = await tx.get<TaskRecord>(Kind.Task, keys.task(cluster, arn.split('/').pop() ?? ''));
        if (t) tasks.push(taskView(t.value, ['TAGS']));
      }
      return { tasks, failures: [] };
    }
    const td = await requireTaskDefinition(ctx, tx, ref);
    checkLaunchInput(input, td.value.taskDefinition, launchType);
    const snapshot = await clusterSnapshot(ctx, tx, cluster);
    if (snapshot.instances.length === 0) throw invalidParameter(NO_CONTAINER_INSTANCES);
    const placement = placementRequest({
      requestId: request?.requestId ?? ctx.rng.hex(16),
      taskDefinition: td.value.taskDefinition as TaskDefinition,
      overrides: input.overrides as TaskOverride | undefined,
      count: input.count ?? 1,
      group: input.group,
      launchType,
      placementConstraints: input.placementConstraints,
      placementStrategy: input.placementStrategy,
    });
    const plan = place(snapshot, placement);
    const created = await createPlacedTasks(ctx, tx, {
      cluster: clusterRecord.value,
      td: td.value,
      request: placement,
      placements: plan.placements,
      input,
      launchType,
      attributesOf: (arn) => snapshotInstance(snapshot, arn)?.attributes ?? {},
    });
    await rememberResult(
      tx,
      'RunTask',
      input.clientToken,
      hash,
      created.map((t) => t.task.taskArn ?? ''),
      now,
    );
    return {
      tasks: created.map((t) => taskView(t, ['TAGS'])),
      failures: plan.failures.map((f) => ({ ...f })),
    };
  });
}
