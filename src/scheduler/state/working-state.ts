/**
 * The private, per-`place` view of the cluster: the index plus the tasks placed so far in this
 * call. Nothing here writes to the snapshot or the index; placing a task only grows a local overlay.
 */
import type { TaskOnInstance } from '../types.ts';
import type { BaseIndex } from './base-index.ts';
import type { ClusterIndex } from './cluster-index.ts';
import type { Overlay } from './overlay.ts';
import { type SlotState, slotState, withTask } from './slot-state.ts';
import type { StaticTable } from './static-table.ts';

/** A cursor on one slot, reused for every slot visited (callers copy out what they keep). */
export interface SlotView {
  slot: number;
  state: SlotState;
  /** Active tasks of the request's group on this slot (what spread and distinctInstance count). */
  groupCount: number;
}

export class WorkingState {
  readonly table: StaticTable;
  readonly base: BaseIndex;
  readonly group: string;
  readonly view: SlotView;
  /** The index's overlay (shared with the snapshot, never written) ... */
  readonly #overlay: Overlay;
  /** ... and the slots this call placed tasks on, which take precedence (created on first use). */
  #placed: Map<number, SlotState> | undefined;
  #mark: Uint8Array | undefined;
  readonly #baseGroup: Float64Array;
  readonly #index: ClusterIndex;
  /** Spread's corrected counts per attribute, for the current task (created on first use). */
  #valueCounts: Map<string, Float64Array> | undefined;

  constructor(index: ClusterIndex, group: string) {
    this.table = index.table;
    this.base = index.base;
    this.group = group;
    this.#overlay = index.overlay;
    this.#index = index;
    this.#baseGroup = index.base.groupCounts(group);
    this.view = { slot: -1, state: index.base.states[0], groupCount: 0 };
  }

  get n(): number {
    return this.table.n;
  }

  /** True when some slot's state differs from the base's (then base walks must skip those). */
  get hasChanges(): boolean {
    return this.#overlay.size > 0 || this.#placed !== undefined;
  }

  /** The slot's state differs from the base's: visited on its own, skipped in base walks. */
  isChanged(slot: number): boolean {
    return this.#overlay.has(slot) || (this.#placed?.has(slot) ?? false);
  }

  /** Every changed slot once, with its current state (no allocation per slot). */
  forEachChanged(visit: (state: SlotState, slot: number) => void): void {
    const placed = this.#placed;
    if (placed) {
      this.#overlay.forEach((state, slot) => {
        if (!placed.has(slot)) visit(state, slot);
      });
      placed.forEach(visit);
    } else this.#overlay.forEach(visit);
  }

  /** 1 for changed slots; built once per call (and after each placement) for full scans. */
  changedMark(): Uint8Array {
    if (!this.#mark) {
      const mark = new Uint8Array(this.n);
      this.forEachChanged((_, slot) => {
        mark[slot] = 1;
      });
      this.#mark = mark;
    }
    return this.#mark;
  }

  at(slot: number): SlotView {
    const state = this.#placed?.get(slot) ?? this.#overlay.get(slot);
    return state ? this.atState(slot, state) : this.atBase(slot);
  }

  /** Only for slots not changed. */
  atBase(slot: number): SlotView {
    this.view.slot = slot;
    this.view.state = this.base.states[slot];
    this.view.groupCount = this.#baseGroup[slot];
    return this.view;
  }

  atState(slot: number, state: SlotState): SlotView {
    this.view.slot = slot;
    this.view.state = state;
    this.view.groupCount = state.groupCount(this.group);
    return this.view;
  }

  /** Active tasks of any group on the viewed slot (task:group expressions). */
  groupCount(view: SlotView, group: string): number {
    return group === this.group ? view.groupCount : view.state.groupCount(group);
  }

  /** Records a task placed earlier in this decision: later tasks see its resources, ports and group. */
  placeTask(slot: number, task: TaskOnInstance): void {
    const current = this.at(slot).state;
    this.#placed ??= new Map();
    this.#placed.set(slot, slotState(withTask(current.instance, task)));
    this.#mark = undefined;
    this.#valueCounts?.clear();
  }

  /**
   * Active tasks of the request's group per value of attribute `name` (spread's counts): the
   * snapshot's counts (read-only, shared), corrected for the tasks this call placed. Example:
   * snapshot {a: 4, b: 3}, one task just placed in b -> {a: 4, b: 4}.
   */
  valueCounts(name: string): Float64Array {
    const current = this.#index.counts.get(this.#index, this.group, name);
    const placed = this.#placed;
    if (!placed) return current;
    this.#valueCounts ??= new Map();
    let counts = this.#valueCounts.get(name);
    if (!counts) {
      const corrected = current.slice();
      const ids = this.table.column(name).ids;
      placed.forEach((state, slot) => {
        const before = this.#overlay.get(slot) ?? this.base.states[slot];
        corrected[ids[slot]] += state.groupCount(this.group) - before.groupCount(this.group);
      });
      counts = corrected;
      this.#valueCounts.set(name, counts);
    }
    return counts;
  }
}
