/**
 * Spread's counts as one snapshot stands (base plus overlay): active tasks of a group per value of
 * an attribute. Kept per snapshot, and carried to a derived snapshot in O(slots changed), so a
 * decision reads them instead of correcting the base's counts for the whole overlay every time.
 */
import type { ClusterIndex } from './cluster-index.ts';
import type { SlotState } from './slot-state.ts';

/** (group, attribute) pairs carried to a derived snapshot; others are recomputed when asked. */
const CARRIED_COUNTS = 8;

export class SnapshotCounts {
  /** group -> attribute -> counts per value id. Read-only once stored. */
  readonly #counts = new Map<string, Map<string, Float64Array>>();
  #size = 0;

  /** The counts for `index`'s snapshot (this object's owner). O(values + overlay) the first time. */
  get(index: ClusterIndex, group: string, name: string): Float64Array {
    let counts = this.#counts.get(group)?.get(name);
    if (!counts) {
      const corrected = index.base.valueCounts(group, name).slice();
      const ids = index.table.column(name).ids;
      const baseGroup = index.base.groupCounts(group);
      index.overlay.forEach((state, slot) => {
        corrected[ids[slot]] += state.groupCount(group) - baseGroup[slot];
      });
      counts = corrected;
      this.#store(group, name, counts);
    }
    return counts;
  }

  /**
   * The counts for the snapshot that replaces `changes` slots of `parent`'s. Call it before the
   * parent's overlay is extended: the slots' old states are read from it.
   */
  carried(parent: ClusterIndex, changes: ReadonlyMap<number, SlotState>): SnapshotCounts {
    const next = new SnapshotCounts();
    for (const [group, byName] of this.#counts) {
      for (const [name, counts] of byName) {
        if (next.#size >= CARRIED_COUNTS) return next;
        const ids = parent.table.column(name).ids;
        const moved = counts.slice();
        changes.forEach((state, slot) => {
          const before = parent.overlay.get(slot) ?? parent.base.states[slot];
          moved[ids[slot]] += state.groupCount(group) - before.groupCount(group);
        });
        next.#store(group, name, moved);
      }
    }
    return next;
  }

  #store(group: string, name: string, counts: Float64Array): void {
    let byName = this.#counts.get(group);
    if (!byName) {
      byName = new Map();
      this.#counts.set(group, byName);
    }
    byName.set(name, counts);
    this.#size++;
  }
}
