/**
 * What the control plane started and must stop: controllers, publishers and sweepers, each
 * started once (a start that fails is logged with its name and region, never thrown), and stopped
 * in the reverse order of their start, so a controller stops before what it depends on.
 */
import type { Logger } from 'pino';
import { describeError } from '../core/errors.ts';

export interface Runnable {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export class RunningSet {
  readonly #log: Logger;
  readonly #running: Runnable[] = [];

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Starts `runnable` and keeps it for `stopAll`; returns it. */
  run<R extends Runnable>(what: string, region: string, runnable: R): R {
    this.#running.push(runnable);
    try {
      const started = runnable.start();
      if (started instanceof Promise) started.catch((error: unknown) => this.#failed(what, region, error));
    } catch (error) {
      this.#failed(what, region, error);
    }
    return runnable;
  }

  /** Stops everything started, newest first; one that fails to stop does not keep the rest running. */
  async stopAll(): Promise<void> {
    for (const runnable of this.#running.splice(0).reverse()) {
      try {
        await runnable.stop();
      } catch (error) {
        this.#log.warn({ error: describeError(error) }, 'a controller failed to stop');
      }
    }
  }

  #failed(what: string, region: string, error: unknown): void {
    this.#log.error({ region, error: describeError(error) }, `${what} failed to start`);
  }
}
