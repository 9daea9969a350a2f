/**
 * One pass over one Auto Scaling group, in this order (each step one short transaction, so a crash
 * anywhere converges on the next pass):
 *
 * 1. dead instances (the launcher says so, or a launch a crash cut short) -> Unhealthy, Terminating
 * 2. scale-in victims (`planGroup`) -> Terminating
 * 3. launches up to the desired capacity: a Pending record first, then the launcher, then InService
 * 4. Terminating instances: managed draining (the container instance DRAINING, wait while it runs
 *    tasks), then the launcher terminates it, its container instance is deregistered (INACTIVE,
 *    its tasks STOPPED, as ECS does when an EC2 instance terminates) and the record removed
 * 5. a group being force-deleted goes once it has no instance left
 */
import { StopCode } from '../../core/agent-protocol.ts';
import { describeError } from '../../core/errors.ts';
import { busyTasks, clusterFacts } from '../../autoscaling/model/container-instances.ts';
import { planGroup } from '../../autoscaling/model/group-plan.ts';
import { getGroup, groupInstances } from '../../autoscaling/model/groups.ts';
import type { Launchers, LaunchRequest } from '../../autoscaling/model/launcher.ts';
import {
  type GroupRecord,
  type InstanceRecord,
  keys,
  LifecycleState,
} from '../../autoscaling/model/records.ts';
import { listCapacityProviders } from '../../ecs/model/capacity-provider-records.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import { keys as ecsKeys, type ContainerInstanceRecord, type TaskRecord } from '../../ecs/model/records.ts';
import { requestStop } from '../../ecs/model/tasks/stop-request.ts';
import { Kind } from '../../store/store.ts';
import type { Result } from '../work-queue.ts';

/** While anything is in flight the group is looked at again this soon. */
export const BUSY_REQUEUE_MS = 1_000;
/** Otherwise this often: the launcher's liveness is polled, not pushed. */
export const IDLE_REQUEUE_MS = 5_000;
/** Managed draining waits at most this long for an instance's tasks (ECS's lifecycle hook: 48 h). */
export const DRAIN_TIMEOUT_MS = 48 * 3600_000;

