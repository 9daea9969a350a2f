/**
 * Service deployments: creating one from a service's configuration, and the hand-over when a
 * new one starts. Shared by CreateService/UpdateService and the service controller.
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { epochSeconds, type Rng } from '../../../core/clock.ts';
import type { Wire } from '../../../core/wire.ts';

export type WireDeployment = Wire<Deployment>;

/**
 * PRIMARY is the newest deployment; ACTIVE ones still have tasks being replaced; INACTIVE ones
 * are fully replaced (kept in the record for history, never described).
 */
export const DeploymentStatus = { Primary: 'PRIMARY', Active: 'ACTIVE', Inactive: 'INACTIVE' } as const;
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];

export const RolloutState = { InProgress: 'IN_PROGRESS', Completed: 'COMPLETED', Failed: 'FAILED' } as const;

/** What Fargate's `LATEST` resolves to; deployments report the resolved version. */
export const LATEST_FARGATE_PLATFORM_VERSION = '1.4.0';

/** `ecs-svc/` and 19 digits, as ECS names deployments (e.g. `ecs-svc/3763308422771520962`). */
export function deploymentId(rng: Rng): string {
  let digits = String(1 + Math.floor(rng.next() * 9));
  for (let i = 1; i < 19; i++) digits += String(Math.floor(rng.next() * 10));
  return `ecs-svc/${digits}`;
}

/**
 * A new PRIMARY deployment of `service`'s current configuration: IN_PROGRESS with no tasks yet.
 * Tasks the controller starts for it carry `startedBy: id`, which is how ECS ties tasks to
 * deployments. Timestamps are epoch seconds with millisecond precision.
 */
export function newDeployment(service: Wire<Service>, id: string, nowMs: number): WireDeployment {
  const at = epochSeconds(nowMs);
  const deployment: WireDeployment = {
    id,
    status: DeploymentStatus.Primary,
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount ?? 0,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: at,
    updatedAt: at,
  };
  if (service.capacityProviderStrategy)
    deployment.capacityProviderStrategy = service.capacityProviderStrategy;
  else if (service.launchType) deployment.launchType = service.launchType;
  if (service.platformVersion) {
    deployment.platformVersion =
      service.platformVersion === 'LATEST' ? LATEST_FARGATE_PLATFORM_VERSION : service.platformVersion;
  }
  if (service.platformFamily) deployment.platformFamily = service.platformFamily;
  if (service.networkConfiguration) deployment.networkConfiguration = service.networkConfiguration;
  deployment.rolloutState = RolloutState.InProgress;
  deployment.rolloutStateReason = `ECS deployment ${id} in progress.`;
  return deployment;
}

/**
 * The deployment list after `next` starts: `next` first as PRIMARY, the previous PRIMARY demoted
 * to ACTIVE (its tasks are replaced by the controller), older ones unchanged. Newest first, as
 * DescribeServices lists them.
 */
export function startDeployment(
  current: readonly WireDeployment[],
  next: WireDeployment,
  nowMs: number,
): WireDeployment[] {
  const demoted = current.map((d) =>
    d.status === DeploymentStatus.Primary
      ? { ...d, status: DeploymentStatus.Active, updatedAt: epochSeconds(nowMs) }
      : d,
  );
  return [{ ...next, status: DeploymentStatus.Primary }, ...demoted];
}

/** The PRIMARY deployment with `change` applied (e.g. a new desiredCount); others unchanged. */
export function updatePrimary(
  current: readonly WireDeployment[],
  change: Partial<WireDeployment>,
  nowMs: number,
): WireDeployment[] {
  return current.map((d) =>
    d.status === DeploymentStatus.Primary ? { ...d, ...change, updatedAt: epochSeconds(nowMs) } : d,
  );
}

/** Deployments DescribeServices shows: every one that is not INACTIVE. */
export function visibleDeployments(deployments: readonly WireDeployment[] | undefined): WireDeployment[] {
  return (deployments ?? []).filter((d) => d.status !== DeploymentStatus.Inactive);
}
