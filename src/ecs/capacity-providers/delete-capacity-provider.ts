/**
 * DeleteCapacityProvider: refused while a cluster lists the provider (PutClusterCapacityProviders
 * removes it first) or a task or service still uses it; otherwise it is gone at once and the
 * answer shows it INACTIVE / DELETE_COMPLETE.
 */
import type { DeleteCapacityProviderRequest, DeleteCapacityProviderResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { CapacityProviderRecord } from '../model/capacity-provider-records.ts';
import type { EcsContext } from '../model/context.ts';
import { clientException } from '../model/errors.ts';
import type { ClusterRecord } from '../model/records.ts';
import { BUILTIN_CAPACITY_PROVIDERS } from '../clusters/cluster-rules.ts';
import { providerView } from './capacity-provider-view.ts';

export async function deleteCapacityProvider(
  ctx: EcsContext,
  input: Wire<DeleteCapacityProviderRequest>,
): Promise<Wire<DeleteCapacityProviderResponse>> {
  const ref = input.capacityProvider ?? '';
  const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref;
  if ((BUILTIN_CAPACITY_PROVIDERS as readonly string[]).includes(name)) {
    throw clientException(`The specified capacity provider '${name}' is reserved and cannot be deleted.`);
  }
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<CapacityProviderRecord>(Kind.CapacityProvider, name);
    if (!stored) throw clientException('The specified capacity provider does not exist.');
    for (const c of await tx.list<ClusterRecord>(Kind.Cluster)) {
      if (c.value.status === 'ACTIVE' && c.value.capacityProviders.includes(name)) {
        throw clientException(
          `The capacity provider cannot be deleted because it is associated with cluster: ${c.value.clusterName}. Remove the capacity provider from the cluster and try again.`,
        );
      }
    }
    await tx.remove(Kind.CapacityProvider, name, stored.version);
    const gone: CapacityProviderRecord = {
      ...stored.value,
      provider: { ...stored.value.provider, status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE' },
    };
    return { capacityProvider: providerView(gone, false) };
  });
}
