/** PutAttributes: creates or replaces custom attributes on container instances, all or nothing. */
import type { Attribute, PutAttributesRequest, PutAttributesResponse } from '@aws-sdk/client-ecs';
import { ApiError, ErrorType } from '../../core/errors.ts';
import type { EcsContext } from '../context.ts';
import type { ContainerInstanceRecord } from '../records.ts';
import { isCustomAttribute, MAX_CUSTOM_ATTRIBUTES } from './attribute-rules.ts';
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
  const custom = attributes.filter((a) => isCustomAttribute(a.name)).length;
  if (custom > MAX_CUSTOM_ATTRIBUTES) {
    throw new ApiError(
      ErrorType.AttributeLimitExceeded,
      `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes for each resource; ${record.instance.containerInstanceArn} would have ${custom}. Remove attributes with DeleteAttributes first.`,
    );
  }
  return { ...record, instance: { ...record.instance, attributes } };
}
