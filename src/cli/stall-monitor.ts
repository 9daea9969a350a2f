/**
 * Watches this process's event loop and logs when it stalled: a control plane or agent whose loop
 * is blocked answers nothing, so a stall longer than STALL_WARN_MS is worth a warning with its length.
 */

/** Stalls longer than this are logged (the API's p99 target is 50 ms; a second is a fault). */
export const STALL_WARN_MS = 1_000;
const TICK_MS = 100;

/** The log line tests look for in a child process's output. */
export const STALL_MESSAGE = 'event loop stalled';

/** Starts the monitor; returns a function that stops it. The timer never keeps the process alive. */
export function monitorEventLoop(log: { warn(obj: object, msg: string): void }): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > STALL_WARN_MS) log.warn({ stalledMs: Math.round(late) }, STALL_MESSAGE);
    last = now;
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
