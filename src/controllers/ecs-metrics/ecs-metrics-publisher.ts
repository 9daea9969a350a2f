/**
 * Publishes CloudWatch's AWS/ECS metrics for one region once a minute (a few seconds after the
 * minute ends, for the minute that ended): usage samples agents sent (usage-window.ts) against the
 * region's RUNNING tasks and ACTIVE container instances (ecs-metric-data.ts), handed to `publish`
 * (the control plane writes them to its CloudWatch metric store). Clusters with Container Insights
 * get their `ECS/ContainerInsights` metrics in the same pass, and their performance log events
 * when `performanceLogs` is given (controllers/container-insights). A local pace
 * (metrics-pace.ts) publishes every few seconds instead, as high-resolution data.
 */
import { describeError } from '../../core/errors.ts';
import type { TaskUsage } from '../../core/agent-protocol.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { MetricDatum } from '../../cloudwatch/model/metric-data.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type {
  ClusterRecord,
  ContainerInstanceRecord,
  ServiceRecord,
  TaskRecord,
} from '../../ecs/model/records.ts';
import type { LogsContext } from '../../logs/model/records.ts';
import { Kind, type Store } from '../../store/store.ts';
import { containerInsightsData, insightsLevel } from '../container-insights/container-insights-data.ts';
import { performanceLogEvents, writePerformanceLogs } from '../container-insights/performance-logs.ts';
import { type EcsMetricDatum, ecsMetricData } from './ecs-metric-data.ts';
import { AWS_METRICS_PACE, type MetricsPace } from './metrics-pace.ts';
import { UsageWindow } from './usage-window.ts';

const MINUTE_MS = 60_000;
/** Samples of the period's last seconds arrive a little after it ends (at most 5 s, a fifth of a short period). */
const settleMs = (periodMs: number) => Math.min(5_000, periodMs / 5);

export interface EcsMetricsOptions {
  /** Writes the data (AWS/ECS and ECS/ContainerInsights) to the metric store. */
  publish(store: Store, data: MetricDatum[]): Promise<void>;
  /** The region's CloudWatch Logs, for Container Insights' performance log events (none: not written). */
  performanceLogs?: () => LogsContext;
  /** AWS's by default: a datapoint a minute. */
  pace?: MetricsPace;
  timers?: Timers;
  log?: { warn(obj: object, msg: string): void };
}

export class EcsMetricsPublisher {
  readonly #ctx: EcsContext;
  readonly #o: EcsMetricsOptions;
  readonly #window = new UsageWindow();
  readonly #timers: Timers;
  readonly #periodMs: number;
  #timer: unknown;
  #stopped = false;

  constructor(ctx: EcsContext, options: EcsMetricsOptions) {
    this.#ctx = ctx;
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
    this.#periodMs = (options.pace ?? AWS_METRICS_PACE).publishMs;
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
  publishMinute(now: number): Promise<EcsMetricDatum[]> {
    return this.#publish(now, MINUTE_MS).then((data) => data.ecs);
  }

  /**
   * Publishes the period (the pace's) that ended before `now`: the AWS/ECS data, and the Container
   * Insights data of clusters that have it on (tests call it directly).
   */
  publishPeriod(now: number): Promise<{ ecs: EcsMetricDatum[]; insights: MetricDatum[] }> {
    return this.#publish(now, this.#periodMs);
  }

  async #publish(now: number, periodMs: number): Promise<{ ecs: EcsMetricDatum[]; insights: MetricDatum[] }> {
    const start = Math.floor(now / periodMs) * periodMs - periodMs;
    const usage = this.#window.averages(start, start + periodMs);
    this.#window.prune(now);
    const { tasks, instances, clusters, services } = await this.#ctx.store.transact(async (tx) => {
      const clusters = (await tx.list<ClusterRecord>(Kind.Cluster)).map((r) => r.value);
      const insights = clusters.some((c) => c.status === 'ACTIVE' && insightsLevel(c));
      return {
        tasks: (await tx.list<TaskRecord>(Kind.Task)).map((r) => r.value),
        instances: (await tx.list<ContainerInstanceRecord>(Kind.ContainerInstance)).map((r) => r.value),
        clusters,
        // Services are read only for Container Insights' counts.
        services: insights ? (await tx.list<ServiceRecord>(Kind.Service)).map((r) => r.value) : [],
      };
    });
    const fine = periodMs < MINUTE_MS;
    const ecs = ecsMetricData(tasks, instances, usage, start, { highResolution: fine });
    const insights = containerInsightsData({
      clusters,
      services,
      tasks,
      instances,
      usage,
      timestamp: start,
      highResolution: fine,
    });
    const data = [...ecs, ...insights];
    if (data.length > 0) await this.#o.publish(this.#ctx.store, data);
    if (insights.length > 0 && this.#o.performanceLogs) {
      const batches = performanceLogEvents(clusters, tasks, usage, start, this.#ctx.partition);
      if (batches.length > 0) await writePerformanceLogs(this.#o.performanceLogs(), batches);
    }
    return { ecs, insights };
  }

  #schedule(): void {
    if (this.#stopped) return;
    const period = this.#periodMs;
    const now = this.#ctx.clock.now();
    const next = Math.floor(now / period) * period + period + settleMs(period);
    this.#timer = this.#timers.setTimeout(() => {
      this.publishPeriod(this.#ctx.clock.now())
        .catch((error: unknown) =>
          this.#o.log?.warn({ error: describeError(error) }, 'publishing AWS/ECS metrics failed'),
        )
        .finally(() => this.#schedule());
    }, next - now);
  }
}
