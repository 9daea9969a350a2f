/**
 * The private, per-`place` view of the cluster: the index plus the tasks placed so far in this
 * call. Nothing here writes to the snapshot or the index; placing a task only grows a local overlay.
 */
import type { TaskOnInstance } from '../types.ts';
import type { BaseIndex } from './base-index.ts';
import type { ClusterIndex } from './cluster-index.ts';
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
  #overlay: ReadonlyMap<number, SlotState>;
  #ownsOverlay = false;
  #mark: Uint8Array | undefined;
  readonly #baseGroup: Float64Array;
  readonly #valueCounts = new Map<string, Float64Array>();

  constructor(index: ClusterIndex, group: string) {
    this.table = index.table;
    this.base = index.base;
    this.group = group;
    this.#overlay = index.overlay;
    this.#baseGroup = index.base.groupCounts(group);
    this.view = { slot: -1, state: index.base.states[0], groupCount: 0 };
  }

  get n(): number {
    return this.table.n;
  }

  /** Slots whose state differs from the base: visited one by one, skipped in base scans. */
  get overlay(): ReadonlyMap<number, SlotState> {
    return this.#overlay;
  }

  /** 1 for slots in the overlay; built once per call for full scans. */
  changedMark(): Uint8Array {
    if (!this.#mark) {
      this.#mark = new Uint8Array(this.n);
      for (const slot of this.#overlay.keys()) this.#mark[slot] = 1;
    }
    return this.#mark;
  }

  at(slot: number): SlotView {
    const state = this.#overlay.get(slot);
    return state ? this.atState(slot, state) : this.atBase(slot);
  }

  /** Only for slots not in the overlay. */
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
    const current = this.at(slot).state.instance;
    const overlay = this.#ownsOverlay ? (this.#overlay as Map<number, SlotState>) : new Map(this.#overlay);
    overlay.set(slot, slotState(withTask(current, task)));
    this.#overlay = overlay;
    this.#ownsOverlay = true;
    this.#mark = undefined;
    this.#valueCounts.clear();
  }

  /**
   * Active tasks of the request's group per value of attribute `name` (spread's counts): the
   * base's cached counts corrected by the overlay. Example: base {a: 4, b: 3}, one task just
   * placed in b -> {a: 4, b: 4}.
   */
  valueCounts(name: string): Float64Array {
    let counts = this.#valueCounts.get(name);
    if (!counts) {
      counts = this.base.valueCounts(this.group, name).slice();
      const ids = this.table.column(name).ids;
      for (const [slot, state] of this.#overlay)
        counts[ids[slot]] += state.groupCount(this.group) - this.#baseGroup[slot];
      this.#valueCounts.set(name, counts);
    }
    return counts;
  }
}
