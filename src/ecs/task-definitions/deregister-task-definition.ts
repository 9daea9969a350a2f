/** DeregisterTaskDefinition: an ACTIVE revision becomes INACTIVE (running tasks and services keep it). */
import type { DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import { clientException } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { keys, type TaskDefinitionRecord } from '../model/records.ts';
import { parseTaskDefinitionRef, TASK_DEFINITION_NOT_FOUND } from '../model/task-definition-lookup.ts';
import { requireNonEmpty } from '../model/validation.ts';

/** ECS's ClientException text when the reference has no revision (a family alone, or an ARN without `:n`). */
export const REVISION_MISSING = 'Revision is missing.';

export async function deregisterTaskDefinition(
  ctx: EcsContext,
  input: Wire<DeregisterTaskDefinitionRequest>,
): Promise<Wire<DeregisterTaskDefinitionResponse>> {
  const ref = parseTaskDefinitionRef(ctx, requireNonEmpty('taskDefinition', input.taskDefinition));
  if (ref.revision === undefined) throw clientException(REVISION_MISSING);
  const key = keys.taskDefinition(ref.family, ref.revision);
  return ctx.store.transact(async (tx) => {
    const record = await tx.get<TaskDefinitionRecord>(Kind.TaskDefinition, key);
    if (!record) throw clientException(TASK_DEFINITION_NOT_FOUND);
    if (record.value.taskDefinition.status !== 'ACTIVE')
      return { taskDefinition: record.value.taskDefinition };
    const taskDefinition = {
      ...record.value.taskDefinition,
      status: 'INACTIVE' as const,
      deregisteredAt: ctx.clock.now() / 1000,
    };
    await tx.put(Kind.TaskDefinition, key, { ...record.value, taskDefinition }, record.version);
    return { taskDefinition };
  });
}
