/**
 * One pass of the task-targets controller for one service task, in one transaction:
 *
 * - RUNNING and not registered: its targets (task-target-addresses.ts) are registered with each
 *   of the service's target groups, and the service says "registered N targets in (target-group ...)".
 * - registered and told to stop (or stopped by itself): deregistered, draining; the task stays
 *   DEACTIVATING and its agent keeps running it (stop-request.ts `drainHoldsStop`).
 * - draining: once every target has left its group (the data plane found no connection left, or
 *   the group's deregistration delay ran out) the task is `done` and its agent is told to stop it.
 * - registered and running: the targets' health is copied onto the task, so the service
 *   controller (which reads only tasks) sees it and replaces a task its load balancer finds unhealthy.
 *
 * Level-triggered and idempotent: registering a registered target or deregistering a gone one
 * changes nothing, so a pass repeated, or cut short by a crash, converges.
 */
import { ServiceError } from '../../core/errors.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import {
  type ContainerInstanceRecord,
  keys,
  type ServiceRecord,
  type TaskRecord,
  type TaskTarget,
} from '../../ecs/model/records.ts';
import {
  deregisterTargets,
  describeTargetHealth,
  getTargetGroup,
  registerTargets,
} from '../../elbv2/model/index.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { appendEvents } from '../service/service-events.ts';
import { taskTargetsOf } from './task-target-addresses.ts';

/** How often a draining task looks again when nothing wakes it sooner. */
export const DRAIN_POLL_MS = 1_000;

export const targetMessages = {
  registered: (s: string, n: number, tg: string) =>
    `(service ${s}) registered ${n} targets in (target-group ${tg})`,
  deregistered: (s: string, n: number, tg: string) =>
    `(service ${s}) deregistered ${n} targets in (target-group ${tg})`,
  draining: (s: string, n: number) => `(service ${s}) has begun draining connections on ${n} tasks.`,
  /** ECS's unhealthy-target event: EC2 tasks name their instance, awsvpc tasks do not. */
  unhealthy: (s: string, taskId: string, t: TaskTarget, reason: string) =>
    `(service ${s}) (task ${taskId})${t.id.startsWith('i-') ? ` (instance ${t.id})` : ''} (port ${t.port}) is unhealthy in (target-group ${t.targetGroupArn}) due to (reason ${reason})`,
  unregistrable: (s: string, tg: string, why: string) =>
    `(service ${s}) was unable to register targets in (target-group ${tg}): ${why}`,
} as const;

export async function reconcileTaskTargets(
  ctx: EcsContext,
  key: string,
): Promise<{ requeueAfterMs?: number }> {
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<TaskRecord>(Kind.Task, key);
    const record = stored?.value;
    if (!stored || !record?.serviceName) return {};
    const now = ctx.clock.now();
    const stopping = record.task.desiredStatus === 'STOPPED' || record.task.lastStatus === 'STOPPED';
    const state = record.targets?.state;
    const events: string[] = [];
    let next: TaskRecord = record;
    let requeueAfterMs: number | undefined;

    if (state === undefined) {
      if (stopping || record.task.lastStatus !== 'RUNNING') return {};
      const registered = await register(ctx, tx, record, events);
      if (!registered) return {};
      next = { ...record, targets: { targets: registered, state: 'registered', registeredAt: now } };
    } else if (state === 'registered' && !stopping) {
      const targets = await withHealth(tx, record.targets?.targets ?? [], now);
      if (!sameHealth(targets, record.targets?.targets ?? [])) {
        for (const t of targets) {
          const was = record.targets?.targets.find((o) => sameTarget(o, t))?.health?.state;
          if (t.health?.state === 'unhealthy' && was !== 'unhealthy') {
            events.push(
              targetMessages.unhealthy(
                record.serviceName,
                taskId(record),
                t,
                t.health.description ?? t.health.reason ?? 'Health checks failed',
              ),
            );
          }
        }
        next = { ...record, targets: { ...(record.targets as NonNullable<TaskRecord['targets']>), targets } };
      }
    } else if (state === 'registered') {
      await deregister(ctx, tx, record, events);
      next = {
        ...record,
        targets: {
          ...(record.targets as NonNullable<TaskRecord['targets']>),
          state: 'draining',
          drainingSince: now,
        },
      };
    }

    if (next.targets?.state === 'draining') {
      const left = await stillRegistered(tx, next.targets.targets, now);
      if (left === 0) {
        next = { ...next, targets: { ...next.targets, state: 'done' } };
        // The agent has run the task on while it drained: now it is told to stop it.
        if (next.task.lastStatus !== 'STOPPED')
          next = { ...next, assignmentVersion: next.assignmentVersion + 1 };
      } else {
        requeueAfterMs = DRAIN_POLL_MS;
      }
    }

    if (next !== record) {
      if (next.task !== record.task || next.targets !== record.targets) {
        next = { ...next, task: { ...next.task, version: (next.task.version ?? 0) + 1 } };
      }
      await tx.put(Kind.Task, key, next, stored.version);
    }
    if (events.length > 0) await addServiceEvents(ctx, tx, record, events, now);
    return requeueAfterMs === undefined ? {} : { requeueAfterMs };
  });
}

const taskId = (record: TaskRecord) => (record.task.taskArn ?? '').split('/').pop() ?? '';
const sameTarget = (a: TaskTarget, b: TaskTarget) =>
  a.targetGroupArn === b.targetGroupArn && a.id === b.id && a.port === b.port;

