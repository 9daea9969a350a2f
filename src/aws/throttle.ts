/** Token-bucket throttling per API action category, as AWS throttles per account and Region; each service declares its categories. */

/** A bucket: `burst` tokens at most, refilled at `rate` tokens per second. */
export interface BucketSpec {
  burst: number;
  rate: number;
}

/**
 * Holds one bucket per category; `take` answers whether the bucket had a token (the gateway then
 * answers the service's throttling error, operation-errors.ts).
 */
export class Throttle {
  readonly #buckets = new Map<string, { tokens: number; at: number; spec: BucketSpec }>();
  readonly #multiplier: number;

  /** `multiplier` scales every bucket; 0 turns throttling off. */
  constructor(multiplier: number) {
    this.#multiplier = multiplier;
  }

  get enabled(): boolean {
    return this.#multiplier > 0;
  }

  take(category: string, spec: BucketSpec, now: number): boolean {
    if (!this.enabled) return true;
    let bucket = this.#buckets.get(category);
    const burst = spec.burst * this.#multiplier;
    if (!bucket) {
      bucket = { tokens: burst, at: now, spec };
      this.#buckets.set(category, bucket);
    }
    const refill = ((now - bucket.at) / 1000) * spec.rate * this.#multiplier;
    bucket.tokens = Math.min(burst, bucket.tokens + refill);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
