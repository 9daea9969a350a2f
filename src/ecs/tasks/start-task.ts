/** StartTask: one task on each named container instance, checked for resources and constraints as RunTask is. */
import type {
  Failure,
  StartTaskRequest,
  StartTaskResponse,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { containerInstanceArn } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { RequestContext } from '../../aws/service.ts';
import { place, placementRequest } from '../../scheduler/index.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import type { TaskRecord } from '../model/records.ts';
import { requireTaskDefinition } from '../model/task-definition-lookup.ts';
import { checkMaxItems, requireNonEmpty } from '../model/validation.ts';
import { clusterSnapshot } from '../model/tasks/cluster-snapshot.ts';
import { checkLaunchInput, createPlacedTasks } from '../model/tasks/task-launch.ts';
import { taskView } from '../model/tasks/task-view.ts';

export async function startTask(
  ctx: EcsContext,
  input: Wire<StartTaskRequest>,
  request?: RequestContext,
): Promise<Wire<StartTaskResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const ref = requireNonEmpty('taskDefinition', input.taskDefinition);
  const instances = input.containerInstances ?? [];
  if (instances.length === 0) throw invalidParameter('containerInstances can not be empty.');
  checkMaxItems('containerInstances', instances, 10);
  return ctx.store.transact(async (tx) => {
    const clusterRecord = await activeCluster(tx, cluster);
    const td = await requireTaskDefinition(ctx, tx, ref);
    checkLaunchInput(input, td.value.taskDefinition, 'EC2');
    let snapshot = await clusterSnapshot(ctx, tx, cluster);
    const created: TaskRecord[] = [];
    const failures: Failure[] = [];
    for (const [index, value] of instances.entries()) {
      const { id } = resourceId(ctx, value, 'container-instance');
      const arn = containerInstanceArn(ctx.partition, cluster, id);
      const target = snapshot.instances.find((i) => i.arn === arn);
      if (!target) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      // The scheduler checks the named instance alone: its status, agent, resources and constraints.
      const placement = placementRequest({
        requestId: `${request?.requestId ?? ctx.rng.hex(16)}/${index}`,
        taskDefinition: td.value.taskDefinition as TaskDefinition,
        overrides: input.overrides as TaskOverride | undefined,
        group: input.group,
        placementStrategy: [],
      });
      const plan = place({ instances: [target] }, placement);
      if (plan.failures.length > 0) {
        failures.push({ arn, reason: plan.failures[0].reason, detail: plan.failures[0].detail });
        continue;
      }
      const tasks = await createPlacedTasks(ctx, tx, {
        cluster: clusterRecord.value,
        td: td.value,
        request: placement,
        placements: plan.placements,
        input,
        launchType: 'EC2',
        attributesOf: () => target.attributes,
      });
      created.push(...tasks);
      // Later instances in the same call see this task (it matters when an instance is named twice).
      snapshot = await clusterSnapshot(ctx, tx, cluster);
    }
    return { tasks: created.map((t) => taskView(t, ['TAGS'])), failures };
  });
}
