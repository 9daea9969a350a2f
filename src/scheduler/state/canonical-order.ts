/**
 * The lineage's canonical instance order: slots sorted by (ARN hash, ARN). It does not depend on
 * the order of instances in the snapshot, so everything defined over it (the tie-break rotation,
 * random's permutation) picks the same instance whatever order the caller listed them in.
 */

export interface CanonicalOrder {
  /** `pos[slot]`: the slot's rank in canonical order. */
  readonly pos: Int32Array;
  /** `slotAt[rank]`: the inverse of `pos`. */
  readonly slotAt: Int32Array;
}

/** Slots fit in 21 bits beside a 32-bit hash in one exact double (n <= 2,097,152). */
const SLOT_BITS = 2 ** 21;

/**
 * O(n log n), once per lineage: a numeric sort of hash * 2^21 + slot (no comparator calls), then
 * the rare runs of equal hashes re-sorted by ARN. Example: hashes [9, 4, 7] give slotAt [1, 2, 0],
 * pos [2, 0, 1].
 */
export function canonicalOrder(arns: readonly string[], hashes: Uint32Array): CanonicalOrder {
  const n = arns.length;
  if (n > SLOT_BITS) throw new Error(`${n} instances: more than the canonical order handles`);
  const packed = new Float64Array(n);
  for (let slot = 0; slot < n; slot++) packed[slot] = hashes[slot] * SLOT_BITS + slot;
  packed.sort();
  const slotAt = Int32Array.from(packed, (key) => key % SLOT_BITS);
  for (let from = 0; from < n; ) {
    let to = from + 1;
    while (to < n && hashes[slotAt[to]] === hashes[slotAt[from]]) to++;
    if (to - from > 1) slotAt.subarray(from, to).sort((a, b) => (arns[a] < arns[b] ? -1 : 1));
    from = to;
  }
  const pos = new Int32Array(n);
  for (let rank = 0; rank < n; rank++) pos[slotAt[rank]] = rank;
  return { pos, slotAt };
}
