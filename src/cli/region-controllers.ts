/**
 * What runs in each region besides the API: the controllers, publishers and sweepers of every
 * service, started when the region is first used (regions.ts) and stopped with the control plane
 * through the RunningSet. The service scheduler (ControllerManager) and Application Auto Scaling's
 * scheduled actions run only with `controllers`; everything else runs always, because it keeps
 * what the API already accepted true (ENIs released, events told, alarms evaluated, data expired).
 */
import type { Logger } from 'pino';
import type { AutoScalingContext } from '../application-autoscaling/model/records.ts';
import type { AlarmActionRegistry } from '../cloudwatch/model/alarm-actions.ts';
import { putMetricData } from '../cloudwatch/model/metric-data.ts';
import { AlarmEvaluationController } from '../controllers/alarm-evaluation/alarm-evaluation-controller.ts';
import { type ControllerOptions, ControllerManager } from '../controllers/controller-manager.ts';
import { EcrLifecycleController } from '../controllers/ecr-lifecycle/ecr-lifecycle-controller.ts';
import { EcrReplicationController } from '../controllers/ecr-replication/ecr-replication-controller.ts';
import { EcsEventEmitter, type EcsEventsOptions } from '../controllers/ecs-events/ecs-events-emitter.ts';
import { EcsMetricsPublisher } from '../controllers/ecs-metrics/ecs-metrics-publisher.ts';
import type { MetricsPace } from '../controllers/ecs-metrics/metrics-pace.ts';
import { EventRulesController } from '../controllers/event-rules/event-rules-controller.ts';
import { LogsRetentionController } from '../controllers/logs-retention/logs-retention-controller.ts';
import { MetricsRetentionController } from '../controllers/metrics-retention/metrics-retention-controller.ts';
import { RetentionSweeper } from '../controllers/retention/retention-sweeper.ts';
import { SchedulesController } from '../controllers/schedules/schedules-controller.ts';
import { ServiceScalingController } from '../controllers/service-scaling/service-scaling-controller.ts';
import { TaskNetworkController } from '../controllers/task-network/task-network-controller.ts';
import { TaskTargetsController } from '../controllers/task-targets/task-targets-controller.ts';
import { describeError } from '../core/errors.ts';
import { systemClock } from '../core/system.ts';
import type { ValueCipher } from '../crypto/value-cipher.ts';
import type { EcrContext } from '../ecr/model/records.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { runTask } from '../ecs/tasks/run-task.ts';
import type { LogsContext } from '../logs/model/records.ts';
import type { EventStore } from '../logs/model/event-store.ts';
import { Kind, type Store } from '../store/store.ts';
import type { Runnable, RunningSet } from './running-set.ts';

/** What the region's controllers need from the rest of the control plane. */
export interface RegionDeps {
  log: Logger;
  running: RunningSet;
  /** A region's ECS context as the controllers write it (the leader's fenced store in cluster mode). */
  ecsContextFor(region: string): EcsContext;
  controllers?: false | ControllerOptions;
  ecsEvents?: false | EcsEventsOptions;
  /** Registers the region's load balancers with the data plane supervisor (once per region). */
  addLoadBalancerRegion(region: string): void;
  ecrContextFor(region: string): EcrContext;
  registryDir: string;
  collectBlobs(now: number): void;
  logsContextFor(region: string): LogsContext;
  /** The logs event store when it exists (nothing to sweep otherwise). */
  logsEvents(): EventStore | undefined;
  secretsCipher: () => ValueCipher;
  alarmActions: AlarmActionRegistry;
  alarmIntervalMs?: number;
  /** How often AWS/ECS (and Container Insights) datapoints are published (metrics-pace.ts). */
  metricsPace?: MetricsPace;
  autoScalingContextFor(region: string): AutoScalingContext;
  /** EC2 Auto Scaling groups and ECS managed scaling (with `controllers` only). */
  groupControllers?(ctx: EcsContext): [string, Runnable][];
}

/** Each region's controllers that tests and other parts of the control plane reach. */
export interface RegionControllers {
  ecsMetrics: Map<string, EcsMetricsPublisher>;
  eventRules: Map<string, EventRulesController>;
  alarmEvaluations: Map<string, AlarmEvaluationController>;
  ecsEvents: Map<string, EcsEventEmitter>;
  managers: Map<string, ControllerManager>;
}

export function emptyRegionControllers(): RegionControllers {
  return {
    ecsMetrics: new Map(),
    eventRules: new Map(),
    alarmEvaluations: new Map(),
    ecsEvents: new Map(),
    managers: new Map(),
  };
}

/** Forgets the controllers of `into` once they are stopped (this replica lost the leader lease). */
export function clearRegionControllers(into: RegionControllers): void {
  for (const map of Object.values(into)) map.clear();
}

/**
 * Starts everything `ctx`'s region runs, recording the controllers others reach in `into`. `ctx`
 * and every context `deps` gives write through the store of the leader's term (docs/cluster-mode.md).
 */
