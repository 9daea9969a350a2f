/** Looking up scalable targets, policies and scheduled actions, with Application Auto Scaling's errors. */
import { ServiceError } from '../../core/errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import { keys, type ScalableTargetRecord, type ScalingPolicyRecord } from './records.ts';

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export function targetNotFound(namespace: string, resourceId: string, dimension: string): ServiceError {
  return new ServiceError(
    'ObjectNotFoundException',
    `No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
  );
}

export async function findTarget(
  reader: Reader,
  namespace: string,
  resourceId: string,
  dimension: string,
): Promise<Stored<ScalableTargetRecord> | undefined> {
  return reader.get<ScalableTargetRecord>(Kind.ScalableTarget, keys.target(namespace, resourceId, dimension));
}

export async function requireTarget(
  reader: Reader,
  namespace: string,
  resourceId: string,
  dimension: string,
): Promise<Stored<ScalableTargetRecord>> {
  const found = await findTarget(reader, namespace, resourceId, dimension);
  if (!found) throw targetNotFound(namespace, resourceId, dimension);
  return found;
}

/** The policy an ARN names (alarm actions name policies by ARN). */
export async function policyByArn(
  reader: Reader,
  arn: string,
): Promise<Stored<ScalingPolicyRecord> | undefined> {
  // The ARN ends `:resource/ecs/<resourceId>:policyName/<name>`: the key is derived, not searched.
  const m = /:resource\/([a-z-]+)\/(.+):policyName\/(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, namespace, resourceId, name] = m as unknown as [string, string, string, string];
  const targets = await reader.list<ScalableTargetRecord>(Kind.ScalableTarget, {
    prefix: `${namespace}|${resourceId}|`,
  });
  for (const t of targets) {
    const p = await reader.get<ScalingPolicyRecord>(Kind.ScalingPolicy, keys.policy(t.key, name));
    if (p && p.value.arn === arn) return p;
  }
  return undefined;
}
