/** DescribeServices: up to 10 services by name or ARN; unknown and purged ones are MISSING failures. */
import type {
  DescribeServicesRequest,
  DescribeServicesResponse,
  Failure,
  Service,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { checkEnum, checkMaxItems } from '../model/validation.ts';
import { findService, serviceRef } from './service-ref.ts';
import { ServiceInclude, serviceView } from './service-view.ts';

export async function describeServices(
  ctx: EcsContext,
  input: Wire<DescribeServicesRequest>,
): Promise<Wire<DescribeServicesResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  if ((input.services ?? []).length === 0) throw invalidParameter('Services cannot be empty.');
  checkMaxItems('services', input.services, 10);
  for (const i of input.include ?? []) checkEnum('include', i, ServiceInclude);
  await activeCluster(ctx.store, cluster);
  const services: Wire<Service>[] = [];
  const failures: Failure[] = [];
  for (const value of input.services ?? []) {
    const found = await findService(ctx, ctx.store, cluster, value);
    if (found) services.push(serviceView(found.value, input.include ?? []));
    else failures.push({ arn: serviceRef(ctx, cluster, value).arn, reason: 'MISSING' });
  }
  return { services, failures };
}
