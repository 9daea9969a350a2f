/**
 * Incremental cluster snapshots: each cluster's last ClusterSnapshot, patched from the records that
 * changed since it was built, so RunTask at 5,000 instances does not rebuild 5,000 instance
 * snapshots (and the scheduler's index over them) on every call.
 *
 * Invariant: derived data is reused only when it came from the very same `Stored` object. Stored
 * records are deep-frozen, so the same object means the same content. A store that returns fresh
 * objects on every read, or a view holding uncommitted writes that later roll back, never matches
 * a stale entry: the cost is rework, never a wrong snapshot.
 *
 * Two ways to find what changed: the store's `changesSince` names the changed keys, so a RunTask
 * costs O(changes); when it cannot say (first look, or its log no longer reaches back), every
 * record is listed and compared by identity, O(instances + tasks) pointer compares.
 */
import {
  type ClusterSnapshot,
  type InstanceSnapshot,
  type TaskOnInstance,
  updateInstances,
} from '../../../scheduler/index.ts';
import { Kind, type Reader, type Stored } from '../../../store/store.ts';
import { type ContainerInstanceRecord, keys, type TaskRecord } from '../records.ts';
import { instanceSnapshot, taskOnInstance, withInstanceTasks } from './instance-snapshot.ts';

/** Clusters remembered at once; the least recently used one is dropped beyond this. */
export const SNAPSHOT_CACHE_CLUSTERS = 64;

interface TaskEntry {
  stored: Stored<TaskRecord>;
  /** Set while the task holds resources on an instance (placed and not STOPPED). */
  instanceArn?: string;
  task?: TaskOnInstance;
}

interface ClusterEntry {
  /** Instance records by key, INACTIVE ones included. */
  instances: Map<string, Stored<ContainerInstanceRecord>>;
  tasks: Map<string, TaskEntry>;
  /** Resource-holding tasks per instance ARN, by task key. */
  held: Map<string, Map<string, TaskOnInstance>>;
  snapshot: ClusterSnapshot;
  /** The snapshot's instances by ARN, kept in step with it. */
  byArn: Map<string, InstanceSnapshot>;
  /** ARN -> position in `snapshot.instances`; fixed for every snapshot patched from one build. */
  slots: Map<string, number>;
  /** Change-log positions (instances, tasks) this entry is current to. */
  cursors?: { instances: unknown; tasks: unknown };
  /** Keys last seen with uncommitted values: looked at again next time, in case they rolled back. */
  recheck: { instances: string[]; tasks: string[] };
}

/** Each snapshot handed out, with its lineage's ARN -> position map (shared, never copied). */
const slotMaps = new WeakMap<ClusterSnapshot, Map<string, number>>();

/** The instance with `arn` in `snapshot`: O(1) for snapshots from this cache, else a scan. */
export function snapshotInstance(snapshot: ClusterSnapshot, arn: string): InstanceSnapshot | undefined {
  const slot = slotMaps.get(snapshot)?.get(arn);
  return slot === undefined ? snapshot.instances.find((i) => i.arn === arn) : snapshot.instances[slot];
}

/**
 * One control plane's (one store's) snapshots, by cluster name: held by the ECS context, never
 * module-wide, so two stores in one process (tests, regions) never see each other's entries.
 */
export class SnapshotCache {
  readonly #clusters = new Map<string, ClusterEntry>();

  /** The cluster's instances (all but INACTIVE) with the tasks that hold resources on them, as `reader` sees it. */
  async snapshot(reader: Reader, cluster: string): Promise<ClusterSnapshot> {
    const prefix = keys.inCluster(cluster);
    const entry = this.#clusters.get(cluster);
    if (entry?.cursors) {
      // Synchronous from here to the end of `patchChanged`: no other call can interleave.
      const ci = reader.changesSince(
        Kind.ContainerInstance,
        prefix,
        entry.cursors.instances,
        entry.recheck.instances,
      );
      const ct = reader.changesSince(Kind.Task, prefix, entry.cursors.tasks, entry.recheck.tasks);
      if (ci.changed && ct.changed && patchChanged(entry, ci.changed, ct.changed)) {
        entry.cursors = { instances: ci.cursor, tasks: ct.cursor };
        entry.recheck = { instances: ci.pending, tasks: ct.pending };
        return this.#remember(cluster, entry).snapshot;
      }
    }
    // Cursors first: whatever changes while we list is logged after them and is looked at next time.
    const ci = reader.changesSince(Kind.ContainerInstance, prefix, undefined);
    const ct = reader.changesSince(Kind.Task, prefix, undefined);
    const instances = await reader.list<ContainerInstanceRecord>(Kind.ContainerInstance, { prefix });
    const tasks = await reader.list<TaskRecord>(Kind.Task, { prefix });
    const current = this.#clusters.get(cluster);
    const next = current && patchListed(current, instances, tasks) ? current : build(instances, tasks);
    next.cursors = { instances: ci.cursor, tasks: ct.cursor };
    next.recheck = { instances: ci.pending, tasks: ct.pending };
    return this.#remember(cluster, next).snapshot;
  }

  #remember(cluster: string, entry: ClusterEntry): ClusterEntry {
    slotMaps.set(entry.snapshot, entry.slots);
    this.#clusters.delete(cluster);
    this.#clusters.set(cluster, entry);
    if (this.#clusters.size > SNAPSHOT_CACHE_CLUSTERS)
      this.#clusters.delete(this.#clusters.keys().next().value as string);
    return entry;
  }
}

function taskEntry(stored: Stored<TaskRecord>): TaskEntry {
  const arn = stored.value.task.containerInstanceArn;
  if (!arn || stored.value.task.lastStatus === 'STOPPED') return { stored };
  return { stored, instanceArn: arn, task: taskOnInstance(stored.value) };
}

