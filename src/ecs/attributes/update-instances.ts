/** Applies attribute changes to each targeted container instance once, with its expected version. */
import type { Attribute } from '@aws-sdk/client-ecs';
import { Kind, type Stored, type Tx } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import type { ContainerInstanceRecord } from '../model/records.ts';
import { echoAttribute, findTarget, validateAttributes } from './attribute-rules.ts';

type Change = (record: ContainerInstanceRecord, attributes: readonly Attribute[]) => ContainerInstanceRecord;

/**
 * PutAttributes and DeleteAttributes: validate, find every target instance, apply `change` to
 * each in one transaction (all or nothing), and echo the attributes as sent.
 */
export async function changeAttributes(
  ctx: EcsContext,
  input: { cluster?: string; attributes?: Attribute[] },
  requireValues: boolean,
  change: Change,
): Promise<{ attributes: Attribute[] }> {
  const cluster = clusterName(ctx, input.cluster);
  validateAttributes(input.attributes, requireValues);
  const attributes = input.attributes ?? [];
  await ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const targets: Target[] = [];
    for (const attribute of attributes)
      targets.push({ attribute, record: await findTarget(ctx, tx, cluster, attribute) });
    await updateInstances(tx, targets, change);
  });
  return { attributes: attributes.map(echoAttribute) };
}

export interface Target {
  attribute: Attribute;
  record: Stored<ContainerInstanceRecord>;
}

/**
 * Groups `targets` by instance so that several attributes for one instance become one write, in
 * request order.
 */
export async function updateInstances(tx: Tx, targets: readonly Target[], change: Change): Promise<void> {
  const groups = new Map<string, { record: Stored<ContainerInstanceRecord>; attributes: Attribute[] }>();
  for (const t of targets) {
    const group = groups.get(t.record.key) ?? { record: t.record, attributes: [] };
    group.attributes.push(t.attribute);
    groups.set(t.record.key, group);
  }
  for (const { record, attributes } of groups.values()) {
    await tx.put(Kind.ContainerInstance, record.key, change(record.value, attributes), record.version);
  }
}
