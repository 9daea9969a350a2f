/** DeregisterTaskDefinition: an ACTIVE revision becomes INACTIVE (running tasks and services keep it). */
import type { DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import { clientException } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../context.ts';
import { keys, type TaskDefinitionRecord } from '../records.ts';
import { parseTaskDefinitionRef } from '../task-definition-lookup.ts';
import { requireNonEmpty } from '../validation.ts';

export async function deregisterTaskDefinition(
  ctx: EcsContext,
  input: Wire<DeregisterTaskDefinitionRequest>,
): Promise<Wire<DeregisterTaskDefinitionResponse>> {
  const ref = parseTaskDefinitionRef(ctx, requireNonEmpty('taskDefinition', input.taskDefinition));
  if (ref.revision === undefined) {
    throw clientException('A revision is required: pass family:revision or the full task definition ARN.');
  }
  const key = keys.taskDefinition(ref.family, ref.revision);
  return ctx.store.transact(async (tx) => {
    const record = await tx.get<TaskDefinitionRecord>(Kind.TaskDefinition, key);
    if (!record) throw clientException('Unable to describe task definition.');
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