/** Registers the task's targets; undefined while they cannot be known yet (or no group took them). */
async function register(
  ctx: EcsContext,
  tx: Tx,
  record: TaskRecord,
  events: string[],
): Promise<TaskTarget[] | undefined> {
  const service = await tx.get<ServiceRecord>(
    Kind.Service,
    keys.service(record.clusterName, record.serviceName ?? ''),
  );
  const loadBalancers = service?.value.service.loadBalancers ?? [];
  if (loadBalancers.length === 0) return undefined;
  const targets = taskTargetsOf(record, loadBalancers, await ec2InstanceIdOf(tx, record));
  if (!targets || targets.length === 0) return undefined;
  const scope = { clock: ctx.clock, rng: ctx.rng, partition: ctx.partition };
  const registered: TaskTarget[] = [];
  for (const [tgArn, group] of byGroup(targets)) {
    try {
      await registerTargets(
        tx,
        scope,
        tgArn,
        group.map((t) => ({ id: t.id, port: t.port })),
      );
      registered.push(...group);
      events.push(targetMessages.registered(record.serviceName ?? '', group.length, tgArn));
    } catch (error) {
      // A group deleted (or a target it refuses) after the service was created: said, not retried.
      if (!(error instanceof ServiceError)) throw error;
      events.push(targetMessages.unregistrable(record.serviceName ?? '', tgArn, error.message));
    }
  }
  return registered;
}

async function deregister(ctx: EcsContext, tx: Tx, record: TaskRecord, events: string[]): Promise<void> {
  const scope = { clock: ctx.clock, rng: ctx.rng, partition: ctx.partition };
  const targets = record.targets?.targets ?? [];
  for (const [tgArn, group] of byGroup(targets)) {
    if (!(await getTargetGroup(tx, tgArn))) continue;
    await deregisterTargets(
      tx,
      scope,
      tgArn,
      group.map((t) => ({ id: t.id, port: t.port })),
    );
    events.push(targetMessages.deregistered(record.serviceName ?? '', group.length, tgArn));
  }
  if (targets.length > 0 && record.task.lastStatus !== 'STOPPED') {
    events.push(targetMessages.draining(record.serviceName ?? '', 1));
  }
}

/** How many of `targets` their groups still hold (draining ones included). */
async function stillRegistered(tx: Tx, targets: readonly TaskTarget[], now: number): Promise<number> {
  let left = 0;
  for (const [tgArn, group] of byGroup(targets)) {
    if (!(await getTargetGroup(tx, tgArn))) continue;
    const health = await describeTargetHealth(
      tx,
      tgArn,
      now,
      group.map((t) => ({ id: t.id, port: t.port })),
    );
    left += health.filter((h) => h.reason !== 'Target.NotRegistered').length;
  }
  return left;
}

/** The targets with the health their groups report now. */
async function withHealth(tx: Tx, targets: readonly TaskTarget[], now: number): Promise<TaskTarget[]> {
  const out: TaskTarget[] = [];
  for (const [tgArn, group] of byGroup(targets)) {
    if (!(await getTargetGroup(tx, tgArn))) {
      out.push(...group);
      continue;
    }
    const health = await describeTargetHealth(
      tx,
      tgArn,
      now,
      group.map((t) => ({ id: t.id, port: t.port })),
    );
    group.forEach((t, i) => {
      const h = health[i];
      out.push({
        ...t,
        health: {
          state: h.state,
          ...(h.reason ? { reason: h.reason } : {}),
          ...(h.description ? { description: h.description } : {}),
        },
      });
    });
  }
  return out;
}

function sameHealth(a: readonly TaskTarget[], b: readonly TaskTarget[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (t, i) =>
        t.health?.state === b[i].health?.state &&
        t.health?.reason === b[i].health?.reason &&
        t.health?.description === b[i].health?.description,
    )
  );
}

function byGroup(targets: readonly TaskTarget[]): Map<string, TaskTarget[]> {
  const out = new Map<string, TaskTarget[]>();
  for (const t of targets) out.set(t.targetGroupArn, [...(out.get(t.targetGroupArn) ?? []), t]);
  return out;
}

/** The EC2 instance id of the task's container instance (instance targets). */
async function ec2InstanceIdOf(tx: Tx, record: TaskRecord): Promise<string | undefined> {
  const arn = record.task.containerInstanceArn;
  if (!arn) return undefined;
  const instance = await tx.get<ContainerInstanceRecord>(
    Kind.ContainerInstance,
    keys.containerInstance(record.clusterName, arn.split('/').pop() ?? ''),
  );
  return instance?.value.instance.ec2InstanceId;
}

async function addServiceEvents(
  ctx: EcsContext,
  tx: Tx,
  record: TaskRecord,
  events: readonly string[],
  now: number,
): Promise<void> {
  const key = keys.service(record.clusterName, record.serviceName ?? '');
  const service = await tx.get<ServiceRecord>(Kind.Service, key);
  if (!service) return;
  const next: ServiceRecord = {
    ...service.value,
    service: {
      ...service.value.service,
      events: appendEvents(service.value.service.events ?? [], events, now, ctx.rng),
    },
  };
  await tx.put(Kind.Service, key, next, service.version);
}
