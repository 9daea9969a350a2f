/** DescribeTasks: up to 100 tasks by id or ARN; unknown and expired ones are MISSING failures. */
import type { Wire } from '../../core/wire.ts';
import type { DescribeTasksRequest, DescribeTasksResponse, Failure, Task } from '@aws-sdk/client-ecs';
import { taskArn } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { checkEnum, checkMaxItems } from '../model/validation.ts';
import { findTask } from '../model/tasks/find-task.ts';
import { taskView } from '../model/tasks/task-view.ts';

export async function describeTasks(
  ctx: EcsContext,
  input: Wire<DescribeTasksRequest>,
): Promise<Wire<DescribeTasksResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  // ECS answers ClusterNotFoundException before it looks at the list.
  await activeCluster(ctx.store, cluster);
  if ((input.tasks ?? []).length === 0) throw invalidParameter('Tasks cannot be empty.');
  checkMaxItems('tasks', input.tasks, 100);
  for (const i of input.include ?? []) checkEnum('include', i, ['TAGS'] as const);
  const now = ctx.clock.now();
  const tasks: Wire<Task>[] = [];
  const failures: Failure[] = [];
  for (const ref of input.tasks ?? []) {
    const task = resourceId(ctx, ref, 'task');
    const record = await findTask(ctx.store, cluster, task, now);
    if (!record) {
      failures.push({
        arn: ref.startsWith('arn:') ? ref : taskArn(ctx.partition, cluster, task.id),
        reason: 'MISSING',
      });
      continue;
    }
    tasks.push(taskView(record.value, input.include ?? []));
  }
  return { tasks, failures };
}
