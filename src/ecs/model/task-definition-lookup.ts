/** Resolves a task definition reference (`family`, `family:revision` or ARN) to its stored revision. */
import { parseEcsArn } from '../../core/arn.ts';
import { clientException, invalidParameter } from './errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import type { EcsContext } from './context.ts';
import { keys, type TaskDefinitionRecord } from './records.ts';

/** ECS's ClientException text for a task definition reference that names nothing. */
export const TASK_DEFINITION_NOT_FOUND = 'Unable to describe task definition.';

/** A parsed reference: a family alone means its latest ACTIVE revision. */
export interface TaskDefinitionRef {
  family: string;
  revision?: number;
}

export function parseTaskDefinitionRef(ctx: EcsContext, value: string): TaskDefinitionRef {
  let text = value;
  if (value.startsWith('arn:')) {
    const arn = parseEcsArn(value);
    if (arn?.type !== 'task-definition') throw invalidParameter(`Invalid revision number. Number: ${value}`);
    if (arn.region !== ctx.partition.region || arn.accountId !== ctx.partition.accountId) {
      throw clientException(TASK_DEFINITION_NOT_FOUND);
    }
    text = arn.resource;
  }
  const colon = text.indexOf(':');
  if (colon < 0) return { family: text };
  const revision = Number(text.slice(colon + 1));
  if (!Number.isInteger(revision) || revision < 1) {
    throw clientException(`Invalid revision number. Number: ${text.slice(colon + 1)}`);
  }
  return { family: text.slice(0, colon), revision };
}

/**
 * Loads the revision a reference names. A family alone resolves to its latest ACTIVE revision;
 * an explicit revision may be INACTIVE: describe returns it, and RunTask/CreateService refuse it
 * (ECS: INACTIVE revisions keep serving existing tasks and services but start nothing new).
 */
export async function findTaskDefinition(
  ctx: EcsContext,
  reader: Reader,
  value: string,
): Promise<Stored<TaskDefinitionRecord> | undefined> {
  const ref = parseTaskDefinitionRef(ctx, value);
  if (ref.revision !== undefined) {
    return reader.get<TaskDefinitionRecord>(
      Kind.TaskDefinition,
      keys.taskDefinition(ref.family, ref.revision),
    );
  }
  const revisions = await reader.list<TaskDefinitionRecord>(Kind.TaskDefinition, {
    prefix: keys.taskDefinitionFamily(ref.family),
  });
  for (let i = revisions.length - 1; i >= 0; i--) {
    if (revisions[i].value.taskDefinition.status === 'ACTIVE') return revisions[i];
  }
  return undefined;
}

/** Like findTaskDefinition, but throws ECS's ClientException when nothing matches. */
export async function requireTaskDefinition(
  ctx: EcsContext,
  reader: Reader,
  value: string,
): Promise<Stored<TaskDefinitionRecord>> {
  const found = await findTaskDefinition(ctx, reader, value);
  if (!found) throw clientException(TASK_DEFINITION_NOT_FOUND);
  return found;
}