export interface GroupPass {
  ctx: EcsContext;
  launchers: Launchers;
  /** Instance ids whose launch is in flight in this process. */
  launching: Set<string>;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export async function reconcileGroup(p: GroupPass, name: string): Promise<Result> {
  const { ctx } = p;
  const g = await getGroup(ctx.store, name);
  let instances = (await groupInstances(ctx.store, name)).map((s) => s.value);
  if (!g) {
    for (const i of instances)
      await ctx.store.transact((tx) => tx.remove(Kind.AutoScalingInstance, keyOf(i)));
    return {};
  }
  const group = g.value;
  const launcher = p.launchers[group.launch.launcher];
  const request = (i: Pick<InstanceRecord, 'instanceId' | 'availabilityZone'>): LaunchRequest => ({
    instanceId: i.instanceId,
    groupName: group.name,
    availabilityZone: i.availabilityZone,
    region: ctx.partition.region,
    spec: group.launch,
  });
  const alive = (i: InstanceRecord) =>
    p.launching.has(i.instanceId) ||
    (i.lifecycleState === LifecycleState.InService && launcher.alive(request(i), i.handle ?? {}));
  const plan = planGroup(group, instances, alive);
  const now = ctx.clock.now();
  for (const i of plan.dead) {
    await markTerminating(p, i, 'an EC2 health check indicating it has been terminated or stopped', true);
  }
  for (const i of plan.scaleIn) {
    await markTerminating(p, i, `a scale-in: the desired capacity is ${group.desiredCapacity}`, false);
  }
  await Promise.all(plan.launchIn.map((zone) => launch(p, group, zone, request)));
  instances = (await groupInstances(ctx.store, name)).map((s) => s.value);
  let waiting = false;
  const terminating = instances.filter((i) => i.lifecycleState === LifecycleState.Terminating);
  if (terminating.length > 0) {
    const provider = (await listCapacityProviders(ctx.store)).find(
      (cp) => cp.groupName === name && cp.provider.status === 'ACTIVE',
    );
    const draining = provider?.provider.autoScalingGroupProvider?.managedDraining !== 'DISABLED';
    for (const i of terminating) {
      if (p.launching.has(i.instanceId)) continue;
      const done = await finishTermination(p, group, i, request(i), provider !== undefined && draining, now);
      if (!done) waiting = true;
    }
  }
  if (group.deleting) {
    const left = (await groupInstances(ctx.store, name)).length;
    if (left === 0) {
      await ctx.store.transact(async (tx) => {
        const cur = await getGroup(tx, name);
        if (cur?.value.deleting) await tx.remove(Kind.AutoScalingGroup, name, cur.version);
      });
      return {};
    }
  }
  const busy =
    waiting || p.launching.size > 0 || instances.some((i) => i.lifecycleState !== LifecycleState.InService);
  return { requeueAfterMs: busy ? BUSY_REQUEUE_MS : IDLE_REQUEUE_MS };
}

function keyOf(i: InstanceRecord): string {
  return keys.instance(i.groupName, i.instanceId);
}

async function markTerminating(
  p: GroupPass,
  i: InstanceRecord,
  cause: string,
  unhealthy: boolean,
): Promise<void> {
  await p.ctx.store.transact(async (tx) => {
    const cur = await tx.get<InstanceRecord>(Kind.AutoScalingInstance, keyOf(i));
    if (!cur || cur.value.lifecycleState === LifecycleState.Terminating) return;
    await tx.put(
      Kind.AutoScalingInstance,
      keyOf(i),
      {
        ...cur.value,
        lifecycleState: LifecycleState.Terminating,
        ...(unhealthy ? { healthStatus: 'Unhealthy' as const } : {}),
        terminationCause: cause,
        terminatingSince: p.ctx.clock.now(),
      },
      cur.version,
    );
  });
  p.log?.info({ group: i.groupName, instanceId: i.instanceId, cause }, 'terminating instance');
}

async function launch(
  p: GroupPass,
  group: GroupRecord,
  zone: string,
  request: (i: Pick<InstanceRecord, 'instanceId' | 'availabilityZone'>) => LaunchRequest,
): Promise<void> {
  const { ctx } = p;
  const instanceId = `i-${ctx.rng.hex(9).slice(0, 17)}`;
  const record: InstanceRecord = {
    instanceId,
    groupName: group.name,
    availabilityZone: zone,
    instanceType: group.launch.instanceType,
    lifecycleState: LifecycleState.Pending,
    healthStatus: 'Healthy',
    protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    ...(group.launchTemplate ? { launchTemplate: group.launchTemplate } : {}),
    launchedAt: ctx.clock.now(),
  };
  await ctx.store.transact((tx) => tx.put(Kind.AutoScalingInstance, keyOf(record), record, 'absent'));
  p.launching.add(instanceId);
  try {
    const handle = await p.launchers[group.launch.launcher].launch(request(record));
    await ctx.store.transact(async (tx) => {
      const cur = await tx.get<InstanceRecord>(Kind.AutoScalingInstance, keyOf(record));
      if (!cur) return;
      // A terminate asked for during the launch stands; the handle lets it reach the instance.
      const state =
        cur.value.lifecycleState === LifecycleState.Pending
          ? LifecycleState.InService
          : cur.value.lifecycleState;
      await tx.put(
        Kind.AutoScalingInstance,
        keyOf(record),
        { ...cur.value, lifecycleState: state, handle },
        cur.version,
      );
    });
    p.log?.info({ group: group.name, instanceId, zone }, 'launched instance');
  } catch (error) {
    p.log?.warn(
      { group: group.name, instanceId, error: describeError(error) },
      'launching an instance failed',
    );
    await markTerminating(
      p,
      record,
      `a failed launch: ${error instanceof Error ? error.message : String(error)}`,
      true,
    );
  } finally {
    p.launching.delete(instanceId);
  }
}

/** True once the instance is gone; false while managed draining waits for its tasks. */
async function finishTermination(
  p: GroupPass,
  group: GroupRecord,
  i: InstanceRecord,
  request: LaunchRequest,
  managedDraining: boolean,
  now: number,
): Promise<boolean> {
  const { ctx } = p;
  const cluster = group.launch.cluster;
  const healthy = i.healthStatus === 'Healthy';
  if (managedDraining && healthy) {
    const facts = await clusterFacts(ctx.store, cluster);
    const ci = facts.instances.get(i.instanceId);
    if (ci && ci.value.instance.status === 'ACTIVE') {
      await ctx.store.transact(async (tx) => {
        const cur = await tx.get<ContainerInstanceRecord>(Kind.ContainerInstance, ci.key);
        if (!cur || cur.value.instance.status !== 'ACTIVE') return;
        const instance = {
          ...cur.value.instance,
          status: 'DRAINING',
          version: (cur.value.instance.version ?? 0) + 1,
        };
        await tx.put(Kind.ContainerInstance, ci.key, { ...cur.value, instance }, cur.version);
      });
    }
    const since = i.terminatingSince ?? now;
    if (busyTasks(facts, i.instanceId).length > 0 && now - since < DRAIN_TIMEOUT_MS) return false;
  }
  await p.launchers[group.launch.launcher].terminate(request, i.handle ?? {});
  await deregister(ctx, cluster, i.instanceId);
  await ctx.store.transact(async (tx) => {
    await tx.remove(Kind.AutoScalingInstance, keyOf(i));
  });
  p.log?.info({ group: group.name, instanceId: i.instanceId }, 'instance terminated');
  return true;
}

/** ECS deregisters the container instance of a terminated EC2 instance; its tasks are STOPPED. */
async function deregister(ctx: EcsContext, cluster: string, instanceId: string): Promise<void> {
  await ctx.store.transact(async (tx) => {
    const facts = await clusterFacts(tx, cluster);
    const ci = facts.instances.get(instanceId);
    if (!ci) return;
    const instance = {
      ...ci.value.instance,
      status: 'INACTIVE',
      agentConnected: false,
      version: (ci.value.instance.version ?? 0) + 1,
    };
    await tx.put(Kind.ContainerInstance, ci.key, { ...ci.value, instance }, ci.version);
    for (const t of facts.tasks.get(instance.containerInstanceArn ?? '') ?? []) {
      const key = ecsKeys.task(cluster, t.task.taskArn?.split('/').pop() ?? '');
      const stored = await tx.get<TaskRecord>(Kind.Task, key);
      if (!stored) continue;
      const stopped = await requestStop(ctx, tx, stored.value, {
        stopCode: StopCode.TerminationNotice,
        reason: `Host EC2 (instance ${instanceId}) terminated.`,
      });
      if (stopped) await tx.put(Kind.Task, key, stopped, stored.version);
    }
  });
}