/** Tasks in key order, as a full build lists them. */
function tasksOf(held: Map<string, TaskOnInstance> | undefined): TaskOnInstance[] {
  if (!held || held.size === 0) return [];
  return [...held.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, t]) => t);
}

const isInactive = (r: Stored<ContainerInstanceRecord>) => r.value.instance.status === 'INACTIVE';

function build(instances: Stored<ContainerInstanceRecord>[], tasks: Stored<TaskRecord>[]): ClusterEntry {
  const entry: ClusterEntry = {
    instances: new Map(instances.map((r) => [r.key, r])),
    tasks: new Map(),
    held: new Map(),
    snapshot: { instances: [] },
    byArn: new Map(),
    slots: new Map(),
    recheck: { instances: [], tasks: [] },
  };
  for (const stored of tasks) setTask(entry, stored.key, stored);
  entry.snapshot = {
    instances: instances
      .filter((r) => !isInactive(r))
      .map((r) => {
        const arn = r.value.instance.containerInstanceArn ?? '';
        return instanceSnapshot(r.value, tasksOf(entry.held.get(arn)));
      }),
  };
  entry.snapshot.instances.forEach((i, slot) => {
    entry.byArn.set(i.arn, i);
    entry.slots.set(i.arn, slot);
  });
  return entry;
}

/**
 * Replaces (or with `stored` undefined, removes) one task, unless it is the same object as
 * before; returns the instance ARNs whose tasks changed.
 */
function setTask(entry: ClusterEntry, key: string, stored: Stored<TaskRecord> | undefined): string[] {
  const previous = entry.tasks.get(key);
  if (previous?.stored === stored) return [];
  const affected: string[] = [];
  if (previous?.instanceArn) {
    entry.held.get(previous.instanceArn)?.delete(key);
    affected.push(previous.instanceArn);
  }
  if (!stored) {
    entry.tasks.delete(key);
    return affected;
  }
  const next = taskEntry(stored);
  entry.tasks.set(key, next);
  if (next.task && next.instanceArn) {
    let held = entry.held.get(next.instanceArn);
    if (!held) {
      held = new Map();
      entry.held.set(next.instanceArn, held);
    }
    held.set(key, next.task);
    affected.push(next.instanceArn);
  }
  return affected;
}

/**
 * Applies named changes; returns false when the set of instances in the snapshot changes (one
 * added, removed, made INACTIVE or active again): a full build is simpler then.
 */
function patchChanged(
  entry: ClusterEntry,
  instances: Map<string, Stored<unknown> | undefined>,
  tasks: Map<string, Stored<unknown> | undefined>,
): boolean {
  const changedInstances: Stored<ContainerInstanceRecord>[] = [];
  for (const [key, value] of instances) {
    const now = value as Stored<ContainerInstanceRecord> | undefined;
    const before = entry.instances.get(key);
    if (now === before) continue;
    if (!now || !before || isInactive(now) !== isInactive(before)) return false;
    changedInstances.push(now);
  }
  for (const r of changedInstances) entry.instances.set(r.key, r);
  const affected = new Set<string>();
  for (const [key, value] of tasks) {
    for (const arn of setTask(entry, key, value as Stored<TaskRecord> | undefined)) affected.add(arn);
  }
  replaceInstances(entry, changedInstances, affected);
  return true;
}

/** Applies full listings by comparing every record's identity; false when the instance set changed. */
function patchListed(
  entry: ClusterEntry,
  instances: Stored<ContainerInstanceRecord>[],
  tasks: Stored<TaskRecord>[],
): boolean {
  if (instances.length !== entry.instances.size) return false;
  const changedInstances: Stored<ContainerInstanceRecord>[] = [];
  for (const now of instances) {
    const before = entry.instances.get(now.key);
    if (now === before) continue;
    if (!before || isInactive(now) !== isInactive(before)) return false;
    changedInstances.push(now);
  }
  for (const r of changedInstances) entry.instances.set(r.key, r);
  const affected = new Set<string>();
  const known = entry.tasks.size;
  let seen = 0;
  for (const stored of tasks) {
    if (entry.tasks.has(stored.key)) seen++;
    for (const arn of setTask(entry, stored.key, stored)) affected.add(arn);
  }
  if (seen < known) {
    // Some tasks are gone (expired): find them by key.
    const present = new Set(tasks.map((t) => t.key));
    for (const key of [...entry.tasks.keys()]) {
      if (!present.has(key)) for (const arn of setTask(entry, key, undefined)) affected.add(arn);
    }
  }
  replaceInstances(entry, changedInstances, affected);
  return true;
}

/** A new snapshot with changed instance records rebuilt and instances whose tasks changed re-counted. */
function replaceInstances(
  entry: ClusterEntry,
  changedInstances: readonly Stored<ContainerInstanceRecord>[],
  affected: ReadonlySet<string>,
): void {
  if (changedInstances.length === 0 && affected.size === 0) return;
  const replacements = new Map<string, InstanceSnapshot>();
  for (const record of changedInstances) {
    if (isInactive(record)) continue;
    const arn = record.value.instance.containerInstanceArn ?? '';
    replacements.set(arn, instanceSnapshot(record.value, tasksOf(entry.held.get(arn))));
  }
  for (const arn of affected) {
    if (replacements.has(arn)) continue;
    const previous = entry.byArn.get(arn);
    if (previous) replacements.set(arn, withInstanceTasks(previous, tasksOf(entry.held.get(arn))));
  }
  if (replacements.size === 0) return;
  entry.snapshot = updateInstances(entry.snapshot, [...replacements.values()]);
  for (const [arn, instance] of replacements) entry.byArn.set(arn, instance);
}
