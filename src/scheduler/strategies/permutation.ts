/**
 * A seeded, uniformly random permutation of 0..n-1 (Fisher-Yates), drawn lazily: `next()` gives
 * its elements in order at O(1) each, so the first k cost O(k) whatever n is; `rankOf(p)` gives the
 * index at which `p` comes out, computing the whole permutation once (O(n)). Both read the same
 * stream from the same seed, so they always agree: for any set S, the first element of S that
 * `next()` yields is the element of S with the smallest `rankOf`.
 *
 * Fisher-Yates step i swaps a[i] with a[i + uniform(n - i)] and yields the new a[i]. Until
 * SPARSE_STEPS steps were taken, only the touched entries are kept (untouched a[x] = x);
 * after that the array is materialized once and the walk continues on it.
 */
import { seededRng } from '../../core/clock.ts';

const SPARSE_STEPS = 32;
const TWO_32 = 0x1_0000_0000;
const EMPTY = new Int32Array(0);

export class SeededPermutation {
  #seed = 0;
  #n = 0;
  #next: () => number = () => 0;
  #step = 0;
  /** The touched entries while sparse: a[sparseAt[t]] = sparseValue[t] (few, so a linear search). */
  readonly #sparseAt: number[] = [];
  readonly #sparseValue: number[] = [];
  #dense = EMPTY;
  #denseActive = false;
  #ranks = EMPTY;
  #ranksReady = false;

  /** Starts the permutation for a new seed (a per-task salt) over 0..n-1. */
  restart(seed: number, n: number): void {
    this.#seed = seed;
    this.#n = n;
    this.#next = seededRng(seed).next;
    this.#step = 0;
    this.#sparseAt.length = 0;
    this.#sparseValue.length = 0;
    this.#denseActive = false;
    this.#ranksReady = false;
  }

  /** How many elements `next()` has given since the restart. */
  get drawn(): number {
    return this.#step;
  }

  /** The next element, or -1 once all n were given. */
  next(): number {
    const i = this.#step;
    if (i >= this.#n) return -1;
    if (i === SPARSE_STEPS) this.#materialize();
    const j = i + uniform(this.#next, this.#n - i);
    this.#step = i + 1;
    if (this.#denseActive) {
      const a = this.#dense;
      const out = a[j];
      a[j] = a[i];
      return out;
    }
    const out = this.#sparseGet(j);
    if (j !== i) this.#sparseSet(j, this.#sparseGet(i));
    return out;
  }

  /** The index at which `p` comes out of `next()` (O(n) on the first call per seed, then O(1)). */
  rankOf(p: number): number {
    if (!this.#ranksReady) this.#computeRanks();
    return this.#ranks[p];
  }

  #materialize(): void {
    const n = this.#n;
    if (this.#dense.length !== n) this.#dense = new Int32Array(n);
    const a = this.#dense;
    for (let x = 0; x < n; x++) a[x] = x;
    for (let t = 0; t < this.#sparseAt.length; t++) a[this.#sparseAt[t]] = this.#sparseValue[t];
    this.#denseActive = true;
  }

  #sparseGet(x: number): number {
    const t = this.#sparseAt.indexOf(x);
    return t < 0 ? x : this.#sparseValue[t];
  }

  #sparseSet(x: number, value: number): void {
    const t = this.#sparseAt.indexOf(x);
    if (t >= 0) this.#sparseValue[t] = value;
    else {
      this.#sparseAt.push(x);
      this.#sparseValue.push(value);
    }
  }

  /** Replays the whole stream from the seed into a scratch array (the lazy walk is left as it is). */
  #computeRanks(): void {
    const n = this.#n;
    if (this.#ranks.length !== n) this.#ranks = new Int32Array(n);
    const a = new Int32Array(n);
    for (let x = 0; x < n; x++) a[x] = x;
    const next = seededRng(this.#seed).next;
    for (let i = 0; i < n; i++) {
      const j = i + uniform(next, n - i);
      const out = a[j];
      a[j] = a[i];
      this.#ranks[out] = i;
    }
    this.#ranksReady = true;
  }
}

/**
 * Exactly uniform on 0..m-1 from uniform 32-bit words (`next()` is a word / 2^32): words from the
 * incomplete last block of m are drawn again, so no value is favoured by the modulo.
 */
function uniform(next: () => number, m: number): number {
  const limit = TWO_32 - (TWO_32 % m);
  let word = next() * TWO_32;
  while (word >= limit) word = next() * TWO_32;
  return word % m;
}
