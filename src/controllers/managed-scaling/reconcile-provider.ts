/**
 * One pass over one Auto Scaling group capacity provider (ECS cluster auto scaling), in order:
 *
 * 1. tasks waiting in PROVISIONING are placed on the group's instances that have room (one
 *    transaction each); those that waited PROVISIONING_TIMEOUT_MS are stopped with ECS's reason
 * 2. managed termination protection: instances running tasks are protected from scale-in, idle
 *    ones are not (the group's scale-in then only ever picks idle instances)
 * 3. managed scaling, once per period: CapacityProviderReservation (reservation.ts) is published to
 *    AWS/ECS/ManagedScaling by ClusterName and CapacityProviderName, and target tracking on it sets
 *    the group's desired capacity (out after one datapoint above the target, in after 15 below)
 */
import { StopCode } from '../../core/agent-protocol.ts';
import { busyTasks, clusterFacts } from '../../autoscaling/model/container-instances.ts';
import { getGroup, groupInstances } from '../../autoscaling/model/groups.ts';
import {
  countsTowardCapacity,
  type InstanceRecord,
  keys as asgKeys,
} from '../../autoscaling/model/records.ts';
import { LOW_DATAPOINTS } from '../../application-autoscaling/model/target-tracking.ts';
import type { MetricDatum } from '../../cloudwatch/model/metric-data.ts';
import {
  getCapacityProvider,
  MANAGED_SCALING_DEFAULTS,
  managedScalingOn,
} from '../../ecs/model/capacity-provider-records.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { ClusterRecord, TaskRecord } from '../../ecs/model/records.ts';
import { findTaskDefinition } from '../../ecs/model/task-definition-lookup.ts';
import {
  PROVISIONING_TIMEOUT_MS,
  PROVISIONING_TIMEOUT_REASON,
  placeProvisioningTask,
} from '../../ecs/model/tasks/provider-placement.ts';
import { requestStop } from '../../ecs/model/tasks/stop-request.ts';
import { taskResources } from '../../scheduler/index.ts';
import type { TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { Kind } from '../../store/store.ts';
import type { Result } from '../work-queue.ts';
import { desiredCapacity, reservation, type Shape } from './reservation.ts';

export const MANAGED_SCALING_NAMESPACE = 'AWS/ECS/ManagedScaling';
export const RESERVATION_METRIC = 'CapacityProviderReservation';
/** While tasks wait for an instance the provider is looked at this often. */
export const PROVISIONING_POLL_MS = 1_000;

/** What managed scaling remembers between periods (Kind.ManagedScalingState). */
export interface ManagedScalingState {
  /** Epoch ms of the last evaluation. */
  evaluatedAt: number;
  /** Consecutive datapoints below the target. */
  lowStreak: number;
  lastMetric: number;
}

export interface ProviderPass {
  ctx: EcsContext;
  periodMs: number;
  publish(data: MetricDatum[]): Promise<void>;
  log?: { info(o: object, m: string): void };
}

export async function reconcileProvider(p: ProviderPass, name: string): Promise<Result> {
  const { ctx } = p;
  const cp = await getCapacityProvider(ctx.store, name);
  if (!cp) return {};
  const cluster = (await ctx.store.list<ClusterRecord>(Kind.Cluster)).find(
    (c) => c.value.status === 'ACTIVE' && c.value.capacityProviders.includes(name),
  )?.value.clusterName;
  const group = await getGroup(ctx.store, cp.groupName);
  if (!cluster || !group) return {};
  const now = ctx.clock.now();
  const members = (await groupInstances(ctx.store, group.value.name)).filter((i) =>
    countsTowardCapacity(i.value),
  );
  const ids = new Set(members.map((i) => i.value.instanceId));
  // 1. PROVISIONING tasks, oldest first.
  let facts = await clusterFacts(ctx.store, cluster);
  const waiting = facts.provisioning
    .filter((t) => t.value.task.capacityProviderName === name)
    .sort((a, b) => (a.value.task.createdAt ?? 0) - (b.value.task.createdAt ?? 0));
  let placed = 0;
  for (const t of waiting) {
    const timedOut = now - (t.value.provisioning?.since ?? now) >= PROVISIONING_TIMEOUT_MS;
    const done = await ctx.store.transact(async (tx) => {
      const cur = await tx.get<TaskRecord>(Kind.Task, t.key);
      if (!cur || cur.value.task.lastStatus !== 'PROVISIONING') return false;
      if (timedOut || cur.value.task.desiredStatus === 'STOPPED') {
        const stopped = await requestStop(ctx, tx, cur.value, {
          stopCode: StopCode.TaskFailedToStart,
          reason: PROVISIONING_TIMEOUT_REASON,
        });
        if (stopped) await tx.put(Kind.Task, t.key, stopped, cur.version);
        return false;
      }
      return placeProvisioningTask(ctx, tx, { key: t.key, version: cur.version, value: cur.value }, ids);
    });
    if (done) placed++;
  }
  if (placed > 0) facts = await clusterFacts(ctx.store, cluster);
  // 2. Managed termination protection.
  const settings = cp.provider.autoScalingGroupProvider;
  if (settings?.managedTerminationProtection === 'ENABLED') {
    for (const m of members) {
      const busy = busyTasks(facts, m.value.instanceId).length > 0;
      if (m.value.protectedFromScaleIn === busy || m.value.lifecycleState !== 'InService') continue;
      await ctx.store.transact(async (tx) => {
        const key = asgKeys.instance(m.value.groupName, m.value.instanceId);
        const cur = await tx.get<InstanceRecord>(Kind.AutoScalingInstance, key);
        if (cur && cur.value.lifecycleState === 'InService') {
          await tx.put(
            Kind.AutoScalingInstance,
            key,
            { ...cur.value, protectedFromScaleIn: busy },
            cur.version,
          );
        }
      });
    }
  }
  const stillWaiting = facts.provisioning.some((t) => t.value.task.capacityProviderName === name);
  const soon = stillWaiting ? PROVISIONING_POLL_MS : p.periodMs;
  if (!managedScalingOn(cp)) return { requeueAfterMs: soon };
  // 3. Managed scaling, once per period.
  const stateKey = `${cluster}/${name}`;
  const state = await ctx.store.get<ManagedScalingState>(Kind.ManagedScalingState, stateKey);
  const due = (state?.value.evaluatedAt ?? 0) + p.periodMs;
  if (now < due) return { requeueAfterMs: Math.min(soon, due - now) };
  const shape: Shape = { cpu: group.value.launch.cpu, memory: group.value.launch.memory };
  const provisioning: Shape[] = [];
  for (const t of facts.provisioning) {
    if (t.value.task.capacityProviderName !== name) continue;
    const td = await findTaskDefinition(ctx, ctx.store, t.value.task.taskDefinitionArn ?? '');
    if (!td) continue;
    const r = taskResources(
      td.value.taskDefinition as TaskDefinition,
      t.value.task.overrides as TaskOverride,
    );
    provisioning.push({ cpu: r.cpu, memory: r.memory });
  }
  const r = reservation({
    instances: members.length,
    busy: members.filter((m) => busyTasks(facts, m.value.instanceId).length > 0).length,
    unregistered: members.filter((m) => !facts.instances.has(m.value.instanceId)).length,
    provisioning,
    shape,
  });
  await p.publish([
    {
      namespace: MANAGED_SCALING_NAMESPACE,
      metricName: RESERVATION_METRIC,
      dimensions: [
        { name: 'CapacityProviderName', value: name },
        { name: 'ClusterName', value: cluster },
      ],
      timestamp: now,
      unit: 'Percent',
      sampleCount: 1,
      sum: r.metric,
      minimum: r.metric,
      maximum: r.metric,
    },
  ]);
  const ms = settings?.managedScaling ?? {};
  const target = ms.targetCapacity ?? MANAGED_SCALING_DEFAULTS.targetCapacity;
  const lowStreak = r.metric < target ? (state?.value.lowStreak ?? 0) + 1 : 0;
  await ctx.store.transact(async (tx) => {
    const g = await getGroup(tx, cp.groupName);
    if (!g || g.value.deleting) return;
    const next = desiredCapacity(
      g.value.desiredCapacity,
      r,
      {
        targetCapacity: target,
        minimumScalingStepSize: ms.minimumScalingStepSize ?? MANAGED_SCALING_DEFAULTS.minimumScalingStepSize,
        maximumScalingStepSize: ms.maximumScalingStepSize ?? MANAGED_SCALING_DEFAULTS.maximumScalingStepSize,
        minSize: g.value.minSize,
        maxSize: g.value.maxSize,
      },
      { streak: lowStreak, needed: LOW_DATAPOINTS },
    );
    if (next !== g.value.desiredCapacity) {
      await tx.put(Kind.AutoScalingGroup, g.value.name, { ...g.value, desiredCapacity: next }, g.version);
      p.log?.info(
        {
          provider: name,
          group: g.value.name,
          from: g.value.desiredCapacity,
          to: next,
          reservation: r.metric,
        },
        'managed scaling changed the desired capacity',
      );
    }
    // A scale-in restarts the count of low datapoints (the next one needs 15 more).
    const streak = next < g.value.desiredCapacity ? 0 : lowStreak;
    await tx.put<ManagedScalingState>(Kind.ManagedScalingState, stateKey, {
      evaluatedAt: now,
      lowStreak: streak,
      lastMetric: r.metric,
    });
  });
  return { requeueAfterMs: Math.min(soon, p.periodMs) };
}
