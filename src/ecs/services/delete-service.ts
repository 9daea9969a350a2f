/**
 * DeleteService: scales the service to zero and starts draining it. A REPLICA service still
 * scaled above zero needs `force`. DRAINING and INACTIVE services are returned unchanged, as ECS
 * does for a repeated delete.
 */
import type { DeleteServiceRequest, DeleteServiceResponse } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { drain, hasLiveTasks } from '../model/services/service-lifecycle.ts';
import { requireService } from './service-ref.ts';
import { serviceView } from './service-view.ts';

export async function deleteService(
  ctx: EcsContext,
  input: Wire<DeleteServiceRequest>,
): Promise<Wire<DeleteServiceResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const now = ctx.clock.now();
  const result = await ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const stored = await requireService(ctx, tx, cluster, input.service ?? '');
    const service = stored.value.service;
    if (service.status !== 'ACTIVE') return { record: stored.value };
    // "It's only necessary to use [force] if the service uses the REPLICA scheduling strategy."
    if (service.schedulingStrategy !== 'DAEMON' && (service.desiredCount ?? 0) > 0 && input.force !== true) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    const live = await hasLiveTasks(tx, cluster, service.serviceName ?? '');
    const record = drain(stored.value, now, live);
    await tx.put(Kind.Service, stored.key, record, stored.version);
    return { record, key: stored.key };
  });
  return { service: serviceView(result.record) };
}