export function startRegionControllers(ctx: EcsContext, deps: RegionDeps, into: RegionControllers): void {
  const region = ctx.partition.region;
  const { log, running } = deps;
  const base = { store: ctx.store, clock: ctx.clock, rng: ctx.rng, partition: ctx.partition };
  running.run('retention sweeper', region, new RetentionSweeper(ctx.store, systemClock));
  // Task ENIs are released whether or not the service scheduler runs: an address is never leaked.
  running.run('task network controller', region, new TaskNetworkController(ctx, { log }));
  deps.addLoadBalancerRegion(region);
  const publisher = new EcsMetricsPublisher(ctx, {
    publish: (store, data) => putMetricData(store, data),
    // Container Insights' performance log events (the logs database opens only when there are some).
    performanceLogs: () => deps.logsContextFor(region),
    ...(deps.metricsPace ? { pace: deps.metricsPace } : {}),
    log,
  });
  into.ecsMetrics.set(region, running.run('AWS/ECS metrics publisher', region, publisher));
  // Service tasks in their load balancers' target groups: registered, drained before they stop.
  running.run('task targets controller', region, new TaskTargetsController(ctx, { log }));
  // Image scans a crash left IN_PROGRESS are redone (the scanner loads only when there are some).
  resumeInterruptedScans(ctx.store, () => deps.ecrContextFor(region)).catch((error: unknown) =>
    log.warn({ error: describeError(error) }, 'resuming image scans failed'),
  );
  running.run(
    'ECR lifecycle controller',
    region,
    new EcrLifecycleController({
      store: ctx.store,
      clock: ctx.clock,
      events: { partition: ctx.partition, rng: ctx.rng },
      log,
      onExpired: () => deps.collectBlobs(ctx.clock.now()),
    }),
  );
  // ECR images pushed to repositories a replication rule matches are copied to its destination regions.
  running.run(
    'ECR replication controller',
    region,
    new EcrReplicationController({ ctx: deps.ecrContextFor(region), contextFor: deps.ecrContextFor, log }),
  );
  // CloudWatch Logs events past their group's retention are deleted.
  running.run(
    'logs retention controller',
    region,
    new LogsRetentionController({ store: ctx.store, clock: ctx.clock, events: deps.logsEvents, log }),
  );
  const ports = {
    runTask: (r: string, input: Parameters<typeof runTask>[1]) => runTask(deps.ecsContextFor(r), input),
  };
  // EventBridge: outbox events matched against rules, deliveries invoked, scheduled rules fired.
  // LONGSHORE_EVENTS_RATE_MINUTE_MS (local use): a rate() minute of scheduled rules, in ms.
  const rateMinuteMs = Number(process.env.LONGSHORE_EVENTS_RATE_MINUTE_MS) || undefined;
  const rules = new EventRulesController({
    ...base,
    ports: { ...ports, logs: deps.logsContextFor, sealer: deps.secretsCipher },
    ...(rateMinuteMs ? { rateMinuteMs } : {}),
    log,
  });
  into.eventRules.set(region, running.run('EventBridge rules controller', region, rules));
  // EventBridge Scheduler: schedules fire their targets (RunTask, events to the outbox).
  running.run(
    'EventBridge Scheduler controller',
    region,
    new SchedulesController({
      ...base,
      ...ports,
      publishMetrics: (data) => putMetricData(ctx.store, data, { now: ctx.clock.now() }),
      log,
    }),
  );
  // CloudWatch metric data is rolled up (1 min -> 5 min -> 1 h) and expired as it ages.
  running.run(
    'metrics retention controller',
    region,
    new MetricsRetentionController({ store: ctx.store, clock: ctx.clock, log }),
  );
  const alarms = new AlarmEvaluationController({
    ...base,
    actions: deps.alarmActions,
    ...(deps.alarmIntervalMs ? { intervalMs: deps.alarmIntervalMs } : {}),
    log,
  });
  into.alarmEvaluations.set(region, running.run('alarm evaluation', region, alarms));
  // ECS's events describe the API's records, so they go out whether or not the scheduler runs.
  if (deps.ecsEvents !== false) {
    const emitter = new EcsEventEmitter(ctx, { log, ...deps.ecsEvents });
    into.ecsEvents.set(region, running.run('ECS event emitter', region, emitter));
  }
  if (deps.controllers === false) return;
  // Scheduled actions and min/max changes of Application Auto Scaling's targets.
  running.run(
    'service scaling controller',
    region,
    new ServiceScalingController(deps.autoScalingContextFor(region), { log }),
  );
  for (const [what, runnable] of deps.groupControllers?.(ctx) ?? []) running.run(what, region, runnable);
  const manager = new ControllerManager(ctx, { log, ...deps.controllers });
  into.managers.set(region, running.run('controllers', region, manager));
}

async function resumeInterruptedScans(store: Store, context: () => EcrContext): Promise<void> {
  const scans = await store.list<{ status?: string }>(Kind.EcrScan);
  if (!scans.some((s) => s.value.status === 'IN_PROGRESS')) return;
  (await import('../ecr/scanning/scanner.ts')).resumeScans(context());
}
