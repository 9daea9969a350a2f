/**
 * For chains made only of spread strategies: the base's slots that can take the task as far as the
 * base's columns tell (static verdict, CPU, memory), in buckets of slots that share every strategy
 * key: the same value of each spread attribute and, when the chain spreads per instance, the same
 * count of the group. Each bucket lists its slots in canonical order.
 *
 * Example, spread(AZ), spread(instanceId), zones a and b, group counts 0 or 1: up to four buckets
 * (a, 0), (a, 1), (b, 0), (b, 1). A decision orders the buckets by their keys (zone counts read
 * from the working state) and walks the lowest ones from the tie offset (selection/spread-levels.ts).
 *
 * Built on demand per (base, request shape) in O(n). A fold patches them (`rebasedBuckets`): the
 * changed slots leave their buckets and join their new ones, in one pass of plain copies.
 */
import type { BaseIndex } from './base-index.ts';
import type { SlotState } from './slot-state.ts';

/** Beyond this many buckets (an attribute with many values) the walk would not pay: scan instead. */
export const MAX_SPREAD_BUCKETS = 256;

export interface SpreadBuckets {
  readonly size: number;
  /** Bucket b holds `slots[start[b]]` to `slots[start[b + 1] - 1]`, ascending canonical position. */
  readonly start: Int32Array;
  readonly slots: Int32Array;
  /** The canonical position of `slots[i]`. */
  readonly pos: Int32Array;
  /** Value id of attribute a (in `SpreadShape.attributes` order) for bucket b at `b * attributes + a`. */
  readonly valueIds: Int32Array;
  /** The base's count of the group on bucket b's slots (0 when the chain does not spread per instance). */
  readonly groupCount: Float64Array;
  /** Bucket b's value ids as one number (mixed radix over the attributes' value counts). */
  readonly classId: Int32Array;
  readonly shape: SpreadShape;
}

/** What the buckets are built for: the chain's attributes and the request's feasibility inputs. */
export interface SpreadShape {
  /** Distinct spread attributes of the chain, in first-use order. */
  readonly attributes: readonly string[];
  /** The group, when the chain spreads per instance. */
  readonly group: string | undefined;
  readonly mask: Uint8Array;
  readonly need: { readonly cpu: number; readonly memory: number };
}

/**
 * Scratch arrays for a build (class and bucket per slot), kept between builds: allocating typed
 * arrays of n elements costs more than filling them.
 */
let scratchClass = new Int32Array(0);
let scratchBucket = new Int32Array(0);

/**
 * The buckets, or undefined when the walk would not pay and the caller should scan: more than
 * MAX_SPREAD_BUCKETS buckets, or more key combinations than 4n (attributes with many values).
 */
export function spreadBuckets(base: BaseIndex, shape: SpreadShape): SpreadBuckets | undefined {
  const { table } = base;
  const n = table.n;
  const columns = shape.attributes.map((name) => table.column(name));
  const counts = shape.group === undefined ? undefined : base.groupCounts(shape.group);
  let stride = 1;
  if (counts) for (let slot = 0; slot < n; slot++) if (counts[slot] >= stride) stride = counts[slot] + 1;
  const space = columns.reduce((product, column) => product * column.values.length, stride);
  if (space > 4 * n + 1024) return undefined;
  if (scratchClass.length < n) {
    scratchClass = new Int32Array(n);
    scratchBucket = new Int32Array(n);
  }
  // A slot's class: its value ids in mixed radix (one attribute: just the id).
  const classOf = scratchClass;
  classOf.fill(0, 0, n);
  for (const column of columns) {
    const radix = column.values.length;
    const ids = column.ids;
    for (let slot = 0; slot < n; slot++) classOf[slot] = classOf[slot] * radix + ids[slot];
  }
  // Pass 1, in slot order: each eligible slot's bucket (numbered by first appearance), bucket sizes.
  const mask = shape.mask;
  const needCpu = shape.need.cpu;
  const needMemory = shape.need.memory;
  const { states } = base;
  const bucketOfKey = new Int32Array(space).fill(-1);
  const bucketOf = scratchBucket;
  const sizes = new Int32Array(MAX_SPREAD_BUCKETS);
  const keys: number[] = [];
  for (let slot = 0; slot < n; slot++) {
    if (
      mask[slot] === 0 ||
      (needCpu > 0 && states[slot].cpu < needCpu) ||
      (needMemory > 0 && states[slot].memory < needMemory)
    ) {
      bucketOf[slot] = -1;
      continue;
    }
    const key = classOf[slot] * stride + (counts ? counts[slot] | 0 : 0);
    let b = bucketOfKey[key];
    if (b < 0) {
      if (keys.length === MAX_SPREAD_BUCKETS) return undefined;
      b = keys.length;
      bucketOfKey[key] = b;
      keys.push(key);
    }
    bucketOf[slot] = b;
    sizes[b]++;
  }
  // Pass 2, in canonical order: fill each bucket.
  const size = keys.length;
  const start = new Int32Array(size + 1);
  for (let b = 0; b < size; b++) start[b + 1] = start[b] + sizes[b];
  const cursor = start.slice(0, size);
  const store = new Int32Array(2 * start[size]); // one allocation for both
  const slots = store.subarray(0, start[size]);
  const pos = store.subarray(start[size]);
  const { slotAt } = table.canonical;
  for (let rank = 0; rank < n; rank++) {
    const slot = slotAt[rank];
    const b = bucketOf[slot];
    if (b < 0) continue;
    const at = cursor[b]++;
    slots[at] = slot;
    pos[at] = rank;
  }
  const classId = new Int32Array(size);
  const groupCount = new Float64Array(size);
  for (let b = 0; b < size; b++) {
    classId[b] = Math.floor(keys[b] / stride);
    groupCount[b] = keys[b] % stride;
  }
  return laidOut(shape, columns, start, slots, pos, classId, groupCount);
}

