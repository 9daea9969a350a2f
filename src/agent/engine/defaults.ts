/** Real clock, randomness and logger for the engine when the caller injects none. */
import { randomBytes } from 'node:crypto';
import type { Clock, Rng } from '../../core/clock.ts';
import { jsonLog, type Logger } from '../log.ts';

export const systemClock: Clock = { now: () => Date.now() };

/** Cryptographic randomness: metadata ids must be unguessable. */
export const cryptoRng: Rng = {
  next: () => randomBytes(4).readUInt32BE(0) / 2 ** 32,
  hex: (bytes) => randomBytes(bytes).toString('hex'),
};

/** pino's JSON lines on stdout, as `pino({ name: 'longshore-agent' })` writes them. */
export function defaultLogger(): Logger {
  return jsonLog({ name: 'longshore-agent', level: process.env.LONGSHORE_LOG_LEVEL ?? 'info', fd: 1 });
}
