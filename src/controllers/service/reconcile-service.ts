/**
 * The service controller's reconcile: re-reads the service and its tasks, decides with pure
 * functions in the deployment controller's fixed order (deleted, rollback, scale/rollout,
 * status), applies one bounded step and writes the service only when it changed, all in one
 * transaction. Killed at any point, the transaction either happened or did not; the next pass
 * recomputes everything from the store, so nothing is started twice or lost.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { ServiceRecord } from '../../ecs/model/records.ts';
import { deactivate, hasLiveTasks } from '../../ecs/model/services/service-lifecycle.ts';
import { Kind, type Tx } from '../../store/store.ts';
import type { Result } from '../work-queue.ts';
import { applyStep } from './apply-step.ts';
import { bookkeep } from './bookkeeping.ts';
import { type Observation, observe } from './observe.ts';
import { planStep, type StepOptions, type Wake } from './plan-step.ts';
import { rollbackStep } from './rollback-step.ts';
import { ALARM_POLL_MS, bakeTimeMs } from './deployment-alarms.ts';
import { wakeAfter } from './plan-step.ts';
import { rolloutStatus } from './rollout-status.ts';
import { appendEvents } from './service-events.ts';
import { UNCHECKED_TASK_HEALTHY_AFTER_MS } from './service-tasks.ts';

export type ServiceControllerOptions = StepOptions;

export const DEFAULT_SERVICE_CONTROLLER_OPTIONS: ServiceControllerOptions = {
  maxLaunchesPerPass: 50,
  placementRetryMs: 10_000,
  uncheckedHealthyAfterMs: UNCHECKED_TASK_HEALTHY_AFTER_MS,
};

export async function reconcileService(
  ctx: EcsContext,
  key: string,
  options: ServiceControllerOptions = DEFAULT_SERVICE_CONTROLLER_OPTIONS,
): Promise<Result> {
  return ctx.store.transact(async (tx) => {
    const obs = await observe(ctx, tx, key, options.uncheckedHealthyAfterMs);
    return obs ? pass(ctx, obs, options, tx) : {};
  });
}

async function pass(
  ctx: EcsContext,
  obs: Observation,
  options: ServiceControllerOptions,
  tx: Tx,
): Promise<Result> {
  const now = ctx.clock.now();
  const record = obs.stored.value;
  const service = record.service;
  const name = service.serviceName ?? '';
  const draining = service.status === 'DRAINING';
  const wake: Wake = { afterMs: undefined };
  const events: string[] = [];
  // Rollback first: a deployment that failed must not launch in this very pass.
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  const rb = rollbackStep({
    service: name,
    deployments: service.deployments ?? [],
    tasks: obs.tasks,
    scheduler: record.scheduler ?? {},
    breaker: { enable: !draining && breaker?.enable === true, rollback: breaker?.rollback === true },
    ...(obs.alarms && !draining ? { alarms: obs.alarms } : {}),
    now,
  });
  events.push(...rb.events);
  let next: Wire<Service> = { ...service, deployments: rb.deployments };
  if (rb.rolledBackTo) {
    next.taskDefinition = rb.rolledBackTo.taskDefinition;
    if (rb.rolledBackTo.networkConfiguration)
      next.networkConfiguration = rb.rolledBackTo.networkConfiguration;
  }
  const step = await planStep({ ctx, tx, obs, service: next, draining, now, options, wake });
  const applied = await applyStep({ ctx, tx, obs, service: next, step, now, options, wake });
  events.push(...step.events, ...applied.events);
  const primaryId = (next.deployments ?? []).find((d) => d.status === 'PRIMARY')?.id ?? '';
  const status = rolloutStatus({
    service: name,
    deployments: next.deployments ?? [],
    tasks: applied.tasks,
    desired: step.desired,
    ...(obs.alarms && !draining
      ? {
          bake: {
            ms: bakeTimeMs(service.deploymentConfiguration?.bakeTimeInMinutes, obs.alarms.states),
            steadySince: rb.scheduler.bakingSince?.[primaryId],
          },
        }
      : {}),
    now,
  });
  // Alarm states do not wake the controller: a deployment they watch is looked at again soon.
  const watched = (status.deployments ?? []).some(
    (d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS',
  );
  if (obs.alarms && !draining && watched)
    wakeAfter(wake, Math.min(ALARM_POLL_MS, status.baking?.leftMs ?? ALARM_POLL_MS));
  rb.scheduler.bakingSince = status.baking ? { [primaryId]: status.baking.since } : undefined;
  if (!draining) events.push(...status.events);
  next = { ...next, deployments: status.deployments };
  if (service.schedulingStrategy === 'DAEMON' && !draining) next.desiredCount = step.desired;
  next.events = appendEvents(service.events ?? [], events, now, ctx.rng);
  let updated: ServiceRecord = { ...record, service: next };
  const scheduler = bookkeep(rb.scheduler, service.deployments ?? [], status.deployments, now);
  if (Object.keys(scheduler).length > 0) updated.scheduler = scheduler;
  else delete updated.scheduler;
  if (draining && !(await hasLiveTasks(tx, record.clusterName, name))) updated = deactivate(updated, now);
  if (JSON.stringify(updated) !== JSON.stringify(record)) {
    await tx.put(Kind.Service, obs.stored.key, updated, obs.stored.version);
  }
  return wake.afterMs === undefined ? {} : { requeueAfterMs: Math.max(0, wake.afterMs) };
}
