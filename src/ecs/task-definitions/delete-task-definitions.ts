/** DeleteTaskDefinitions: up to 10 INACTIVE revisions move to DELETE_IN_PROGRESS. */
import type {
  DeleteTaskDefinitionsRequest,
  DeleteTaskDefinitionsResponse,
  Failure,
} from '@aws-sdk/client-ecs';
import { taskDefinitionArn } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { keys, type TaskDefinitionRecord } from '../model/records.ts';
import { parseTaskDefinitionRef } from '../model/task-definition-lookup.ts';
import { checkMaxItems } from '../model/validation.ts';

export async function deleteTaskDefinitions(
  ctx: EcsContext,
  input: Wire<DeleteTaskDefinitionsRequest>,
): Promise<Wire<DeleteTaskDefinitionsResponse>> {
  const refs = input.taskDefinitions ?? [];
  if (refs.length === 0) throw invalidParameter('taskDefinitions can not be empty.');
  checkMaxItems('taskDefinitions', refs, 10);
  return ctx.store.transact(async (tx) => {
    const taskDefinitions: Wire<TaskDefinitionRecord['taskDefinition']>[] = [];
    const failures: Failure[] = [];
    for (const value of refs) {
      const ref = parseTaskDefinitionRef(ctx, value);
      if (ref.revision === undefined) {
        failures.push({
          arn: value,
          reason: 'The task definition revision is missing: pass family:revision.',
        });
        continue;
      }
      const key = keys.taskDefinition(ref.family, ref.revision);
      const arn = taskDefinitionArn(ctx.partition, ref.family, ref.revision);
      const record = await tx.get<TaskDefinitionRecord>(Kind.TaskDefinition, key);
      if (!record) {
        failures.push({ arn, reason: 'The specified task definition does not exist.' });
        continue;
      }
      if (record.value.taskDefinition.status === 'ACTIVE') {
        failures.push({
          arn,
          reason:
            'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
        });
        continue;
      }
      const taskDefinition = { ...record.value.taskDefinition, status: 'DELETE_IN_PROGRESS' as const };
      if (record.value.taskDefinition.status !== 'DELETE_IN_PROGRESS') {
        await tx.put(Kind.TaskDefinition, key, { ...record.value, taskDefinition }, record.version);
      }
      taskDefinitions.push(taskDefinition);
    }
    return { taskDefinitions, failures };
  });
}
