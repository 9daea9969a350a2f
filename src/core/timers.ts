/** Timers, injected like the clock so tests can drive them; shared by controllers and agents. The real ones are in `system.ts`. */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
