/**
 * Strategies as scorers (Nomad's "rankers"): each gives an instance a key, lower is better, and
 * the chain compares keys in order, so every strategy only breaks the ties the ones before it left.
 * Example, spread(AZ) then binpack(memory): zones a=4, b=3, c=3 tasks; instances in b and c tie on
 * the first key (3) and the one among them with the least memory left wins.
 */
import type { SlotView, WorkingState } from '../state/working-state.ts';
import { SeededPermutation } from './permutation.ts';
import type { Strategy } from './strategy.ts';

export interface Scorer {
  readonly strategy: Strategy;
  /** Lower is better. */
  key(view: SlotView, ws: WorkingState): number;
  /** The same key from the slot number alone, for keys that do not read the slot's state. */
  keyOfSlot?(slot: number): number;
  /** Before each task: random takes a fresh draw. */
  reseed?(draw: () => number): void;
  /** Before each selection: read what stays fixed while one task is placed (spread's counts). */
  prepare?(ws: WorkingState): void;
  /** Set when keys ascend along a base resource order, enabling selection/binpack-probe.ts. */
  readonly orderedBy?: 'cpu' | 'memory';
  /**
   * random as the first strategy: keys are positions in this per-task permutation of the canonical
   * order, so the winner is the first feasible instance it draws (selection/random-draws.ts).
   */
  readonly permutation?: SeededPermutation;
  /** spread's attribute name, or null for spread(instanceId|host): enables selection/spread-levels.ts. */
  readonly spreads?: string | null;
}

/** Empty columns a scorer holds until `prepare` gives it the working state's: shared, as scorers are built per request. */
const NONE_F64: Float64Array = new Float64Array(0);
const NONE_I32: Int32Array = new Int32Array(0);
const NONE_U32: Uint32Array = new Uint32Array(0);

/** `index` is the strategy's place in the chain: random behaves differently when it comes first. */
export function scorerFor(strategy: Strategy, index: number): Scorer {
  switch (strategy.type) {
    case 'binpack':
      return binpack(strategy, strategy.field);
    case 'spread':
      return strategy.attribute === undefined
        ? spreadPerInstance(strategy)
        : spreadOnAttribute(strategy, strategy.attribute);
    case 'random':
      return index === 0 ? randomFirst(strategy) : randomTieBreak(strategy);
  }
}

/** binpack: least remaining cpu or memory first ("least available amount ... but still enough"). */
function binpack(strategy: Strategy, field: 'cpu' | 'memory'): Scorer {
  return { strategy, orderedBy: field, key: (view) => view.state[field] };
}

/** spread(instanceId|host): fewest tasks of the request's group on the instance first. */
function spreadPerInstance(strategy: Strategy): Scorer {
  return { strategy, spreads: null, key: (view) => view.groupCount };
}

/**
 * spread(attribute:NAME): fewest tasks of the group on instances sharing the instance's value.
 * Instances without the attribute form one more value of their own.
 */
function spreadOnAttribute(strategy: Strategy, name: string): Scorer {
  let counts = NONE_F64;
  let ids = NONE_I32;
  return {
    strategy,
    spreads: name,
    prepare: (ws) => {
      counts = ws.valueCounts(name);
      ids = ws.table.column(name).ids;
    },
    key: (view) => counts[ids[view.slot]],
    keyOfSlot: (slot) => counts[ids[slot]],
  };
}

/**
 * random first in the chain: the instance's position in a uniformly random permutation of the
 * canonical order, drawn per task from the task's salt. The winner, the feasible instance with the
 * smallest position, is uniform over the feasible instances; keys never tie, so strategies after
 * random never decide anything.
 */
function randomFirst(strategy: Strategy): Scorer {
  const permutation = new SeededPermutation();
  let salt = 0;
  let pos = NONE_I32;
  return {
    strategy,
    permutation,
    reseed: (draw) => {
      salt = draw();
    },
    prepare: (ws) => {
      pos = ws.table.canonical.pos;
      permutation.restart(salt, ws.n);
    },
    key: (view) => permutation.rankOf(pos[view.slot]),
  };
}

/**
 * random after another strategy, where it only breaks that one's ties: a seeded draw mixed with
 * the ARN's hash (O(1) per instance, so a binpack probe stays cheap), independent of slot order.
 */
function randomTieBreak(strategy: Strategy): Scorer {
  let salt = 0;
  let hashes = NONE_U32;
  return {
    strategy,
    reseed: (draw) => {
      salt = draw();
    },
    prepare: (ws) => {
      hashes = ws.table.arnHash;
    },
    key: (view) => mix32(salt, hashes[view.slot]),
  };
}

/** A 32-bit avalanche of two words (murmur3's finalizer): near-uniform, cheap, deterministic. */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
