/**
 * Publishes CloudWatch's AWS/ECS metrics for one region once a minute (a few seconds after the
 * minute ends, for the minute that ended): usage samples agents sent (usage-window.ts) against the
 * region's RUNNING tasks and ACTIVE container instances (ecs-metric-data.ts), handed to `publish`
 * (the control plane writes them to its CloudWatch metric store).
 */
import { describeError } from '../../core/errors.ts';
import type { TaskUsage } from '../../core/agent-protocol.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { ContainerInstanceRecord, TaskRecord } from '../../ecs/model/records.ts';
import { Kind, type Store } from '../../store/store.ts';
import { type EcsMetricDatum, ecsMetricData } from './ecs-metric-data.ts';
import { UsageWindow } from './usage-window.ts';

const MINUTE_MS = 60_000;
/** Samples of the minute's last seconds arrive a little after it ends. */
const SETTLE_MS = 5_000;

export interface EcsMetricsOptions {
  publish(store: Store, data: EcsMetricDatum[]): Promise<void>;
  timers?: Timers;
  log?: { warn(obj: object, msg: string): void };
}

export class EcsMetricsPublisher {
  readonly #ctx: EcsContext;
  readonly #o: EcsMetricsOptions;
  readonly #window = new UsageWindow();
  readonly #timers: Timers;
  #timer: unknown;
  #stopped = false;

  constructor(ctx: EcsContext, options: EcsMetricsOptions) {
    this.#ctx = ctx;
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  /** Usage samples of this region's tasks, as agents send them. */
  record(at: number, tasks: readonly TaskUsage[]): void {
    this.#window.record(at, tasks);
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
  }

  /** Publishes the minute that ended before `now` (tests call it directly). */
  async publishMinute(now: number): Promise<EcsMetricDatum[]> {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    const usage = this.#window.averages(minute, minute + MINUTE_MS);
    this.#window.prune(now);
    const { tasks, instances } = await this.#ctx.store.transact(async (tx) => ({
      tasks: (await tx.list<TaskRecord>(Kind.Task)).map((r) => r.value),
      instances: (await tx.list<ContainerInstanceRecord>(Kind.ContainerInstance)).map((r) => r.value),
    }));
    const data = ecsMetricData(tasks, instances, usage, minute);
    if (data.length > 0) await this.#o.publish(this.#ctx.store, data);
    return data;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const now = this.#ctx.clock.now();
    const next = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS + SETTLE_MS;
    this.#timer = this.#timers.setTimeout(() => {
      this.publishMinute(this.#ctx.clock.now())
        .catch((error: unknown) =>
          this.#o.log?.warn({ error: describeError(error) }, 'publishing AWS/ECS metrics failed'),
        )
        .finally(() => this.#schedule());
    }, next - now);
  }
}
