/**
 * The real clock, timers and randomness: the one file of `core/` allowed to touch them. Processes
 * (the CLI, agents) wire them in; everything else takes them injected, so tests can drive time.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, Rng } from './clock.ts';
import type { Timers } from './timers.ts';

export const systemClock: Clock = { now: () => Date.now() };

export const systemRng: Rng = {
  next: () => randomBytes(4).readUInt32BE(0) / 2 ** 32,
  hex: (bytes) => randomBytes(bytes).toString('hex'),
};

/** Node's timers, unref'd so a pending timer never keeps a process alive on shutdown. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
