/** ListTaskDefinitionFamilies: family names by prefix, ACTIVE (any ACTIVE revision), INACTIVE or ALL. */
import type {
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionFamiliesResponse,
} from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { paginate } from '../../aws/pagination.ts';
import type { TaskDefinitionRecord } from '../model/records.ts';
import { checkEnum } from '../model/validation.ts';

export async function listTaskDefinitionFamilies(
  ctx: EcsContext,
  input: Wire<ListTaskDefinitionFamiliesRequest>,
): Promise<Wire<ListTaskDefinitionFamiliesResponse>> {
  const status = checkEnum('status', input.status, ['ACTIVE', 'INACTIVE', 'ALL'] as const) ?? 'ACTIVE';
  const active = new Map<string, boolean>();
  const all = await ctx.store.list<TaskDefinitionRecord>(Kind.TaskDefinition, { prefix: input.familyPrefix });
  for (const { value } of all) {
    const family = value.taskDefinition.family ?? '';
    active.set(family, (active.get(family) ?? false) || value.taskDefinition.status === 'ACTIVE');
  }
  const families = [...active]
    .filter(([, isActive]) => status === 'ALL' || (status === 'ACTIVE' ? isActive : !isActive))
    .map(([family]) => family);
  const page = paginate(families, (f) => f, input, { max: 100, default: 100 });
  return { families: page.items, nextToken: page.nextToken };
}
