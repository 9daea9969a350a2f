/**
 * The slots changed since the base, with their states, as a persistent map: every snapshot of a
 * lineage has its own version, and deriving the next version costs O(slots changed), not a copy of
 * the whole overlay (up to 128 entries, copied on every applied plan before this).
 *
 * Baker's rerooting trick: all versions share one Map, which holds the contents of the version
 * read last; every other version is a diff to a neighbour. Reading a version that is not the
 * current one first walks the diffs to it, inverting each on the way, so a lineage used in order
 * (each snapshot read once, then the next derived from it) never pays more than O(changes), and
 * an old version read again pays the distance to it.
 *
 * Not safe across threads or re-entrant callbacks, and none are needed: every scheduler call runs
 * to completion on one version at a time.
 */
import type { SlotState } from './slot-state.ts';

interface Version {
  /** The shared Map when this version is the current one, else null. */
  map: Map<number, SlotState> | null;
  /** Else: the entries that differ from `next` (undefined = absent here). */
  slots: number[];
  states: (SlotState | undefined)[];
  next: Version | null;
}

export class Overlay {
  readonly #version: Version;

  private constructor(version: Version) {
    this.#version = version;
  }

  static empty(): Overlay {
    return new Overlay({ map: new Map(), slots: [], states: [], next: null });
  }

  get size(): number {
    return this.#map().size;
  }

  get(slot: number): SlotState | undefined {
    return this.#map().get(slot);
  }

  has(slot: number): boolean {
    return this.#map().has(slot);
  }

  forEach(visit: (state: SlotState, slot: number) => void): void {
    this.#map().forEach(visit);
  }

  /** A copy as a plain Map (for a rebase). */
  toMap(): Map<number, SlotState> {
    const copy = new Map<number, SlotState>();
    this.#map().forEach((state, slot) => {
      copy.set(slot, state);
    });
    return copy;
  }

  /** The next version: this one with `changes` applied. This version stays readable. */
  with(changes: ReadonlyMap<number, SlotState>): Overlay {
    const map = this.#map();
    const current = this.#version;
    const next: Version = { map, slots: [], states: [], next: null };
    const slots: number[] = [];
    const states: (SlotState | undefined)[] = [];
    changes.forEach((state, slot) => {
      slots.push(slot);
      states.push(map.get(slot));
      map.set(slot, state);
    });
    current.map = null;
    current.slots = slots;
    current.states = states;
    current.next = next;
    return new Overlay(next);
  }

  #map(): Map<number, SlotState> {
    return this.#version.map ?? reroot(this.#version);
  }
}

/** Makes `target` the current version: applies the diffs from the current one back to it. */
function reroot(target: Version): Map<number, SlotState> {
  const path: Version[] = [];
  let node = target;
  while (node.map === null) {
    path.push(node);
    node = node.next as Version;
  }
  const map = node.map;
  for (let i = path.length - 1; i >= 0; i--) {
    const version = path[i];
    // `node` (current) becomes a diff to `version`, which takes the map.
    const undo: (SlotState | undefined)[] = [];
    for (let k = 0; k < version.slots.length; k++) {
      const slot = version.slots[k];
      const state = version.states[k];
      undo.push(map.get(slot));
      if (state === undefined) map.delete(slot);
      else map.set(slot, state);
    }
    node.map = null;
    node.slots = version.slots;
    node.states = undo;
    node.next = version;
    version.map = map;
    version.slots = [];
    version.states = [];
    version.next = null;
    node = version;
  }
  return map;
}
