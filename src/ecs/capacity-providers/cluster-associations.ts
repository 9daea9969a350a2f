/**
 * Which clusters list which Auto Scaling group providers (PutClusterCapacityProviders, CreateCluster):
 * a provider must exist and, being one group's, belongs to one cluster at a time; a provider a
 * cluster's tasks or services still use cannot be taken off it (ECS's ResourceInUseException).
 */
import { ServiceError } from '../../core/errors.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { listCapacityProviders } from '../model/capacity-provider-records.ts';
import { EcsErrorCode, invalidParameter } from '../model/errors.ts';
import { type ClusterRecord, keys, type ServiceRecord, type TaskRecord } from '../model/records.ts';

/** The names of the account's ACTIVE Auto Scaling group providers. */
export async function createdProviderNames(reader: Reader): Promise<string[]> {
  return (await listCapacityProviders(reader))
    .filter((p) => p.provider.status === 'ACTIVE')
    .map((p) => p.provider.name ?? '');
}

export async function checkAssociations(
  reader: Reader,
  cluster: string,
  providers: readonly string[],
): Promise<void> {
  const created = new Set(await createdProviderNames(reader));
  for (const c of await reader.list<ClusterRecord>(Kind.Cluster)) {
    if (c.value.clusterName === cluster || c.value.status !== 'ACTIVE') continue;
    const shared = providers.find((p) => created.has(p) && c.value.capacityProviders.includes(p));
    if (shared) {
      throw invalidParameter(
        `The specified capacity provider '${shared}' is already associated with another cluster (${c.value.clusterName}). An Auto Scaling group capacity provider can be associated with one cluster only.`,
      );
    }
  }
  const current = (await reader.get<ClusterRecord>(Kind.Cluster, keys.cluster(cluster)))?.value;
  const removed = (current?.capacityProviders ?? []).filter((p) => !providers.includes(p));
  if (removed.length === 0) return;
  for (const s of await reader.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) })) {
    const t = s.value.task;
    if (t.lastStatus !== 'STOPPED' && t.capacityProviderName && removed.includes(t.capacityProviderName)) {
      throw inUse(t.capacityProviderName);
    }
  }
  for (const s of await reader.list<ServiceRecord>(Kind.Service, { prefix: keys.inCluster(cluster) })) {
    const svc = s.value.service;
    if (svc.status === 'INACTIVE') continue;
    const used = (svc.capacityProviderStrategy ?? []).find((i) => removed.includes(i.capacityProvider ?? ''));
    if (used) throw inUse(used.capacityProvider ?? '');
  }
}

function inUse(provider: string): ServiceError {
  return new ServiceError(
    EcsErrorCode.ResourceInUse,
    `The specified capacity provider '${provider}' is in use and cannot be removed.`,
  );
}
