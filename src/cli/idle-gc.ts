/**
 * One full garbage collection once start-up has settled. Loading ~600 modules and opening the
 * stores leaves garbage that V8 may keep for minutes in an idle process (and each run keeps a
 * different amount: idle RSS then varied by 20 MiB between starts); collecting it once makes an
 * idle control plane small and its size predictable. A single collection of a ~25 MiB heap costs a
 * few milliseconds, taken when no request is waiting (a timer, after the banner).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectOnceIdle(afterMs: number): void {
  const timer = setTimeout(() => {
    // V8's `gc` function is exposed only by a flag; set it now and read it from a fresh context.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    gc?.();
  }, afterMs);
  timer.unref();
}
