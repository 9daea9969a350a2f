/**
 * Vectorized slot states for one "base" set of instances, with lazily built per-group counts,
 * per-(group, attribute) value counts, resource-sorted orders and per-request-shape structures. A base is immutable; `rebase`
 * folds an overlay of changed slots into a new base in O(n) without recomputing untouched slots.
 */
import type { InstanceSnapshot } from '../types.ts';
import { mergeOrder, type ResourceOrder, sortedOrder } from './resource-order.ts';
import { type SlotState, slotState } from './slot-state.ts';
import type { StaticTable } from './static-table.ts';

export type OrderedResource = 'cpu' | 'memory';

/**
 * Group count arrays a rebase carries over (most recently used first). A control plane with
 * 1,000 services would otherwise copy 1,000 arrays of n counts on every rebase; a group that is
 * dropped is rebuilt in O(n) the next time it is asked for.
 */
const CARRIED_GROUPS = 32;

/** Per-shape structures (spread buckets) one base keeps, oldest dropped first. */
const SHAPES_PER_BASE = 16;

/** A per-shape structure and how to carry it over a rebase (undefined: drop it there). */
interface KeptShape {
  readonly value: unknown;
  readonly rebased?: Rebased;
}

export interface Columns {
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
}

/** Carries a per-shape structure over a rebase: its value for `next` (undefined drops it). */
export type Rebased = (value: never, next: BaseIndex, changed: ReadonlyMap<number, SlotState>) => unknown;

export class BaseIndex {
  readonly table: StaticTable;
  readonly states: readonly SlotState[];
  #columns: Columns | undefined;
  readonly #groups: Map<string, Float64Array>;
  readonly #orders: Map<OrderedResource, ResourceOrder>;
  readonly #values: Map<string, Float64Array>;
  readonly #shapes = new Map<string, KeptShape>();

  constructor(
    table: StaticTable,
    states: readonly SlotState[],
    columns?: Columns,
    caches?: {
      groups: Map<string, Float64Array>;
      orders: Map<OrderedResource, ResourceOrder>;
      values: Map<string, Float64Array>;
    },
  ) {
    this.table = table;
    this.states = states;
    this.#columns = columns;
    this.#groups = caches?.groups ?? new Map();
    this.#orders = caches?.orders ?? new Map();
    this.#values = caches?.values ?? new Map();
  }

  static build(table: StaticTable, instances: readonly InstanceSnapshot[]): BaseIndex {
    return new BaseIndex(table, instances.map(slotState));
  }

  /**
   * Remaining CPU and memory per slot as columns: a full scan compares these contiguous numbers
   * and only dereferences the states of instances that have room. Built on a scan's first use; a
   * rebase carries them over only if they were built, so lineages that never scan never copy them.
   */
  get columns(): Columns {
    if (!this.#columns) {
      const cpu = new Float64Array(this.states.length);
      const memory = new Float64Array(this.states.length);
      this.states.forEach((s, slot) => {
        cpu[slot] = s.cpu;
        memory[slot] = s.memory;
      });
      this.#columns = { cpu, memory };
    }
    return this.#columns;
  }

  /** Active tasks of `group` per slot. Map order is kept as recency of use. */
  groupCounts(group: string): Float64Array {
    let counts = this.#groups.get(group);
    if (counts) this.#groups.delete(group);
    else {
      counts = new Float64Array(this.states.length);
      for (let slot = 0; slot < counts.length; slot++) counts[slot] = this.states[slot].groupCount(group);
    }
    this.#groups.set(group, counts);
    return counts;
  }

  /** Slots ascending by remaining cpu or memory, for the binpack probe. */
  order(resource: OrderedResource): ResourceOrder {
    let order = this.#orders.get(resource);
    if (!order) {
      order = sortedOrder(this.states, resource, this.table.canonical.pos);
      this.#orders.set(resource, order);
    }
    return order;
  }

  /** Active tasks of `group` per value id of attribute `name` (id 0 = instances without a value). */
  valueCounts(group: string, name: string): Float64Array {
    const key = `${group}\u0000${name}`;
    let counts = this.#values.get(key);
    if (!counts) {
      const column = this.table.column(name);
      const perSlot = this.groupCounts(group);
      counts = new Float64Array(column.values.length);
      for (let slot = 0; slot < perSlot.length; slot++) counts[column.ids[slot]] += perSlot[slot];
      this.#values.set(key, counts);
    }
    return counts;
  }

  /** A structure kept for one request shape (spread buckets), or undefined if none was kept. */
  shape(key: string): unknown {
    return this.#shapes.get(key)?.value;
  }

  /**
   * Keeps `value` for `key`. A rebase carries it over through `rebased` (which may give undefined
   * to drop it); without `rebased` the next base builds its own when asked.
   */
  keepShape(key: string, value: unknown, rebased?: Rebased): void {
    if (this.#shapes.size >= SHAPES_PER_BASE) this.#shapes.delete(this.#shapes.keys().next().value as string);
    this.#shapes.set(key, { value, rebased });
  }

  /**
   * A new base where `overlay` slots take their new states. Cached group counts, value counts,
   * orders and per-shape structures are patched, not rebuilt: O(n) copies plus O(k log k) for the
   * k changed slots.
   */
  rebase(overlay: ReadonlyMap<number, SlotState>): BaseIndex {
    // The changes as two lists, read by every loop below (iterating the Map makes an array per entry).
    const slots: number[] = [];
    const changed: SlotState[] = [];
    overlay.forEach((state, slot) => {
      slots.push(slot);
      changed.push(state);
    });
    const states = this.states.slice();
    for (let i = 0; i < slots.length; i++) states[slots[i]] = changed[i];
    let columns: Columns | undefined;
    if (this.#columns) {
      columns = { cpu: this.#columns.cpu.slice(), memory: this.#columns.memory.slice() };
      for (let i = 0; i < slots.length; i++) {
        columns.cpu[slots[i]] = changed[i].cpu;
        columns.memory[slots[i]] = changed[i].memory;
      }
    }
    const groups = new Map<string, Float64Array>();
    for (const [group, old] of [...this.#groups].slice(-CARRIED_GROUPS)) {
      const counts = old.slice();
      for (let i = 0; i < slots.length; i++) counts[slots[i]] = changed[i].groupCount(group);
      groups.set(group, counts);
    }
    const values = new Map<string, Float64Array>();
    for (const [key, old] of this.#values) {
      const [group, name] = key.split('\u0000');
      const after = groups.get(group);
      if (!after) continue;
      const ids = this.table.column(name).ids;
      const before = this.#groups.get(group) as Float64Array;
      const counts = old.slice();
      for (const slot of slots) counts[ids[slot]] += after[slot] - before[slot];
      values.set(key, counts);
    }
    const orders = new Map<OrderedResource, ResourceOrder>();
    for (const [resource, old] of this.#orders)
      orders.set(resource, mergeOrder(old, states, overlay, resource, this.table.canonical.pos));
    const next = new BaseIndex(this.table, states, columns, { groups, orders, values });
    for (const [key, { value, rebased }] of this.#shapes) {
      const carried = rebased?.(value as never, next, overlay);
      if (carried !== undefined) next.keepShape(key, carried, rebased);
    }
    return next;
  }
}
