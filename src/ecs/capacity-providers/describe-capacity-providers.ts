/** DescribeCapacityProviders: the reserved FARGATE and FARGATE_SPOT, then the account's Auto Scaling group providers. */
import type {
  CapacityProvider,
  DescribeCapacityProvidersRequest,
  DescribeCapacityProvidersResponse,
  Failure,
} from '@aws-sdk/client-ecs';
import { ecsArn, ResourceType } from '../../core/arn.ts';
import type { Wire } from '../../core/wire.ts';
import { BUILTIN_CAPACITY_PROVIDERS } from '../clusters/cluster-rules.ts';
import { listCapacityProviders } from '../model/capacity-provider-records.ts';
import type { EcsContext } from '../model/context.ts';
import { paginate } from '../../aws/pagination.ts';
import { checkEnum, checkMaxItems } from '../model/validation.ts';

export async function describeCapacityProviders(
  ctx: EcsContext,
  input: Wire<DescribeCapacityProvidersRequest>,
): Promise<Wire<DescribeCapacityProvidersResponse>> {
  checkMaxItems('capacityProviders', input.capacityProviders, 100);
  for (const i of input.include ?? []) checkEnum('include', i, ['TAGS'] as const);
  // ECS describes the reserved providers with no Auto Scaling group and no tags.
  const all: CapacityProvider[] = BUILTIN_CAPACITY_PROVIDERS.map((name) => ({
    capacityProviderArn: ecsArn(ctx.partition, ResourceType.CapacityProvider, name),
    name,
    status: 'ACTIVE',
    tags: [],
  }));
  const created = (await listCapacityProviders(ctx.store)).map((r) => r.provider as CapacityProvider);
  all.push(...created);
  // Pages follow the name order (the page token is the last name).
  all.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
  const failures: Failure[] = [];
  let chosen = all;
  if (input.capacityProviders?.length) {
    chosen = [];
    for (const ref of input.capacityProviders) {
      const found = all.find((p) => p.name === ref || p.capacityProviderArn === ref);
      if (found) chosen.push(found);
      else
        failures.push({
          arn: ref.startsWith('arn:') ? ref : ecsArn(ctx.partition, ResourceType.CapacityProvider, ref),
          reason: 'MISSING',
        });
    }
  }
  const page = paginate(chosen, (p) => p.name ?? '', input, { max: 10, default: 10 });
  const withTags = input.include?.includes('TAGS') ?? false;
  const capacityProviders = page.items.map(({ tags, ...rest }) => (withTags ? { ...rest, tags } : rest));
  return { capacityProviders, failures, nextToken: page.nextToken };
}
