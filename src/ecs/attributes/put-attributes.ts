/** PutAttributes: creates or replaces custom attributes on container instances, all or nothing. */
import type { Attribute, PutAttributesRequest, PutAttributesResponse } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import type { ContainerInstanceRecord } from '../model/records.ts';
import { ATTRIBUTE_LIMIT_MESSAGE, isCustomAttribute, MAX_CUSTOM_ATTRIBUTES } from './attribute-rules.ts';
import { changeAttributes } from './update-instances.ts';

/**
 * Same-name attributes are replaced; an attribute sent without a value is stored without one.
 * The response echoes the attributes as sent (a short targetId stays short).
 */
export async function putAttributes(
  ctx: EcsContext,
  input: PutAttributesRequest,
): Promise<PutAttributesResponse> {
  return changeAttributes(ctx, input, true, withAttributes);
}

function withAttributes(
  record: ContainerInstanceRecord,
  added: readonly Attribute[],
): ContainerInstanceRecord {
  const byName = new Map((record.instance.attributes ?? []).map((a) => [a.name, a]));
  for (const a of added)
    byName.set(a.name, a.value === undefined ? { name: a.name } : { name: a.name, value: a.value });
  const attributes = [...byName.values()];
  // Only the user's attributes count: not ECS's (ecs.*, com.amazonaws.ecs.*) nor the agent's (longshore.*).
  const custom = attributes.filter((a) => isCustomAttribute(a.name)).length;
  if (custom > MAX_CUSTOM_ATTRIBUTES)
    throw new ServiceError(EcsErrorCode.AttributeLimitExceeded, ATTRIBUTE_LIMIT_MESSAGE);
  return { ...record, instance: { ...record.instance, attributes } };
}
