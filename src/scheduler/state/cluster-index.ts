/**
 * The scheduler's index of a snapshot: a shared static table, a vectorized base, and an overlay of
 * slots changed since the base. Snapshots derived with `applyPlacements`/`updateInstances` get
 * their index in O(changed) (plus an O(n) rebase every ~sqrt(n) changes), which is what keeps a
 * decision's cost nearly flat as the cluster grows.
 */
import type { ClusterSnapshot, InstanceSnapshot, TaskOnInstance } from '../types.ts';
import { BaseIndex } from './base-index.ts';
import { Overlay } from './overlay.ts';
import { type SlotState, slotState, withTask } from './slot-state.ts';
import { SnapshotCounts } from './snapshot-counts.ts';
import { StaticTable } from './static-table.ts';

export interface ClusterIndex {
  readonly snapshot: ClusterSnapshot;
  readonly table: StaticTable;
  readonly base: BaseIndex;
  /** Slots whose instance object differs from the base's, with their current states. */
  readonly overlay: Overlay;
  /** Spread's counts as this snapshot stands, computed on first use and carried to derived ones. */
  readonly counts: SnapshotCounts;
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
    index = {
      snapshot,
      table,
      base: BaseIndex.build(table, snapshot.instances),
      overlay: Overlay.empty(),
      counts: new SnapshotCounts(),
    };
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
 *
 * On an indexed lineage this is O(changed): the result's `instances` array is only built, in
 * O(n), if someone reads it (the scheduler never does), because copying it on every applied
 * plan would make each decision O(n) again (at 20,000 instances the copy alone took ~130 us).
 */
export function updateInstances(
  snapshot: ClusterSnapshot,
  replacements: readonly InstanceSnapshot[],
): ClusterSnapshot {
  const parent = cachedIndex(snapshot);
  if (!parent) return replaced(snapshot, snapshot.instances, replacements);
  const { table } = parent;
  const changes = new Map<number, SlotState>();
  for (const replacement of replacements) {
    const slot = table.slotOf.get(replacement.arn);
    if (slot === undefined) throw new Error(`container instance ${replacement.arn} is not in the snapshot`);
    // A change to a static field starts a new lineage (the table would be wrong for it).
    if (!staticFieldsEqual(table.instances[slot], replacement))
      return replaced(snapshot, currentInstances(parent), replacements);
    changes.set(slot, slotState(replacement));
  }
  const counts = parent.counts.carried(parent, changes);
  let base = parent.base;
  let overlay = parent.overlay.with(changes);
  if (overlay.size > overlayLimit(table.n)) {
    base = base.rebase(overlay.toMap());
    overlay = Overlay.empty();
  }
  const next = withoutInstances(snapshot);
  let instances: readonly InstanceSnapshot[] | undefined;
  Object.defineProperty(next, 'instances', {
    enumerable: true,
    get: () => {
      instances ??= currentInstances({ base, overlay });
      return instances;
    },
  });
  Object.defineProperty(next, INDEX, { value: { snapshot: next, table, base, overlay, counts } });
  return next;
}

/** Instances in the snapshot this index describes. O(1). */
export function instanceCount(snapshot: ClusterSnapshot): number {
  return cachedIndex(snapshot)?.table.n ?? snapshot.instances.length;
}

/** A plain snapshot (no index: a new lineage) with the replacements applied to `instances`. */
function replaced(
  snapshot: ClusterSnapshot,
  current: readonly InstanceSnapshot[],
  replacements: readonly InstanceSnapshot[],
): ClusterSnapshot {
  const slotOf = slotsByArn(snapshot);
  const instances = current.slice();
  for (const replacement of replacements) {
    const slot = slotOf.get(replacement.arn);
    if (slot === undefined) throw new Error(`container instance ${replacement.arn} is not in the snapshot`);
    instances[slot] = replacement;
  }
  const next = withoutInstances(snapshot);
  (next as { instances: readonly InstanceSnapshot[] }).instances = instances;
  return next;
}

/** The snapshot's other fields, if a caller added any (reading them never builds `instances`). */
function withoutInstances(snapshot: ClusterSnapshot): ClusterSnapshot {
  const next: Record<string, unknown> = {};
  for (const key of Object.keys(snapshot))
    if (key !== 'instances') next[key] = (snapshot as unknown as Record<string, unknown>)[key];
  return next as unknown as ClusterSnapshot;
}

/** Every slot's instance: the base's, replaced by the overlay's where a slot changed. O(n). */
function currentInstances(index: Pick<ClusterIndex, 'base' | 'overlay'>): InstanceSnapshot[] {
  const instances = index.base.states.map((state) => state.instance);
  index.overlay.forEach((state, slot) => {
    instances[slot] = state.instance;
  });
  return instances;
}

/** The instance at `slot` now. O(1). */
function currentInstance(index: ClusterIndex, slot: number): InstanceSnapshot {
  return (index.overlay.get(slot) ?? index.base.states[slot]).instance;
}

/** A task added to an instance, as a committed plan records it. */
export interface PlacedTask {
  readonly instanceArn: string;
  readonly task: TaskOnInstance;
}

/** The snapshot after these tasks were placed: the view a later decision must see. */
export function applyPlacements(snapshot: ClusterSnapshot, placed: readonly PlacedTask[]): ClusterSnapshot {
  const index = cachedIndex(snapshot);
  const slotOf = slotsByArn(snapshot);
  // At most 10 placements: a list searched by ARN beats a Map here.
  const replacements: InstanceSnapshot[] = [];
  for (const { instanceArn, task } of placed) {
    const slot = slotOf.get(instanceArn);
    if (slot === undefined) throw new Error(`container instance ${instanceArn} is not in the snapshot`);
    let k = 0;
    while (k < replacements.length && replacements[k].arn !== instanceArn) k++;
    const current = replacements[k] ?? (index ? currentInstance(index, slot) : snapshot.instances[slot]);
    replacements[k] = withTask(current, task);
  }
  return updateInstances(snapshot, replacements);
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
