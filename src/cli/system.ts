/** The real clock and randomness, wired in by the CLI (everything below `cli/` takes them injected). */
import { randomBytes } from 'node:crypto';
import type { Clock, Rng } from '../core/clock.ts';

export const systemClock: Clock = { now: () => Date.now() };

export const systemRng: Rng = {
  next: () => randomBytes(4).readUInt32BE(0) / 2 ** 32,
  hex: (bytes) => randomBytes(bytes).toString('hex'),
};
