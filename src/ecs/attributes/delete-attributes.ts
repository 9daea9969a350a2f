/** DeleteAttributes: removes custom attributes from container instances, all or nothing. */
import type { Attribute, DeleteAttributesRequest, DeleteAttributesResponse } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../model/context.ts';
import type { ContainerInstanceRecord } from '../model/records.ts';
import { changeAttributes } from './update-instances.ts';

/**
 * Attributes are matched by name; a value, if sent, is ignored (ECS asks callers to leave it
 * out). Deleting a name the instance does not have is not an error. The response echoes the
 * attributes as sent.
 */
export async function deleteAttributes(
  ctx: EcsContext,
  input: DeleteAttributesRequest,
): Promise<DeleteAttributesResponse> {
  return changeAttributes(ctx, input, false, withoutAttributes);
}

function withoutAttributes(
  record: ContainerInstanceRecord,
  removed: readonly Attribute[],
): ContainerInstanceRecord {
  const names = new Set(removed.map((a) => a.name));
  const attributes = (record.instance.attributes ?? []).filter((a) => !names.has(a.name));
  return { ...record, instance: { ...record.instance, attributes } };
}
