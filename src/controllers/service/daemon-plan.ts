/**
 * The DAEMON scheduler's step: one task of the PRIMARY deployment on every container instance
 * that satisfies the service's constraints, none anywhere else. An old deployment's task on an
 * instance stops first (maximumPercent is 100 for daemons), within minimumHealthyPercent, and the
 * new one starts once it has STOPPED. Daemon tasks on a draining instance stop after the
 * instance's replica service tasks are gone ("Daemon tasks are the last to stop").
 */
import {
  type ClusterSnapshot,
  explain,
  type InstanceSnapshot,
  type PlacementRequest,
} from '../../scheduler/index.ts';
import { minimumHealthy } from './deployment-math.ts';
import type { Stop } from './rolling-plan.ts';
import { scalingReason } from './rolling-plan.ts';
import { scaleInOrder } from './scale-in-order.ts';
import { HEALTH_CHECK_STOP_REASON, isLive, Phase, type ServiceTask } from './service-tasks.ts';

export interface DaemonInput {
  primaryId: string;
  /** Every task of the service that has not STOPPED. */
  tasks: readonly ServiceTask[];
  snapshot: ClusterSnapshot;
  /** The PRIMARY deployment's placement request (count 1, no strategy). */
  request: PlacementRequest;
  minimumHealthyPercent: number;
  launchesAllowed: boolean;
  /** Groups (`service:NAME`) of the cluster's REPLICA services: they leave a draining instance first. */
  replicaGroups: ReadonlySet<string>;
}

export interface DaemonPlan {
  /** Instances that should run the daemon: the service's desired count. */
  desired: number;
  /** Instances to start the PRIMARY deployment's task on (the caller places each). */
  startOn: string[];
  stops: Stop[];
}

/**
 * An instance belongs to the daemon when it is ACTIVE and the task would fit it if it were empty
 * and connected: constraints and registered capacity decide, a passing agent disconnect does not.
 */
export function daemonEligible(instance: InstanceSnapshot, request: PlacementRequest): boolean {
  if (instance.status !== 'ACTIVE') return false;
  const empty: InstanceSnapshot = {
    ...instance,
    agentConnected: true,
    tasks: [],
    runningTasksCount: 0,
    pendingTasksCount: 0,
  };
  return explain({ instances: [empty] }, request).accepted === 1;
}

export function planDaemonStep(input: DaemonInput): DaemonPlan {
  const live = input.tasks.filter(isLive);
  const byInstance = new Map<string, ServiceTask[]>();
  for (const t of input.tasks) {
    const list = byInstance.get(t.instanceArn) ?? [];
    list.push(t);
    byInstance.set(t.instanceArn, list);
  }
  const eligible = new Set(
    input.snapshot.instances.filter((i) => daemonEligible(i, input.request)).map((i) => i.arn),
  );
  const stops: Stop[] = [];
  const replace: ServiceTask[] = [];
  const startOn: string[] = [];
  for (const instance of input.snapshot.instances) {
    const here = byInstance.get(instance.arn) ?? [];
    const mine = here.filter((t) => isLive(t) && t.deploymentId === input.primaryId && !t.unhealthy);
    if (!eligible.has(instance.arn)) {
      if (!replicasRemain(instance, input.replicaGroups)) replace.push(...here.filter(isLive));
      continue;
    }
    for (const t of here.filter(isLive)) if (!mine.slice(0, 1).includes(t)) replace.push(t);
    const busy =
      here.some((t) => t.phase === Phase.Stopping) || here.some((t) => isLive(t) && !mine.includes(t));
    if (mine.length === 0 && !busy && input.launchesAllowed) startOn.push(instance.arn);
  }
  for (const t of live) if (!byInstanceKnown(t, input.snapshot)) replace.push(t);
  const healthy = live.filter((t) => t.healthy).length;
  let allowance = Math.max(0, healthy - minimumHealthy(eligible.size, input.minimumHealthyPercent));
  // Scale-in protection holds a task in place (a new revision waits for its instance); failing health checks do not.
  const stoppable = replace.filter((t) => t.unhealthy || !t.scaleInProtected);
  for (const t of scaleInOrder(stoppable, live, stoppable.length)) {
    if (t.healthy) {
      if (allowance <= 0) continue;
      allowance--;
    }
    stops.push({
      task: t,
      reason: t.unhealthy ? (t.unhealthyReason ?? HEALTH_CHECK_STOP_REASON) : scalingReason(t.deploymentId),
    });
  }
  return { desired: eligible.size, startOn, stops };
}

/** Service tasks of replica services still on the instance (they go before the daemon's). */
function replicasRemain(instance: InstanceSnapshot, replicaGroups: ReadonlySet<string>): boolean {
  return instance.tasks.some((t) => replicaGroups.has(t.group) && t.desiredStatus === 'RUNNING');
}

/** Tasks on instances the snapshot no longer has (deregistered) are replaced. */
function byInstanceKnown(t: ServiceTask, snapshot: ClusterSnapshot): boolean {
  return snapshot.instances.some((i) => i.arn === t.instanceArn);
}