/** Group counts per instance the patch handles (a bucket's key is class * GROUP_RANGE + count). */
const GROUP_RANGE = 2 ** 21;
let scratchMoved = new Uint8Array(0);

/**
 * The buckets of `next`, the fold of their base with the `changed` slots, or undefined when the
 * patch would overflow (then they are built again on first use). O(n) plain copies plus
 * O(k log k): 5,000 instances take ~15 us here against ~130 us for a build.
 */
export function rebasedBuckets(
  old: SpreadBuckets,
  next: BaseIndex,
  changed: ReadonlyMap<number, SlotState>,
): SpreadBuckets | undefined {
  const { shape } = old;
  const n = next.table.n;
  const columns = shape.attributes.map((name) => next.table.column(name));
  const counts = shape.group === undefined ? undefined : next.groupCounts(shape.group);
  const rankOf = next.table.canonical.pos;
  const classIds = Array.from(old.classId);
  const groupCounts = Array.from(old.groupCount);
  const bucketOf = new Map<number, number>();
  for (let b = 0; b < old.size; b++) bucketOf.set(classIds[b] * GROUP_RANGE + groupCounts[b], b);
  if (scratchMoved.length < n) scratchMoved = new Uint8Array(n);
  const isMoved = scratchMoved;
  // Every changed slot leaves its bucket; those still eligible join the bucket of their new keys.
  const moved: { bucket: number; pos: number; slot: number }[] = [];
  let overflow = false;
  changed.forEach((_, slot) => {
    isMoved[slot] = 1;
    if (!eligible(next, shape, slot)) return;
    let cls = 0;
    for (const column of columns) cls = cls * column.values.length + column.ids[slot];
    const count = counts ? counts[slot] : 0;
    let bucket = bucketOf.get(cls * GROUP_RANGE + count);
    if (bucket === undefined) {
      bucket = classIds.length;
      bucketOf.set(cls * GROUP_RANGE + count, bucket);
      classIds.push(cls);
      groupCounts.push(count);
    }
    moved.push({ bucket, pos: rankOf[slot], slot });
    if (count >= GROUP_RANGE || classIds.length > MAX_SPREAD_BUCKETS) overflow = true;
  });
  moved.sort((a, b) => a.bucket - b.bucket || a.pos - b.pos);
  // Lay the buckets out again: kept slots in their order, moved ones merged in by position.
  const bound = old.slots.length + moved.length;
  const store = new Int32Array(2 * bound);
  const starts: number[] = [];
  const kept: number[] = [];
  let out = 0;
  let m = 0;
  const put = (entry: { slot: number; pos: number }): void => {
    store[out] = entry.slot;
    store[bound + out++] = entry.pos;
  };
  for (let b = 0; b < classIds.length && !overflow; b++) {
    const begin = out;
    const to = b < old.size ? old.start[b + 1] : 0;
    for (let i = b < old.size ? old.start[b] : 0; i < to; i++) {
      const slot = old.slots[i];
      if (isMoved[slot] === 1) continue;
      const pos = old.pos[i];
      for (; m < moved.length && moved[m].bucket === b && moved[m].pos < pos; m++) put(moved[m]);
      store[out] = slot;
      store[bound + out++] = pos;
    }
    for (; m < moved.length && moved[m].bucket === b; m++) put(moved[m]);
    if (out > begin) {
      starts.push(begin);
      kept.push(b);
    }
  }
  changed.forEach((_, slot) => {
    isMoved[slot] = 0;
  });
  if (overflow) return undefined;
  starts.push(out);
  return laidOut(
    shape,
    columns,
    Int32Array.from(starts),
    store.subarray(0, out),
    store.subarray(bound, bound + out),
    Int32Array.from(kept, (b) => classIds[b]),
    Float64Array.from(kept, (b) => groupCounts[b]),
  );
}

function eligible(base: BaseIndex, shape: SpreadShape, slot: number): boolean {
  const { cpu, memory } = shape.need;
  return (
    shape.mask[slot] === 1 &&
    !(cpu > 0 && base.states[slot].cpu < cpu) &&
    !(memory > 0 && base.states[slot].memory < memory)
  );
}

/** The buckets with each one's value ids decoded from its class. */
function laidOut(
  shape: SpreadShape,
  columns: readonly { readonly values: readonly unknown[] }[],
  start: Int32Array,
  slots: Int32Array,
  pos: Int32Array,
  classId: Int32Array,
  groupCount: Float64Array,
): SpreadBuckets {
  const size = classId.length;
  const valueIds = new Int32Array(size * columns.length);
  for (let b = 0; b < size; b++) {
    let rest = classId[b];
    for (let a = columns.length - 1; a >= 0; a--) {
      const radix = columns[a].values.length;
      valueIds[b * columns.length + a] = rest % radix;
      rest = Math.floor(rest / radix);
    }
  }
  return { size, start, slots, pos, valueIds, groupCount, classId, shape };
}
