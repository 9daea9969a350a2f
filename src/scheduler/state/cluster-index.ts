/**
 * The scheduler's index of a snapshot: a shared static table, a vectorized base, and an overlay of
 * slots changed since the base. Snapshots derived with `applyPlacements`/`updateInstances` get
 * their index in O(changed) (plus an O(n) rebase every ~sqrt(n) changes), which is what keeps a
 * decision's cost nearly flat as the cluster grows.
 */
import type { ClusterSnapshot, InstanceSnapshot, TaskOnInstance } from '../types.ts';
import { BaseIndex } from './base-index.ts';
import { type SlotState, slotState, withTask } from './slot-state.ts';
import { StaticTable } from './static-table.ts';

export interface ClusterIndex {
  readonly snapshot: ClusterSnapshot;
  readonly table: StaticTable;
  readonly base: BaseIndex;
  /** Slots whose instance object differs from the base's, with their current states. */
  readonly overlay: ReadonlyMap<number, SlotState>;
}

/**
 * Snapshots are immutable, so an index computed for one stays valid for its lifetime. A caller's
 * snapshot is never written to: its index lives in a WeakMap. A snapshot this module derives
 * carries its index in a non-enumerable symbol property set when it is built (invisible to JSON,
 * structuredClone and deepEqual), because a WeakMap entry per derived snapshot makes V8 promote
 * every one of them: at 5,000 instances that cost ~50 us of GC per applied placement.
 */
const indexes = new WeakMap<ClusterSnapshot, ClusterIndex>();
const INDEX = Symbol('scheduler.clusterIndex');

function cachedIndex(snapshot: ClusterSnapshot): ClusterIndex | undefined {
  return (snapshot as { [INDEX]?: ClusterIndex })[INDEX] ?? indexes.get(snapshot);
}

export function clusterIndex(snapshot: ClusterSnapshot): ClusterIndex {
  let index = cachedIndex(snapshot);
  if (!index) {
    const table = new StaticTable(snapshot.instances);
    index = { snapshot, table, base: BaseIndex.build(table, snapshot.instances), overlay: new Map() };
    indexes.set(snapshot, index);
  }
  return index;
}

/**
 * Overlay size that triggers a rebase: every probe visits the overlay, every rebase copies O(n).
 * sqrt(n) balances the two: 5,000 instances rebase every 71 changes.
 */
function overlayLimit(n: number): number {
  return Math.min(128, Math.max(16, Math.round(Math.sqrt(n))));
}

/**
 * A new snapshot with the given instances replaced (matched by ARN), e.g. after a task stopped;
 * the input is not touched. Adding or removing instances needs a new snapshot.
 */
export function updateInstances(
  snapshot: ClusterSnapshot,
  replacements: readonly InstanceSnapshot[],
): ClusterSnapshot {
  const parent = cachedIndex(snapshot);
  const slotOf = slotsByArn(snapshot);
  const instances = snapshot.instances.slice();
  const changed: number[] = [];
  let sameStatics = true;
  for (const replacement of replacements) {
    const slot = slotOf.get(replacement.arn);
    if (slot === undefined) throw new Error(`container instance ${replacement.arn} is not in the snapshot`);
    sameStatics &&= staticFieldsEqual(instances[slot], replacement);
    instances[slot] = replacement;
    changed.push(slot);
  }
  const next: ClusterSnapshot = { ...snapshot, instances };
  if (parent && sameStatics) {
    let overlay = new Map(parent.overlay);
    for (const slot of changed) overlay.set(slot, slotState(instances[slot]));
    let base = parent.base;
    if (overlay.size > overlayLimit(instances.length)) {
      base = base.rebase(overlay);
      overlay = new Map();
    }
    Object.defineProperty(next, INDEX, { value: { snapshot: next, table: parent.table, base, overlay } });
  }
  return next;
}

/** A task added to an instance, as a committed plan records it. */
export interface PlacedTask {
  readonly instanceArn: string;
  readonly task: TaskOnInstance;
}

/** The snapshot after these tasks were placed: the view a later decision must see. */
export function applyPlacements(snapshot: ClusterSnapshot, placed: readonly PlacedTask[]): ClusterSnapshot {
  const slotOf = slotsByArn(snapshot);
  const byArn = new Map<string, InstanceSnapshot>();
  for (const { instanceArn, task } of placed) {
    const slot = slotOf.get(instanceArn);
    if (slot === undefined) throw new Error(`container instance ${instanceArn} is not in the snapshot`);
    byArn.set(instanceArn, withTask(byArn.get(instanceArn) ?? snapshot.instances[slot], task));
  }
  return updateInstances(snapshot, [...byArn.values()]);
}

/** ARN -> slot: the indexed lineage's map when there is one, else built for this call. */
function slotsByArn(snapshot: ClusterSnapshot): ReadonlyMap<string, number> {
  return (
    cachedIndex(snapshot)?.table.slotOf ??
    new Map(snapshot.instances.map((instance, slot) => [instance.arn, slot]))
  );
}

/** Fields the static table caches: if any differ, the lineage must start over. */
function staticFieldsEqual(a: InstanceSnapshot, b: InstanceSnapshot): boolean {
  if (
    a.arn !== b.arn ||
    a.ec2InstanceId !== b.ec2InstanceId ||
    a.status !== b.status ||
    a.agentConnected !== b.agentConnected ||
    a.agentVersion !== b.agentVersion ||
    a.registeredAt !== b.registeredAt
  ) {
    return false;
  }
  if (a.attributes === b.attributes) return true;
  const keys = Object.keys(a.attributes);
  if (keys.length !== Object.keys(b.attributes).length) return false;
  return keys.every((k) => Object.hasOwn(b.attributes, k) && a.attributes[k] === b.attributes[k]);
}
