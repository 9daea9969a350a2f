/**
 * Plans one pass's scale/rollout step: a DRAINING service stops everything; otherwise the DAEMON
 * or REPLICA planner decides, under the launch throttle, and timed work asks for a wake-up.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import { DeploymentStatus, RolloutState, type WireDeployment } from '../../ecs/model/services/deployments.ts';
import { clusterSnapshot } from '../../ecs/model/tasks/cluster-snapshot.ts';
import type { ClusterSnapshot } from '../../scheduler/index.ts';
import type { Tx } from '../../store/store.ts';
import { planDaemonStep } from './daemon-plan.ts';
import { replicaGroups } from './daemon-start.ts';
import { launchThrottle, throttleMessage } from './launch-throttle.ts';
import type { Observation } from './observe.ts';
import { planRollingStep, type Stop, scalingReason } from './rolling-plan.ts';
import { messages } from './service-events.ts';
import { isLive, Phase } from './service-tasks.ts';
import { type Launch, serviceRequest } from './start-tasks.ts';

export interface StepOptions {
  /** Tasks one pass may start; the rest follow in the next pass (one bounded step per pass). */
  maxLaunchesPerPass: number;
  /** When a task fits nowhere, look again after this (instance and task changes also wake the service). */
  placementRetryMs: number;
  /** How long a task without a health check must have been RUNNING to count as healthy (ECS: 40 s). */
  uncheckedHealthyAfterMs: number;
}

/** The earliest time-based wake-up a pass asks for. */
export interface Wake {
  afterMs: number | undefined;
}

export function wakeAfter(wake: Wake, ms: number): void {
  wake.afterMs = wake.afterMs === undefined ? ms : Math.min(wake.afterMs, ms);
}

export interface Step {
  stops: Stop[];
  /** REPLICA: tasks to start for the PRIMARY deployment. */
  start: number;
  /** DAEMON: instances to start the PRIMARY deployment's task on. */
  startOn: string[];
  /** The desired count this pass works to (a DAEMON's is its eligible instances; 0 while draining). */
  desired: number;
  events: string[];
  /** More tasks are wanted than one pass may start: run again at once, if this pass placed any. */
  more: boolean;
  primary?: WireDeployment;
  snapshot?: ClusterSnapshot;
}

export interface StepArgs {
  ctx: EcsContext;
  tx: Tx;
  obs: Observation;
  service: Wire<Service>;
  draining: boolean;
  now: number;
  options: StepOptions;
  wake: Wake;
}

export async function planStep(a: StepArgs): Promise<Step> {
  const s = a.service;
  const live = a.obs.tasks.filter((t) => t.phase !== Phase.Stopped);
  const step: Step = {
    stops: [],
    start: 0,
    startOn: [],
    desired: s.desiredCount ?? 0,
    events: [],
    more: false,
  };
  for (const t of live) {
    if (t.graceEndsAt !== undefined) wakeAfter(a.wake, t.graceEndsAt - a.now);
    if (t.healthyAt !== undefined) wakeAfter(a.wake, t.healthyAt - a.now);
    if (t.protectedUntil !== undefined) wakeAfter(a.wake, t.protectedUntil - a.now);
  }
  if (a.draining) {
    step.desired = 0;
    step.stops = live.filter(isLive).map((t) => ({ task: t, reason: scalingReason(t.deploymentId) }));
    return step;
  }
  const primary = (s.deployments ?? []).find((d) => d.status === DeploymentStatus.Primary);
  // A FAILED deployment (breaker without rollback) launches and replaces nothing more.
  if (!primary?.id || primary.rolloutState === RolloutState.Failed) return step;
  step.primary = primary;
  const throttle = launchThrottle(primary.id, a.obs.tasks);
  const throttled = throttle.until !== undefined && throttle.until > a.now;
  if (throttled) {
    step.events.push(throttleMessage(s.serviceName ?? ''));
    wakeAfter(a.wake, (throttle.until ?? a.now) - a.now);
  }
  const config = s.deploymentConfiguration ?? {};
  if (s.schedulingStrategy === 'DAEMON') {
    const launch = launchFor(a, primary);
    if (!launch) return step;
    step.snapshot = await clusterSnapshot(a.ctx, a.tx, a.obs.cluster.clusterName);
    const plan = planDaemonStep({
      primaryId: primary.id,
      tasks: live,
      snapshot: step.snapshot,
      request: serviceRequest(launch, 1),
      minimumHealthyPercent: config.minimumHealthyPercent ?? 0,
      launchesAllowed: !throttled,
      replicaGroups: await replicaGroups(a.tx, a.obs.cluster.clusterName),
    });
    step.stops = plan.stops;
    step.startOn = plan.startOn.slice(0, a.options.maxLaunchesPerPass);
    step.desired = plan.desired;
    step.more = plan.startOn.length > step.startOn.length;
    return step;
  }
  const plan = planRollingStep({
    desired: step.desired,
    minimumHealthyPercent: config.minimumHealthyPercent ?? 100,
    maximumPercent: config.maximumPercent ?? 200,
    primaryId: primary.id,
    tasks: live,
    launchesAllowed: !throttled,
  });
  step.stops = plan.stops;
  step.start = Math.min(plan.start, a.options.maxLaunchesPerPass);
  step.more = plan.start > step.start;
  if (plan.blocked) step.events.push(messages.blocked(s.serviceName ?? ''));
  return step;
}

export function launchFor(
  a: Pick<StepArgs, 'ctx' | 'tx' | 'obs' | 'service'>,
  deployment: WireDeployment,
): Launch | undefined {
  const td = a.obs.taskDefinitions.get(deployment.taskDefinition ?? '');
  if (!td) return undefined;
  return {
    ctx: a.ctx,
    tx: a.tx,
    service: { ...a.obs.stored.value, service: a.service },
    cluster: a.obs.cluster,
    deployment,
    td,
  };
}
