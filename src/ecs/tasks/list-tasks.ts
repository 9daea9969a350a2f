/** ListTasks: task ARNs filtered by instance, family, startedBy, service, desired status, launch type. */
import type { Wire } from '../../core/wire.ts';
import type { ListTasksRequest, ListTasksResponse } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { paginateWhere } from '../../aws/pagination.ts';
import { keys, type TaskRecord } from '../model/records.ts';
import { checkEnum } from '../model/validation.ts';
import { checkLaunchType } from '../model/tasks/launch-support.ts';
import { isExpired } from '../model/tasks/task-view.ts';

export async function listTasks(
  ctx: EcsContext,
  input: Wire<ListTasksRequest>,
): Promise<Wire<ListTasksResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  // ECS: desiredStatus defaults to RUNNING; PENDING is accepted but no task is ever desired PENDING.
  const desired =
    checkEnum('desiredStatus', input.desiredStatus, ['RUNNING', 'PENDING', 'STOPPED'] as const) ?? 'RUNNING';
  const launchType = checkLaunchType(input.launchType);
  if (input.startedBy !== undefined && (input.family || input.serviceName || input.containerInstance)) {
    throw invalidParameter(
      'startedBy cannot be combined with the family, serviceName or containerInstance filters.',
    );
  }
  if (input.family && input.serviceName) {
    throw invalidParameter('family and serviceName cannot both be specified.');
  }
  await activeCluster(ctx.store, cluster);
  const instanceId = input.containerInstance
    ? resourceId(ctx, input.containerInstance, 'container-instance').id
    : undefined;
  const service = input.serviceName ? (input.serviceName.split('/').pop() ?? '') : undefined;
  const now = ctx.clock.now();
  // A store listing is in key order: the page filters lazily from the token's key on.
  const records = await ctx.store.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) });
  const keep = ({ value }: (typeof records)[number]): boolean => {
    const t = value.task;
    if (isExpired(value, now) || t.desiredStatus !== desired) return false;
    if (launchType && t.launchType !== launchType) return false;
    if (instanceId && !t.containerInstanceArn?.endsWith(`/${instanceId}`)) return false;
    if (input.family && t.taskDefinitionArn?.split('/').pop()?.split(':')[0] !== input.family) return false;
    if (input.startedBy !== undefined && t.startedBy !== input.startedBy) return false;
    if (service !== undefined && value.serviceName !== service) return false;
    return true;
  };
  const page = paginateWhere(records, (r) => r.key, keep, input, { max: 100, default: 100 });
  return { taskArns: page.items.map((r) => r.value.task.taskArn ?? ''), nextToken: page.nextToken };
}
