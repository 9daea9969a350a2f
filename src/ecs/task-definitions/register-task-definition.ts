/** RegisterTaskDefinition: validates the definition and stores it as the family's next revision. */
import type { RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { RequestContext } from '../../aws/service.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { keys, type TaskDefinitionRecord } from '../model/records.ts';
import { buildTaskDefinition, validateFamily } from '../task-definition/index.ts';
import { callerArn } from './caller.ts';

export async function registerTaskDefinition(
  ctx: EcsContext,
  input: Wire<RegisterTaskDefinitionRequest>,
  request?: RequestContext,
): Promise<Wire<RegisterTaskDefinitionResponse>> {
  const family = input.family ?? '';
  validateFamily(family);
  return ctx.store.transact(async (tx) => {
    // Revisions are never reused, so the next one follows the highest ever registered.
    const revisions = await tx.list<TaskDefinitionRecord>(Kind.TaskDefinition, {
      prefix: keys.taskDefinitionFamily(family),
    });
    const revision = (revisions.at(-1)?.value.taskDefinition.revision ?? 0) + 1;
    const taskDefinition = buildTaskDefinition(input as RegisterTaskDefinitionRequest, {
      region: ctx.partition.region,
      accountId: ctx.partition.accountId,
      revision,
      registeredAt: ctx.clock.now(),
      registeredBy: callerArn(ctx, request),
    }) as Wire<typeof input & object> as TaskDefinitionRecord['taskDefinition'];
    const record: TaskDefinitionRecord = { taskDefinition, tags: input.tags ?? [] };
    await tx.put(Kind.TaskDefinition, keys.taskDefinition(family, revision), record, 'absent');
    return { taskDefinition, tags: record.tags };
  });
}
