/** ListContainerInstances `filter`: the cluster query language, evaluated by the scheduler's compiler. */
import { filterInstances as matching } from '../../scheduler/index.ts';
import type { Stored } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import type { ContainerInstanceRecord } from '../model/records.ts';
import { clusterSnapshot } from '../model/tasks/cluster-snapshot.ts';

export async function filterInstances(
  ctx: EcsContext,
  cluster: string,
  records: Stored<ContainerInstanceRecord>[],
  expression: string,
): Promise<Stored<ContainerInstanceRecord>[]> {
  const snapshot = await clusterSnapshot(ctx, ctx.store, cluster);
  const byArn = new Map(snapshot.instances.map((i) => [i.arn, i]));
  const candidates = records.flatMap((r) => {
    const s = byArn.get(r.value.instance.containerInstanceArn ?? '');
    return s ? [s] : [];
  });
  const keep = new Set(matching(candidates, expression).map((i) => i.arn));
  return records.filter((r) => keep.has(r.value.instance.containerInstanceArn ?? ''));
}
