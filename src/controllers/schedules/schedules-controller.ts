/**
 * Fires EventBridge Scheduler schedules, per region. One pass reads every schedule and its firing
 * state, finishes groups being deleted, and for each ENABLED schedule follows its plan
 * (`plan-firing.ts`): persist the chosen occurrence, fire it when its time comes, record it as
 * the last one fired, then complete the schedule (ActionAfterCompletion DELETE removes it). The
 * next pass is timed for the earliest pending firing, or the resync period, whichever is sooner;
 * a change to any Scheduler record runs one at once.
 *
 * No occurrence fires twice: EventBridge events are written in the transaction that records the
 * occurrence as fired; RunTask runs before that transaction with a client token derived from the
 * occurrence and attempt, so repeating it after a crash returns the tasks it already started.
 */
import type { MetricDatum } from '../../cloudwatch/model/metric-data.ts';
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import {
  groupPrefix,
  type ScheduleGroupRecord,
  type ScheduleRecord,
  type ScheduleRunRecord,
  scheduleArn,
} from '../../events/model/schedules.ts';
import { Kind, type Store, VersionConflict } from '../../store/store.ts';
import {
  type FireContext,
  invocationFor,
  type RunTaskPort,
  TargetError,
  writeEvents,
} from './fire-target.ts';
import {
  DEFAULT_MAX_RETRY_ATTEMPTS,
  maxEventAgeMs,
  type Plan,
  planFiring,
  retryDelayMs,
} from './plan-firing.ts';

/** A full pass at least this often, whatever the timers say. */
export const SCHEDULES_RESYNC_MS = 60_000;

export interface SchedulesControllerOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  timers?: Timers;
  /** ECS RunTask in a region (the CLI wires `ecs/tasks/run-task.ts`); without it ECS targets fail. */
  runTask?: RunTaskPort;
  /** AWS/Scheduler metrics (the CLI wires CloudWatch's putMetricData). */
  publishMetrics?: (data: MetricDatum[]) => Promise<void>;
  log?: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
  };
  /** Called after each firing with what happened (tests and the bench watch it). */
  onFired?: (fired: Firing) => void;
}

export interface Firing {
  schedule: string;
  occurrence: number;
  firedAt: number;
  attempt: number;
  outcome: 'invoked' | 'retrying' | 'dropped';
  detail: string;
}

/** Scheduler's metric names, in namespace AWS/Scheduler. */
export const SchedulerMetric = {
  InvocationAttemptCount: 'InvocationAttemptCount',
  TargetErrorCount: 'TargetErrorCount',
  InvocationDroppedCount: 'InvocationDroppedCount',
  InvocationsFailedToBeSentToDeadLetterCount: 'InvocationsFailedToBeSentToDeadLetterCount',
} as const;

export class SchedulesController {
  readonly #o: SchedulesControllerOptions;
  readonly #timers: Timers;
  readonly #fire: FireContext;
  #timer: unknown;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #unsubscribe: (() => void) | undefined;

