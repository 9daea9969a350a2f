/**
 * A service's tasks as the scheduler sees them: phase, health, deployment and instance. Pure; the
 * reconciler builds these from stored TaskRecords once per pass.
 */
import { StopCode, TaskStatusOrder } from '../../core/agent-protocol.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { isProtected } from '../../ecs/model/tasks/protection.ts';

/** Where a task is in its life, as far as rolling updates care. */
export const Phase = {
  Pending: 'pending',
  Running: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * "If a task has no essential containers with a health check defined, the service scheduler will
 * wait for 40 seconds after a task reaches a RUNNING state before the task is counted towards the
 * minimum healthy percent total" (DeploymentConfiguration.minimumHealthyPercent). It is also what
 * lets the circuit breaker see a task that crashes soon after starting before the rollout completes.
 */
export const UNCHECKED_TASK_HEALTHY_AFTER_MS = 40_000;

/** Why a task was stopped for failing its container health checks (ECS's stoppedReason). */
export const HEALTH_CHECK_STOP_REASON = 'Task failed container health checks';

/** Why a task was stopped for failing its load balancer's health checks (ECS's stoppedReason). */
export const elbHealthStopReason = (targetGroupArn: string) =>
  `Task failed ELB health checks in (target-group ${targetGroupArn})`;
const ELB_HEALTH_STOP_PREFIX = 'Task failed ELB health checks in ';

/**
 * Target states in which a service task counts as healthy for its load balancer: passing, or not
 * checked (health checks disabled, or the group no longer used by a load balancer).
 */
const TARGET_OK: readonly string[] = ['healthy', 'unavailable', 'unused'];

export interface ServiceTask {
  key: string;
  version: number;
  record: TaskRecord;
  /** The 32-hex id at the end of the ARN. */
  id: string;
  /** `startedBy`: the deployment that started it. */
  deploymentId: string;
  phase: Phase;
  /**
   * RUNNING, and HEALTHY when an essential container has a health check; without one, RUNNING for
   * `uncheckedHealthyAfterMs`.
   */
  healthy: boolean;
  /** RUNNING without a health check and not yet counted healthy: epoch ms when it will be. */
  healthyAt?: number;
  /** RUNNING, UNHEALTHY (its containers' or its load balancer's checks), past the grace period: to be replaced. */
  unhealthy: boolean;
  /** The stoppedReason for replacing an unhealthy task (container or ELB health checks). */
  unhealthyReason?: string;
  /** UNHEALTHY but still inside healthCheckGracePeriodSeconds: epoch ms when the grace ends. */
  graceEndsAt?: number;
  instanceArn: string;
  availabilityZone: string;
  /** Its container instance is DRAINING, DEREGISTERING or gone. */
  onDrainingInstance: boolean;
  /** Epoch ms. */
  createdAt: number;
  /**
   * UpdateTaskProtection is on and has not expired: neither scale-in nor a deployment stops it
   * (health-check replacement still does). `protectedUntil` is the expiry, epoch ms.
   */
  scaleInProtected: boolean;
  protectedUntil?: number;
}

export interface ClassifyContext {
  now: number;
  gracePeriodMs: number;
  /** How long a task without a health check must have been RUNNING to count as healthy. */
  uncheckedHealthyAfterMs: number;
  /** Container instance ARN -> status; a missing instance counts as gone. */
  instanceStatus: ReadonlyMap<string, string>;
  /** True when the task definition has a health check on an essential container. */
  hasHealthCheck(taskDefinitionArn: string): boolean;
  /** The service has load balancers: its tasks are healthy only once their targets are. */
  hasLoadBalancers?: boolean;
}

const RUNNING_RANK = TaskStatusOrder.indexOf('RUNNING');

export function phaseOf(record: TaskRecord): Phase {
  const last = record.task.lastStatus ?? 'PENDING';
  if (last === 'STOPPED') return Phase.Stopped;
  if (record.task.desiredStatus === 'STOPPED') return Phase.Stopping;
  const rank = TaskStatusOrder.indexOf(last as never);
  if (rank > RUNNING_RANK) return Phase.Stopping;
  return rank === RUNNING_RANK ? Phase.Running : Phase.Pending;
}

export function classify(key: string, version: number, record: TaskRecord, c: ClassifyContext): ServiceTask {
  const task = record.task;
  const phase = phaseOf(record);
  const checked = c.hasHealthCheck(task.taskDefinitionArn ?? '');
  const running = phase === Phase.Running;
  const startedAt = (task.startedAt ?? task.createdAt ?? 0) * 1000;
  const graceEndsAt = startedAt + c.gracePeriodMs;
  const healthyAt = startedAt + c.uncheckedHealthyAfterMs;
  const containerSick = running && checked && task.healthStatus === 'UNHEALTHY';
  // Behind load balancers: healthy once every target passes, unhealthy when one fails.
  const targets = record.targets?.state === 'registered' ? record.targets.targets : undefined;
  const failing = running ? targets?.find((t) => t.health?.state === 'unhealthy') : undefined;
  const targetsOk =
    !c.hasLoadBalancers || (targets?.every((t) => TARGET_OK.includes(t.health?.state ?? '')) ?? false);
  const sick = containerSick || failing !== undefined;
  const instanceArn = task.containerInstanceArn ?? '';
  const status = c.instanceStatus.get(instanceArn);
  const out: ServiceTask = {
    key,
    version,
    record,
    id: (task.taskArn ?? '').split('/').pop() ?? '',
    deploymentId: task.startedBy ?? '',
    phase,
    healthy:
      running &&
      (checked ? task.healthStatus === 'HEALTHY' : c.now >= healthyAt || c.hasLoadBalancers === true) &&
      targetsOk,
    unhealthy: sick && c.now >= graceEndsAt,
    instanceArn,
    availabilityZone: task.availabilityZone ?? '',
    // Fargate tasks have no container instance (their host is Fargate's business, not the service's).
    onDrainingInstance:
      instanceArn !== '' && (status === undefined || (status !== 'ACTIVE' && status !== 'REGISTERING')),
    createdAt: (task.createdAt ?? 0) * 1000,
    scaleInProtected: isProtected(record, c.now),
  };
  if (out.scaleInProtected && record.protection?.expiresAt !== undefined)
    out.protectedUntil = record.protection.expiresAt;
  if (out.unhealthy) {
    out.unhealthyReason = containerSick
      ? HEALTH_CHECK_STOP_REASON
      : elbHealthStopReason(failing?.targetGroupArn ?? '');
  }
  if (sick && c.now < graceEndsAt) out.graceEndsAt = graceEndsAt;
  if (running && !checked && c.now < healthyAt) out.healthyAt = healthyAt;
  return out;
}

/** Holds capacity: desired RUNNING and not stopped, or told to stop and not stopped yet. */
export const isLive = (t: ServiceTask): boolean => t.phase === Phase.Pending || t.phase === Phase.Running;

/**
 * A task that counts against its deployment's circuit breaker: it failed to start, its essential
 * container exited on its own, or the scheduler stopped it for failing its health checks.
 * Tasks the scheduler or a user stopped for any other reason are not failures.
 */
export function isFailure(t: ServiceTask): boolean {
  if (t.phase !== Phase.Stopped) return false;
  const code = t.record.task.stopCode;
  if (code === StopCode.TaskFailedToStart || code === StopCode.EssentialContainerExited) return true;
  const reason = t.record.task.stoppedReason ?? '';
  return reason === HEALTH_CHECK_STOP_REASON || reason.startsWith(ELB_HEALTH_STOP_PREFIX);
}

/** Stopped without ever reaching RUNNING: what ECS's launch throttle counts. */
export const failedToStart = (t: ServiceTask): boolean =>
  t.phase === Phase.Stopped && t.record.task.startedAt === undefined && isFailure(t);
