/** Clock and randomness, injected everywhere outside `cli/` so tests can drive them. */

/** Wall-clock time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** A source of random bytes and numbers; seeded implementations make decisions replayable. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** `n` random bytes as lowercase hex (2n characters). */
  hex(bytes: number): string;
}

/** ECS timestamps are epoch seconds with millisecond precision. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/**
 * A small deterministic generator (mulberry32) for seeded decisions: the same seed always gives
 * the same sequence, so a placement can be replayed from its request id.
 */
export function seededRng(seed: number | string): Rng {
  let state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    hex(bytes: number): string {
      let out = '';
      for (let i = 0; i < bytes; i++)
        out += Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0');
      return out;
    },
  };
}

/** FNV-1a, 32 bits: turns a request id into a seed. */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
