/**
 * The ECS side of a scalable target: the service its resource id names, its desired count, and
 * the write that changes it. The write is what UpdateService does for a desired count alone (the
 * service's desiredCount and its PRIMARY deployment's, nothing else); the service controller then
 * starts or stops tasks, honouring task scale-in protection, as it does after UpdateService.
 */
import { ServiceError } from '../../core/errors.ts';
import { updatePrimary } from '../../ecs/model/services/deployments.ts';
import { keys as ecsKeys, type ServiceRecord } from '../../ecs/model/records.ts';
import { Kind, type Reader, type Stored, type Tx } from '../../store/store.ts';

/** `service/CLUSTER/SERVICE` -> its parts; undefined when the id has another shape. */
export function parseEcsResourceId(resourceId: string): { cluster: string; service: string } | undefined {
  const m = /^service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/.exec(resourceId);
  return m ? { cluster: m[1] as string, service: m[2] as string } : undefined;
}

/** The service record when it exists and is ACTIVE (not DRAINING, INACTIVE or purged). */
export async function activeEcsService(
  reader: Reader,
  cluster: string,
  service: string,
  now: number,
): Promise<Stored<ServiceRecord> | undefined> {
  const found = await reader.get<ServiceRecord>(Kind.Service, ecsKeys.service(cluster, service));
  if (!found) return undefined;
  if (found.value.expiresAt !== undefined && found.value.expiresAt <= now) return undefined;
  return found.value.service.status === 'ACTIVE' ? found : undefined;
}

/** AWS's answer when a target names a service that does not exist. */
export function ecsServiceMissing(resourceId: string): ServiceError {
  return new ServiceError('ValidationException', `ECS service doesn't exist: ${resourceId}`);
}

/** True while an older deployment still runs beside the PRIMARY (a rollout in progress). */
export function deploymentInProgress(record: ServiceRecord): boolean {
  const live = (record.service.deployments ?? []).filter((d) => d.status !== 'INACTIVE');
  return live.length > 1;
}

/** Sets the service's desired count (and its PRIMARY deployment's), as UpdateService does. */
export async function setDesiredCount(
  tx: Tx,
  stored: Stored<ServiceRecord>,
  desiredCount: number,
  now: number,
): Promise<void> {
  const current = stored.value.service;
  if (current.desiredCount === desiredCount) return;
  const next: ServiceRecord = {
    ...stored.value,
    service: {
      ...current,
      desiredCount,
      deployments: updatePrimary(current.deployments ?? [], { desiredCount }, now),
    },
  };
  await tx.put(Kind.Service, stored.key, next, stored.version);
}
