/**
 * Ages CloudWatch metric data per region (`cloudwatch/model/retention.ts`): a pass at start, then
 * every `everyMs` (default 5 minutes), sooner while a pass leaves work (a full batch). Level-
 * triggered: each pass recomputes what is past its age from the stored blocks, so a pass cut short
 * by a crash is redone; a failed pass is logged and retried at the next tick, never dropped.
 */
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import { type RetentionResult, retentionPass } from '../../cloudwatch/model/retention.ts';
import type { Store } from '../../store/store.ts';

export const METRICS_RETENTION_EVERY_MS = 5 * 60_000;
/** The pause between passes while a backlog drains (bounded work per pass, not a busy loop). */
export const METRICS_RETENTION_BACKLOG_MS = 1_000;

export interface MetricsRetentionOptions {
  store: Store;
  clock: Clock;
  timers?: Timers;
  everyMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class MetricsRetentionController {
  readonly #o: MetricsRetentionOptions;
  readonly #timers: Timers;
  #timer: unknown;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: MetricsRetentionOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  start(): void {
    this.#schedule(0);
  }

  /** One pass now (tests call it directly). */
  pass(): Promise<RetentionResult> {
    return retentionPass(this.#o.store, this.#o.clock.now());
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => {
      this.#running = this.pass().then(
        (r) =>
          this.#schedule(
            r.more ? METRICS_RETENTION_BACKLOG_MS : (this.#o.everyMs ?? METRICS_RETENTION_EVERY_MS),
          ),
        (error: unknown) => {
          this.#o.log?.warn({ error: describeError(error) }, 'metrics retention pass failed');
          this.#schedule(this.#o.everyMs ?? METRICS_RETENTION_EVERY_MS);
        },
      );
    }, ms);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
    await this.#running;
  }
}