  constructor(options: SchedulesControllerOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
    this.#fire = {
      partition: options.partition,
      clock: options.clock,
      rng: options.rng,
      runTask: options.runTask,
    };
  }

  start(): void {
    this.#stopped = false;
    this.#unsubscribe = this.#o.store.watch((batch) => {
      if (
        batch.gap ||
        batch.changes.some((c) => c.kind === Kind.SchedulerSchedule || c.kind === Kind.SchedulerGroup)
      ) {
        this.kick();
      }
    });
    this.kick();
  }

  /** Stops timers and the change feed, and waits for a running pass. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#timers.clearTimeout(this.#timer);
    await this.#running;
  }

  /** Runs a pass soon (after the running one, if any). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        let wakeAt = this.#o.clock.now() + SCHEDULES_RESYNC_MS;
        try {
          wakeAt = Math.min(wakeAt, await this.pass());
        } catch (error) {
          this.#o.log?.warn({ error: describeError(error) }, 'schedules pass failed');
        }
        this.#timers.clearTimeout(this.#timer);
        if (!this.#stopped) {
          const delay = Math.max(0, wakeAt - this.#o.clock.now());
          this.#timer = this.#timers.setTimeout(() => this.kick(), delay);
        }
      } while (this.#again && !this.#stopped);
      this.#running = undefined;
    })();
  }

  /** One pass over every group and schedule; returns when the next one is due (epoch ms). */
  async pass(): Promise<number> {
    const store = this.#o.store;
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const { value: group } of await store.list<ScheduleGroupRecord>(Kind.SchedulerGroup)) {
      if (group.state === 'DELETING') await this.#finishGroupDeletion(group.name);
    }
    const runs = new Map((await store.list<ScheduleRunRecord>(Kind.SchedulerRun)).map((r) => [r.key, r]));
    for (const { key, value: schedule } of await store.list<ScheduleRecord>(Kind.SchedulerSchedule)) {
      try {
        const next = await this.#step(key, schedule, runs.get(key));
        if (next !== undefined) wakeAt = Math.min(wakeAt, next);
      } catch (error) {
        if (error instanceof VersionConflict) {
          wakeAt = this.#o.clock.now();
          continue;
        }
        this.#o.log?.warn({ schedule: key, error: describeError(error) }, 'schedule step failed');
      }
    }
    return wakeAt;
  }

  /** Deletes a DELETING group's schedules (with their firing state), then the group. */
  async #finishGroupDeletion(name: string): Promise<void> {
    await this.#o.store.transact(async (tx) => {
      for (const { key } of await tx.list(Kind.SchedulerSchedule, { prefix: groupPrefix(name) })) {
        await tx.remove(Kind.SchedulerSchedule, key);
        await tx.remove(Kind.SchedulerRun, key);
      }
      await tx.remove(Kind.SchedulerGroup, name);
    });
    this.#o.log?.info({ group: name }, 'schedule group deleted');
  }

  /** Follows one schedule's plan as far as it goes now; returns when it next needs a pass. */
  async #step(
    key: string,
    schedule: ScheduleRecord,
    stored: { version: number; value: ScheduleRunRecord } | undefined,
  ): Promise<number | undefined> {
    let version = stored?.version;
    let run = stored?.value;
    for (let guard = 0; guard < 100; guard++) {
      const now = this.#o.clock.now();
      const plan = planFiring(schedule, run, now, this.#o.rng);
      switch (plan.type) {
        case 'idle':
          if (plan.changed) await this.#save(key, plan.run, version);
          return undefined;
        case 'wait':
          if (plan.changed) await this.#save(key, plan.run, version);
          return plan.wakeAt;
        case 'complete':
          await this.#complete(key, schedule, plan, version);
          return undefined;
        case 'fire': {
          const result = await this.#fireOnce(key, schedule, plan, version);
          version = result.version;
          run = result.run;
          if (run.pending) return run.pending.fireAt;
        }
      }
    }
    return this.#o.clock.now();
  }

  async #save(key: string, run: ScheduleRunRecord, version: number | undefined): Promise<number> {
    return this.#o.store.transact((tx) => tx.put(Kind.SchedulerRun, key, run, version ?? 'absent'));
  }

  /** No occurrence left: DELETE removes the schedule, NONE marks it completed. */
  async #complete(
    key: string,
    schedule: ScheduleRecord,
    plan: Plan,
    version: number | undefined,
  ): Promise<void> {
    await this.#o.store.transact(async (tx) => {
      const current = await tx.get<ScheduleRecord>(Kind.SchedulerSchedule, key);
      if (!current || current.value.lastModificationDate !== schedule.lastModificationDate) return;
      if (schedule.actionAfterCompletion === 'DELETE') {
        await tx.remove(Kind.SchedulerSchedule, key, current.version);
        if (version !== undefined) await tx.remove(Kind.SchedulerRun, key, version);
        return;
      }
      await tx.put(Kind.SchedulerRun, key, { ...plan.run, completed: true }, version ?? 'absent');
    });
    this.#o.log?.info({ schedule: key, action: schedule.actionAfterCompletion }, 'schedule completed');
  }

  /** One attempt at the pending occurrence; records it fired, retrying or dropped. */
  async #fireOnce(
    key: string,
    schedule: ScheduleRecord,
    plan: Extract<Plan, { type: 'fire' }>,
    version: number | undefined,
  ): Promise<{ version: number; run: ScheduleRunRecord }> {
    const pending = plan.run.pending;
    const arn = scheduleArn(this.#o.partition, schedule.groupName, schedule.name);
    let outcome: Firing['outcome'] = 'invoked';
    let detail = '';
    let error: TargetError | undefined;
    let events: Parameters<typeof writeEvents>[2] | undefined;
    try {
      const invocation = invocationFor(this.#fire, schedule, pending);
      if (invocation.type === 'call') detail = await invocation.call();
      else events = invocation.entries;
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      error = e;
    }
    const firedAt = this.#o.clock.now();
    const result = await this.#o.store.transact(async (tx) => {
      if (events) {
        try {
          detail = await writeEvents(tx, this.#fire, events);
        } catch (e) {
          if (!(e instanceof TargetError)) throw e;
          error = e;
        }
      }
      let next: ScheduleRunRecord;
      if (!error) {
        next = { ...plan.run, lastOccurrence: pending.occurrence };
        delete next.pending;
      } else {
        const attempts = pending.attempts + 1;
        const retryAt = firedAt + retryDelayMs(attempts);
        const maxAttempts = schedule.target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS;
        const tooOld = retryAt - pending.occurrence > maxEventAgeMs(schedule);
        if (error.retryable && attempts <= maxAttempts && !tooOld) {
          outcome = 'retrying';
          next = { ...plan.run, pending: { ...pending, attempts, fireAt: retryAt } };
        } else {
          outcome = 'dropped';
          next = { ...plan.run, lastOccurrence: pending.occurrence };
          delete next.pending;
        }
        detail = error.message;
      }
      const v = await tx.put(Kind.SchedulerRun, key, next, version ?? 'absent');
      return { version: v, run: next };
    });
    this.#report(schedule, arn, {
      schedule: key,
      occurrence: pending.occurrence,
      firedAt,
      attempt: pending.attempts + 1,
      outcome,
      detail,
    });
    return result;
  }

  #report(schedule: ScheduleRecord, arn: string, firing: Firing): void {
    const log = this.#o.log;
    if (firing.outcome === 'invoked') {
      log?.info(
        { schedule: arn, occurrence: new Date(firing.occurrence).toISOString(), result: firing.detail },
        'schedule fired',
      );
    } else {
      const dlq = schedule.target.DeadLetterConfig?.Arn;
      log?.warn(
        {
          schedule: arn,
          occurrence: new Date(firing.occurrence).toISOString(),
          attempt: firing.attempt,
          error: firing.detail,
          ...(firing.outcome === 'dropped' && dlq
            ? { deadLetterQueue: dlq, deadLetter: 'SQS is not served by Longshore: not delivered' }
            : {}),
        },
        firing.outcome === 'retrying'
          ? 'schedule target failed, retrying'
          : 'schedule target failed, invocation dropped',
      );
    }
    this.#o.onFired?.(firing);
    const publish = this.#o.publishMetrics;
    if (publish) {
      const counts: [string, number][] = [[SchedulerMetric.InvocationAttemptCount, 1]];
      if (firing.outcome !== 'invoked') counts.push([SchedulerMetric.TargetErrorCount, 1]);
      if (firing.outcome === 'dropped') {
        counts.push([
          schedule.target.DeadLetterConfig?.Arn
            ? SchedulerMetric.InvocationsFailedToBeSentToDeadLetterCount
            : SchedulerMetric.InvocationDroppedCount,
          1,
        ]);
      }
      const data: MetricDatum[] = counts.flatMap(([metricName, n]) =>
        [[], [{ name: 'ScheduleGroup', value: schedule.groupName }]].map((dimensions) => ({
          namespace: 'AWS/Scheduler',
          metricName,
          dimensions,
          timestamp: firing.firedAt,
          unit: 'Count',
          sampleCount: 1,
          sum: n,
          minimum: n,
          maximum: n,
        })),
      );
      publish(data).catch((error: unknown) =>
        log?.warn({ error: describeError(error) }, 'publishing AWS/Scheduler metrics failed'),
      );
    }
  }
}
