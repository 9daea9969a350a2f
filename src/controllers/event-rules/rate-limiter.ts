/**
 * Each API destination's InvocationRateLimitPerSecond: a token bucket per destination ARN holding
 * up to one second of invocations. In memory: after a restart the buckets start full, which allows
 * at most one extra second's worth of invocations.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number; rate: number }>();

  /** Takes a token for `key` at `now` (ms): 0 when it may go now, else the ms until one is free. */
  take(key: string, rate: number, now: number): number {
    let b = this.#buckets.get(key);
    if (!b || b.rate !== rate) {
      b = { tokens: rate, at: now, rate };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) * rate) / 1000);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * 1000) / rate);
  }
}
