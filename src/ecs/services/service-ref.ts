/** Resolves the service names and ARNs ECS accepts, and loads the records they name. */
import { serviceArn } from '../../core/arn.ts';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode } from '../model/errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { resourceId } from '../model/lookup.ts';
import { keys, type ServiceRecord } from '../model/records.ts';

/** A service reference within a request's cluster. */
export interface ServiceRef {
  name: string;
  /** The ARN to report for it (the one given, or the long-format ARN of the name). */
  arn: string;
  /** False when an ARN names a different cluster than the request's. */
  inCluster: boolean;
}

/** `name`, the long ARN `service/cluster/name`, or the old short ARN `service/name`. */
export function serviceRef(ctx: EcsContext, cluster: string, value: string): ServiceRef {
  const { id, cluster: named } = resourceId(ctx, value, 'service');
  return {
    name: id,
    arn: value.startsWith('arn:') ? value : serviceArn(ctx.partition, cluster, id),
    inCluster: named === undefined || named === cluster,
  };
}

/** An INACTIVE service past its retention is gone, as ECS eventually purges them. */
export function isExpired(record: ServiceRecord, now: number): boolean {
  return record.expiresAt !== undefined && record.expiresAt <= now;
}

/** The stored record a reference names, or undefined when there is none (or it expired). */
export async function findService(
  ctx: EcsContext,
  reader: Reader,
  cluster: string,
  value: string,
): Promise<Stored<ServiceRecord> | undefined> {
  const ref = serviceRef(ctx, cluster, value);
  if (!ref.inCluster) return undefined;
  const found = await reader.get<ServiceRecord>(Kind.Service, keys.service(cluster, ref.name));
  return found && !isExpired(found.value, ctx.clock.now()) ? found : undefined;
}

/** Like findService, but throws ECS's ServiceNotFoundException. */
export async function requireService(
  ctx: EcsContext,
  reader: Reader,
  cluster: string,
  value: string,
): Promise<Stored<ServiceRecord>> {
  const found = await findService(ctx, reader, cluster, value);
  if (!found) throw serviceNotFound();
  return found;
}

export function serviceNotFound(): ServiceError {
  return new ServiceError(EcsErrorCode.ServiceNotFound, 'Service not found.');
}

/** UpdateService on a DRAINING or INACTIVE service. */
export function serviceNotActive(): ServiceError {
  return new ServiceError(EcsErrorCode.ServiceNotActive, 'Service was not ACTIVE.');
}
