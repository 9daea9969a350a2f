/** ListServices: ARNs of a cluster's ACTIVE services (DRAINING and INACTIVE ones are hidden), 10 per page by default. */
import type { ListServicesRequest, ListServicesResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { paginate } from '../../aws/pagination.ts';
import { keys, type ServiceRecord } from '../model/records.ts';
import { checkLaunchType } from '../model/tasks/launch-support.ts';
import { checkEnum } from '../model/validation.ts';
import { ResourceManagementTypes, SchedulingStrategies } from '../model/services/service-rules.ts';

export async function listServices(
  ctx: EcsContext,
  input: Wire<ListServicesRequest>,
): Promise<Wire<ListServicesResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const launchType = checkLaunchType(input.launchType);
  const scheduling = checkEnum('schedulingStrategy', input.schedulingStrategy, SchedulingStrategies);
  const management = checkEnum(
    'resourceManagementType',
    input.resourceManagementType,
    ResourceManagementTypes,
  );
  await activeCluster(ctx.store, cluster);
  const all = await ctx.store.list<ServiceRecord>(Kind.Service, { prefix: keys.inCluster(cluster) });
  const matching = all.filter(({ value: { service } }) => {
    if (service.status !== 'ACTIVE') return false;
    if (launchType !== undefined && service.launchType !== launchType) return false;
    if (scheduling !== undefined && service.schedulingStrategy !== scheduling) return false;
    // Every Longshore service is customer-managed; ECS-managed (Express) services do not exist here.
    return management !== 'ECS';
  });
  const page = paginate(matching, (r) => r.key, input, { max: 100, default: 10 });
  return { serviceArns: page.items.map((r) => r.value.service.serviceArn ?? ''), nextToken: page.nextToken };
}
