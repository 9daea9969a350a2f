/**
 * Strategies as scorers (Nomad's "rankers"): each gives an instance a key, lower is better, and
 * the chain compares keys in order, so every strategy only breaks the ties the ones before it left.
 * Example, spread(AZ) then binpack(memory): zones a=4, b=3, c=3 tasks; instances in b and c tie on
 * the first key (3) and the one among them with the least memory left wins.
 */
import type { SlotView, WorkingState } from '../state/working-state.ts';
import type { Strategy } from './strategy.ts';

export interface Scorer {
  readonly strategy: Strategy;
  /** Lower is better. */
  key(view: SlotView, ws: WorkingState): number;
  /** Before each task: random takes a fresh draw. */
  reseed?(draw: () => number): void;
  /** Before each selection: read what stays fixed while one task is placed (spread's counts). */
  prepare?(ws: WorkingState): void;
  /** Set when keys ascend along a base resource order, enabling the binpack probe in select.ts. */
  readonly orderedBy?: 'cpu' | 'memory';
}

export function scorerFor(strategy: Strategy): Scorer {
  switch (strategy.type) {
    case 'binpack':
      return binpack(strategy, strategy.field);
    case 'spread':
      return strategy.attribute === undefined
        ? spreadPerInstance(strategy)
        : spreadOnAttribute(strategy, strategy.attribute);
    case 'random':
      return random(strategy);
  }
}

/** binpack: least remaining cpu or memory first ("least available amount ... but still enough"). */
function binpack(strategy: Strategy, field: 'cpu' | 'memory'): Scorer {
  return { strategy, orderedBy: field, key: (view) => view.state[field] };
}

/** spread(instanceId|host): fewest tasks of the request's group on the instance first. */
function spreadPerInstance(strategy: Strategy): Scorer {
  return { strategy, key: (view) => view.groupCount };
}

/**
 * spread(attribute:NAME): fewest tasks of the group on instances sharing the instance's value.
 * Instances without the attribute form one more value of their own.
 */
function spreadOnAttribute(strategy: Strategy, name: string): Scorer {
  let counts: Float64Array = new Float64Array(0);
  let ids: Int32Array = new Int32Array(0);
  return {
    strategy,
    prepare: (ws) => {
      counts = ws.valueCounts(name);
      ids = ws.table.column(name).ids;
    },
    key: (view) => counts[ids[view.slot]],
  };
}

/** random: a seeded draw mixed with the ARN's hash, so the key does not depend on slot order. */
function random(strategy: Strategy): Scorer {
  let salt = 0;
  let hashes: Uint32Array = new Uint32Array(0);
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
