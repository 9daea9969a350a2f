/**
 * Per-lineage facts that placing tasks never changes: slots, ARN hashes, the canonical order,
 * attribute columns and cached static verdicts. Snapshots derived with `applyPlacements` share one table.
 */
import { hashString } from '../../core/clock.ts';
import type { InstanceSnapshot } from '../types.ts';
import { type CanonicalOrder, canonicalOrder } from './canonical-order.ts';

/** An attribute's value per slot as a small integer; id 0 means "no value" (absent or name-only). */
export interface AttributeColumn {
  readonly ids: Int32Array;
  /** `values[id]`; `values[0]` is undefined. */
  readonly values: readonly (string | undefined)[];
}

/** Cached masks are keyed by request shape; a long-lived lineage sees few distinct shapes. */
const MASK_CACHE_LIMIT = 256;

export class StaticTable {
  readonly n: number;
  /** The instances the table was built from. Only their static fields are read through here. */
  readonly instances: readonly InstanceSnapshot[];
  readonly arns: readonly string[];
  /** FNV-1a of each ARN: mixed with a per-task salt it gives order-independent random keys. */
  readonly arnHash: Uint32Array;
  readonly slotOf: ReadonlyMap<string, number>;
  readonly #columns = new Map<string, AttributeColumn>();
  readonly #masks = new Map<string, Uint8Array>();
  #canonical: CanonicalOrder | undefined;

  constructor(instances: readonly InstanceSnapshot[]) {
    this.n = instances.length;
    this.instances = instances;
    this.arns = instances.map((i) => i.arn);
    this.arnHash = Uint32Array.from(this.arns, hashString);
    const slotOf = new Map<string, number>();
    instances.forEach((instance, slot) => {
      if (slotOf.has(instance.arn))
        throw new Error(`duplicate container instance ${instance.arn} in snapshot`);
      slotOf.set(instance.arn, slot);
    });
    this.slotOf = slotOf;
  }

  /** Slots by (ARN hash, ARN): the order tie-breaks and random's permutation are defined over. */
  get canonical(): CanonicalOrder {
    this.#canonical ??= canonicalOrder(this.arns, this.arnHash);
    return this.#canonical;
  }

  /** The attribute's values as ids (built on first use, e.g. for spread(attribute:ecs.availability-zone)). */
  column(name: string): AttributeColumn {
    let column = this.#columns.get(name);
    if (!column) {
      const values: (string | undefined)[] = [undefined];
      const idOf = new Map<string, number>();
      const ids = new Int32Array(this.n);
      for (let slot = 0; slot < this.n; slot++) {
        const value = this.instances[slot].attributes[name];
        if (value === undefined) continue;
        let id = idOf.get(value);
        if (id === undefined) {
          id = values.length;
          values.push(value);
          idOf.set(value, id);
        }
        ids[slot] = id;
      }
      column = { ids, values };
      this.#columns.set(name, column);
    }
    return column;
  }

  /**
   * A verdict per slot (1 = passes) for a static rule set, built once per key. The rules must read
   * only fields placement never changes (status, agent, attributes, ids, registeredAt).
   */
  mask(key: string, passes: (slot: number) => boolean): Uint8Array {
    let mask = this.#masks.get(key);
    if (!mask) {
      mask = new Uint8Array(this.n);
      for (let slot = 0; slot < this.n; slot++) mask[slot] = passes(slot) ? 1 : 0;
      if (this.#masks.size >= MASK_CACHE_LIMIT) this.#masks.clear();
      this.#masks.set(key, mask);
    }
    return mask;
  }
}
