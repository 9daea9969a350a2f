/** Builds the scheduler's immutable ClusterSnapshot from a cluster's instance and task records. */
import type { ClusterSnapshot } from '../../../scheduler/index.ts';
import type { Reader } from '../../../store/store.ts';
import type { SnapshotCache } from './snapshot-cache.ts';

export { instanceSnapshot, PORT_RANGE_ATTRIBUTE, taskOnInstance } from './instance-snapshot.ts';

/**
 * The cluster's instances (all but INACTIVE) with the tasks that hold resources on them, as
 * `reader` sees it. Patched from the cluster's previous snapshot (see snapshot-cache.ts), so the
 * cost is what changed since, not the size of the cluster.
 */
export function clusterSnapshot(
  ctx: { snapshots: SnapshotCache },
  reader: Reader,
  cluster: string,
): Promise<ClusterSnapshot> {
  return ctx.snapshots.snapshot(reader, cluster);
}
