/** ListTaskDefinitions: revision ARNs by status, for one family (`familyPrefix` is an exact family, as in ECS). */
import type { ListTaskDefinitionsRequest, ListTaskDefinitionsResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { paginate } from '../../aws/pagination.ts';
import { keys, type TaskDefinitionRecord } from '../model/records.ts';
import { checkEnum } from '../model/validation.ts';

export async function listTaskDefinitions(
  ctx: EcsContext,
  input: Wire<ListTaskDefinitionsRequest>,
): Promise<Wire<ListTaskDefinitionsResponse>> {
  const status =
    checkEnum('status', input.status, ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const) ?? 'ACTIVE';
  const sort = checkEnum('sort', input.sort, ['ASC', 'DESC'] as const) ?? 'ASC';
  const prefix = input.familyPrefix ? keys.taskDefinitionFamily(input.familyPrefix) : undefined;
  let records = (await ctx.store.list<TaskDefinitionRecord>(Kind.TaskDefinition, { prefix })).filter(
    (r) => r.value.taskDefinition.status === status,
  );
  // Keys sort by family, then zero-padded revision; DESC pages walk the same order backwards.
  if (sort === 'DESC') records = records.reverse();
  const page = paginate(records, (r) => (sort === 'DESC' ? invert(r.key) : r.key), input, {
    max: 100,
    default: 100,
  });
  return {
    taskDefinitionArns: page.items.map((r) => r.value.taskDefinition.taskDefinitionArn ?? ''),
    nextToken: page.nextToken,
  };
}

/** A key whose string order is the reverse of `key`'s, so DESC listings page with the same token logic. */
function invert(key: string): string {
  return [...key].map((ch) => String.fromCharCode(0xffff - ch.charCodeAt(0))).join('');
}
