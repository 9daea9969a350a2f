/** DescribeTaskDefinition: one revision by family, family:revision or ARN; tags with include TAGS. */
import type { DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { requireTaskDefinition } from '../model/task-definition-lookup.ts';
import { checkEnum, requireNonEmpty } from '../model/validation.ts';

export async function describeTaskDefinition(
  ctx: EcsContext,
  input: Wire<DescribeTaskDefinitionRequest>,
): Promise<Wire<DescribeTaskDefinitionResponse>> {
  const ref = requireNonEmpty('taskDefinition', input.taskDefinition);
  for (const i of input.include ?? []) checkEnum('include', i, ['TAGS'] as const);
  const record = await requireTaskDefinition(ctx, ctx.store, ref);
  const out: Wire<DescribeTaskDefinitionResponse> = { taskDefinition: record.value.taskDefinition };
  if (input.include?.includes('TAGS')) out.tags = record.value.tags;
  return out;
}
