/**
 * Vectorized slot states for one "base" set of instances, with lazily built per-group counts,
 * per-(group, attribute) value counts and resource-sorted orders. A base is immutable; `rebase`
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

export class BaseIndex {
  readonly table: StaticTable;
  readonly states: readonly SlotState[];
  /**
   * Remaining CPU and memory per slot as columns: a full scan compares these contiguous numbers
   * and only dereferences the states of instances that have room.
   */
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly #groups: Map<string, Float64Array>;
  readonly #orders: Map<OrderedResource, ResourceOrder>;
  readonly #values: Map<string, Float64Array>;

  constructor(
    table: StaticTable,
    states: readonly SlotState[],
    columns: { cpu: Float64Array; memory: Float64Array },
    caches?: {
      groups: Map<string, Float64Array>;
      orders: Map<OrderedResource, ResourceOrder>;
      values: Map<string, Float64Array>;
    },
  ) {
    this.table = table;
    this.states = states;
    this.cpu = columns.cpu;
    this.memory = columns.memory;
    this.#groups = caches?.groups ?? new Map();
    this.#orders = caches?.orders ?? new Map();
    this.#values = caches?.values ?? new Map();
  }

  static build(table: StaticTable, instances: readonly InstanceSnapshot[]): BaseIndex {
    const states = instances.map(slotState);
    const cpu = new Float64Array(states.length);
    const memory = new Float64Array(states.length);
    states.forEach((s, slot) => {
      cpu[slot] = s.cpu;
      memory[slot] = s.memory;
    });
    return new BaseIndex(table, states, { cpu, memory });
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
      order = sortedOrder(this.states, resource);
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

  /**
   * A new base where `overlay` slots take their new states. Cached group counts, value counts and
   * orders are patched, not rebuilt: O(n) copies plus O(k log k) for the k changed slots.
   */
  rebase(overlay: ReadonlyMap<number, SlotState>): BaseIndex {
    const states = this.states.slice();
    const cpu = this.cpu.slice();
    const memory = this.memory.slice();
    for (const [slot, state] of overlay) {
      states[slot] = state;
      cpu[slot] = state.cpu;
      memory[slot] = state.memory;
    }
    const groups = new Map<string, Float64Array>();
    for (const [group, old] of [...this.#groups].slice(-CARRIED_GROUPS)) {
      const counts = old.slice();
      for (const [slot, state] of overlay) counts[slot] = state.groupCount(group);
      groups.set(group, counts);
    }
    const values = new Map<string, Float64Array>();
    for (const [key, old] of this.#values) {
      const [group, name] = key.split('\u0000');
      if (!groups.has(group)) continue;
      const ids = this.table.column(name).ids;
      const before = this.#groups.get(group)!;
      const counts = old.slice();
      for (const [slot, state] of overlay) counts[ids[slot]] += state.groupCount(group) - before[slot];
      values.set(key, counts);
    }
    const orders = new Map<OrderedResource, ResourceOrder>();
    for (const [resource, old] of this.#orders)
      orders.set(resource, mergeOrder(old, states, overlay, resource));
    return new BaseIndex(this.table, states, { cpu, memory }, { groups, orders, values });
  }
}
