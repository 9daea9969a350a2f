/** Launch types: ECS's check of the `launchType` value, and the one check that refuses launch targets Longshore cannot run yet. */
import { ServiceError } from '../../../core/errors.ts';
import { EcsErrorCode, invalidParameter } from '../errors.ts';

/**
 * The launch types ECS's request parser accepts, in the order its error message lists them.
 * `FMI` is an ECS-internal name that ECS's message includes; Longshore accepts it only to refuse it
 * as unsupported, like MANAGED_INSTANCES.
 */
export const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'FMI', 'MANAGED_INSTANCES'] as const;
export type LaunchTypeName = (typeof LAUNCH_TYPES)[number];

/** ECS's InvalidParameterException text for a `launchType` outside the enum (RunTask, CreateService, ListServices, ListTasks). */
export const INVALID_LAUNCH_TYPE = `launch type should be one of [${LAUNCH_TYPES.join(',')}]`;

/** ECS's InvalidParameterException text when a request names both a launch type and a capacity provider strategy. */
export const LAUNCH_TYPE_AND_STRATEGY =
  'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.';

/** Launch types whose tasks Longshore places on registered container instances. */
const LOCAL_LAUNCH_TYPES: readonly string[] = ['EC2', 'EXTERNAL'];

/** `value` as a launch type, or InvalidParameterException with ECS's text. */
export function checkLaunchType(value: string | undefined): LaunchTypeName | undefined {
  if (value === undefined) return undefined;
  if (!(LAUNCH_TYPES as readonly string[]).includes(value)) throw invalidParameter(INVALID_LAUNCH_TYPE);
  return value as LaunchTypeName;
}

/** Where tasks are to run: a launch type, or a capacity provider strategy (given, or the cluster's default). */
export interface LaunchChoice {
  launchType?: string;
  capacityProviderStrategy?: readonly unknown[];
}

/**
 * Refuses what Longshore cannot run yet: Managed Instances (and ECS's internal FMI). EC2 and
 * EXTERNAL run on container instances, FARGATE and the FARGATE / FARGATE_SPOT capacity providers
 * (the only ones there are) on the Fargate capacity the agents offer. RunTask, CreateService and
 * UpdateService all call this, so no request is accepted that would then start nothing; ECS
 * models UnsupportedFeatureException for all three operations.
 */
export function checkLaunchSupported(choice: LaunchChoice): void {
  const strategy = choice.capacityProviderStrategy ?? [];
  if (strategy.length > 0 || choice.launchType === undefined) return;
  if (LOCAL_LAUNCH_TYPES.includes(choice.launchType) || choice.launchType === 'FARGATE') return;
  throw new ServiceError(
    EcsErrorCode.UnsupportedFeature,
    `Longshore does not run ${choice.launchType} tasks yet; use launchType EC2 (the default) on container instances, or FARGATE.`,
  );
}

/** ECS's texts when a Fargate request carries placement it cannot honour. */
export const FARGATE_NO_CONSTRAINTS = 'Placement constraints are not supported with FARGATE launch type.';
export const FARGATE_NO_STRATEGIES = 'Placement strategies are not supported with FARGATE launch type.';
