/**
 * Where a service's tasks run: a launch type or a capacity provider strategy (never both), the
 * Fargate platform version, and whether the task definition supports it.
 */
import type {
  CapacityProviderStrategyItem,
  LaunchType,
  SchedulingStrategy,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import { checkPlatformVersion, platformFamilyOf } from '../model/fargate/platform.ts';
import type { Wire } from '../../core/wire.ts';
import { BUILTIN_CAPACITY_PROVIDERS, MIXED_STRATEGY, validateStrategy } from '../clusters/cluster-rules.ts';
import type { ClusterRecord } from '../model/records.ts';
import { checkLaunchType, LAUNCH_TYPE_AND_STRATEGY } from '../model/tasks/launch-support.ts';

export interface LaunchTarget {
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  platformFamily?: string;
}

export interface LaunchRequest {
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
}

/**
 * The launch target of a new service. With neither a launch type nor a strategy, the cluster's
 * default capacity provider strategy applies, and without one the EC2 launch type (as ECS does).
 */
export function resolveLaunch(
  request: LaunchRequest,
  cluster: ClusterRecord,
  scheduling: SchedulingStrategy,
  taskDefinition: Wire<TaskDefinition>,
): LaunchTarget {
  if (request.launchType !== undefined && request.capacityProviderStrategy !== undefined) {
    throw invalidParameter(LAUNCH_TYPE_AND_STRATEGY);
  }
  let target: LaunchTarget;
  // Any launch type passes here; those Longshore cannot run are refused after the ECS checks.
  const launchType = checkLaunchType(request.launchType) as LaunchType | undefined;
  if (launchType) target = { launchType };
  else {
    const strategy = request.capacityProviderStrategy ?? cluster.defaultCapacityProviderStrategy;
    target = strategy.length > 0 ? strategyTarget(strategy, cluster, scheduling) : { launchType: 'EC2' };
  }
  return withPlatform(target, request.platformVersion, scheduling, taskDefinition);
}

/**
 * UpdateService's capacityProviderStrategy: a non-empty list replaces the service's; an empty
 * list goes back to the cluster default (or the EC2 launch type).
 */
export function resolveStrategyUpdate(
  strategy: CapacityProviderStrategyItem[],
  cluster: ClusterRecord,
  scheduling: SchedulingStrategy,
): LaunchTarget {
  if (strategy.length > 0) return strategyTarget(strategy, cluster, scheduling);
  const fallback = cluster.defaultCapacityProviderStrategy;
  return fallback.length > 0 ? strategyTarget(fallback, cluster, scheduling) : { launchType: 'EC2' };
}

function strategyTarget(
  strategy: CapacityProviderStrategyItem[],
  cluster: ClusterRecord,
  scheduling: SchedulingStrategy,
): LaunchTarget {
  if (scheduling === 'DAEMON') {
    // Also when the strategy is the cluster's default (containers-roadmap#692).
    throw invalidParameter(
      'Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy.',
    );
  }
  if (strategy.length > 20) throw invalidParameter('capacityProviderStrategy can have at most 20 items.');
  validateStrategy(strategy, cluster.capacityProviders);
  // Fargate's providers or Auto Scaling group providers (start-tasks.ts places either), never both.
  const fargate: readonly string[] = BUILTIN_CAPACITY_PROVIDERS;
  const onFargate = strategy.filter((s) => fargate.includes(s.capacityProvider ?? '')).length;
  if (onFargate > 0 && onFargate < strategy.length) throw invalidParameter(MIXED_STRATEGY);
  return {
    capacityProviderStrategy: strategy.map((s) => ({
      capacityProvider: s.capacityProvider,
      weight: s.weight ?? 0,
      base: s.base ?? 0,
    })),
  };
}

/** True when the target runs on Fargate (the launch type, or only Fargate capacity providers). */
export function isFargate(target: LaunchTarget): boolean {
  if (target.launchType) return target.launchType === 'FARGATE';
  const fargate: readonly string[] = BUILTIN_CAPACITY_PROVIDERS;
  return (target.capacityProviderStrategy ?? []).every((s) => fargate.includes(s.capacityProvider ?? ''));
}

/**
 * Adds the platform version and family. Only Fargate takes a platform version (default LATEST);
 * the family follows the task definition's runtime platform (Linux unless it names Windows).
 */
export function withPlatform(
  target: LaunchTarget,
  platformVersion: string | undefined,
  scheduling: SchedulingStrategy,
  taskDefinition: Wire<TaskDefinition>,
): LaunchTarget {
  const { platformVersion: _v, platformFamily: _f, ...base } = target;
  if (!isFargate(base)) {
    if (platformVersion !== undefined) {
      throw invalidParameter(
        `The platform version must be null when specifying an ${base.launchType ?? 'EC2'} launch type.`,
      );
    }
    return base;
  }
  if (scheduling === 'DAEMON') {
    throw invalidParameter(
      'The daemon scheduling strategy does not support the FARGATE launch type. Change the launch type and try again',
    );
  }
  const version = checkPlatformVersion(platformVersion);
  return { ...base, platformVersion: version, platformFamily: platformFamilyOf(taskDefinition) };
}

/** The task definition must be compatible with where the service runs ("Task definition does not support launch_type FARGATE."). */
export function checkCompatibility(target: LaunchTarget, taskDefinition: Wire<TaskDefinition>): void {
  const needed = isFargate(target) ? 'FARGATE' : (target.launchType ?? 'EC2');
  const compatibilities: readonly string[] = taskDefinition.compatibilities ?? ['EC2'];
  if (!compatibilities.includes(needed)) {
    throw invalidParameter(`Task definition does not support launch_type ${needed}.`);
  }
  if (
    !isFargate(target) &&
    target.capacityProviderStrategy?.length &&
    taskDefinition.networkMode === 'awsvpc'
  ) {
    // As RunTask (provider-launch.ts): awsvpc tasks cannot wait in PROVISIONING yet.
    throw invalidParameter(
      'Longshore places awsvpc tasks of Auto Scaling group capacity providers only with the EC2 launch type; use launchType EC2 or another network mode.',
    );
  }
}
