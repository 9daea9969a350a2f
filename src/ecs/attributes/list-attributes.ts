/** ListAttributes: every attribute (built-in and custom) on a cluster's container instances. */
import type { Attribute, ListAttributesRequest, ListAttributesResponse } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { paginate } from '../../aws/pagination.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { TARGET_TYPE } from './attribute-rules.ts';

interface Listed {
  /** `<instance key>/<attribute name>`: instances in key order, then attributes by name. */
  key: string;
  attribute: Attribute;
}

/** One entry per attribute per registered instance, targetId being the instance's ARN; 100 per page. */
export async function listAttributes(
  ctx: EcsContext,
  input: ListAttributesRequest,
): Promise<ListAttributesResponse> {
  const cluster = clusterName(ctx, input.cluster);
  if (input.targetType !== TARGET_TYPE) {
    throw invalidParameter(
      `Invalid targetType '${input.targetType}'. The only valid target type is ${TARGET_TYPE}.`,
    );
  }
  if (input.attributeValue !== undefined && input.attributeName === undefined) {
    throw invalidParameter('attributeValue can only be used together with attributeName.');
  }
  await activeCluster(ctx.store, cluster);
  const instances = await ctx.store.list<ContainerInstanceRecord>(Kind.ContainerInstance, {
    prefix: keys.inCluster(cluster),
  });
  const listed: Listed[] = [];
  for (const { key, value } of instances) {
    if (value.instance.status === 'INACTIVE') continue;
    const targetId = value.instance.containerInstanceArn;
    for (const a of value.instance.attributes ?? []) {
      if (input.attributeName !== undefined && a.name !== input.attributeName) continue;
      if (input.attributeValue !== undefined && a.value !== input.attributeValue) continue;
      const attribute: Attribute = { name: a.name, targetType: TARGET_TYPE, targetId };
      if (a.value !== undefined) attribute.value = a.value;
      listed.push({ key: `${key}/${a.name}`, attribute });
    }
  }
  listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = paginate(listed, (l) => l.key, input, { max: 100, default: 100 });
  return { attributes: page.items.map((l) => l.attribute), nextToken: page.nextToken };
}
