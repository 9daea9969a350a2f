/** DeleteAttributes: removes custom attributes from container instances, all or nothing. */
import type { Attribute, DeleteAttributesRequest, DeleteAttributesResponse } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../context.ts';
import { activeCluster, clusterName } from '../lookup.ts';
import type { ContainerInstanceRecord } from '../records.ts';
import { echoAttribute, findTarget, validateAttributes } from './attribute-rules.ts';
import { publishInstances, type Target, updateInstances } from './update-instances.ts';

/**
 * Attributes are matched by name; a value, if sent, is ignored (ECS asks callers to leave it
 * out). Deleting a name the instance does not have is not an error. The response echoes the
 * attributes as sent.
 */
export async function deleteAttributes(
  ctx: EcsContext,
  input: DeleteAttributesRequest,
): Promise<DeleteAttributesResponse> {
  const cluster = clusterName(ctx, input.cluster);
  validateAttributes(input.attributes, false);
  const attributes = input.attributes ?? [];
  const changed = await ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const targets: Target[] = [];
    for (const attribute of attributes)
      targets.push({ attribute, record: await findTarget(ctx, tx, cluster, attribute) });
    return updateInstances(tx, targets, withoutAttributes);
  });
  publishInstances(ctx, cluster, changed);
  return { attributes: attributes.map(echoAttribute) };
}

function withoutAttributes(
  record: ContainerInstanceRecord,
  removed: readonly Attribute[],
): ContainerInstanceRecord {
  const names = new Set(removed.map((a) => a.name));
  const attributes = (record.instance.attributes ?? []).filter((a) => !names.has(a.name));
  return { ...record, instance: { ...record.instance, attributes } };
}
