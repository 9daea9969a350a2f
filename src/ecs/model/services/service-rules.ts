/** Input rules shared by CreateService and UpdateService, with ECS's error types and messages. */
import type { DeploymentController, SchedulingStrategy } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../../core/errors.ts';
import { EcsErrorCode, invalidParameter } from '../errors.ts';
import type { Wire } from '../../../core/wire.ts';
import { checkEnum, checkRange, NAME_PATTERN } from '../validation.ts';

export const SchedulingStrategies = ['REPLICA', 'DAEMON'] as const;
export const PropagateTagsValues = ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const;
export const DeploymentControllerTypes = ['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const;
export const AvailabilityZoneRebalancingValues = ['ENABLED', 'DISABLED'] as const;
export const ResourceManagementTypes = ['CUSTOMER', 'ECS'] as const;

/**
 * How long an INACTIVE service stays describable. ECS documents only that INACTIVE services "may
 * be cleaned up and purged" at some point; Longshore keeps them a day, like STOPPED tasks.
 */
export const INACTIVE_SERVICE_RETENTION_MS = 24 * 60 * 60 * 1000;

/** healthCheckGracePeriodSeconds: "up to 2,147,483,647 seconds (about 69 years)". */
const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647;
/** clientToken: "Up to 36 ASCII characters in the range of 33-126 (inclusive)". */
const CLIENT_TOKEN = /^[\x21-\x7e]*$/;

export function checkServiceName(name: string | undefined): string {
  if (name === undefined || !NAME_PATTERN.test(name)) {
    throw invalidParameter(
      'Service name must be 1-255 characters long and contain only letters (uppercase and lowercase), numbers, underscores, and hyphens.',
    );
  }
  return name;
}

export function checkClientToken(token: string | undefined): void {
  if (token === undefined) return;
  if (token.length > 36) throw invalidParameter('idempotency token longer than 36.');
  if (!CLIENT_TOKEN.test(token)) {
    throw invalidParameter('clientToken must contain only ASCII characters in the range 33-126.');
  }
}

export function checkSchedulingStrategy(value: string | undefined): SchedulingStrategy {
  return checkEnum('schedulingStrategy', value, SchedulingStrategies) ?? 'REPLICA';
}

/**
 * desiredCount: required for REPLICA, refused for DAEMON (the daemon scheduler derives it from
 * the instances), never negative. Messages as ECS returns them (reported by ecspresso, fabfuel).
 */
export function checkDesiredCount(
  scheduling: SchedulingStrategy,
  desiredCount: number | undefined,
  operation: 'create' | 'update',
): void {
  if (scheduling === 'DAEMON' && desiredCount !== undefined) {
    throw invalidParameter(
      'The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again',
    );
  }
  if (operation === 'create' && scheduling === 'REPLICA' && desiredCount === undefined) {
    throw invalidParameter('DesiredCount is missing');
  }
  if (desiredCount !== undefined && desiredCount < 0) {
    throw invalidParameter(
      operation === 'create'
        ? 'DesiredCount can not be lesser than 0'
        : 'Task count can not be lesser than 0',
    );
  }
}

/**
 * Longshore implements the rolling-update (ECS) deployment controller only. CODE_DEPLOY needs
 * AWS CodeDeploy and an ALB/NLB; EXTERNAL needs the task-set APIs (CreateTaskSet ...), which
 * Longshore does not have yet. Both are refused with UnsupportedFeatureException rather than
 * accepted as services that could never run a task.
 */
export function checkDeploymentController(controller: Wire<DeploymentController> | undefined): void {
  if (controller === undefined) return;
  const type = checkEnum('deploymentController.type', controller.type, DeploymentControllerTypes);
  if (type !== 'ECS') {
    throw new ServiceError(
      EcsErrorCode.UnsupportedFeature,
      `The ${type} deployment controller is not supported by Longshore; use the ECS deployment controller.`,
    );
  }
}

export function checkGracePeriod(seconds: number | undefined): void {
  checkRange('healthCheckGracePeriodSeconds', seconds, 0, MAX_GRACE_PERIOD_SECONDS);
}

/** Features that need AWS services Longshore does not have (Cloud Map namespaces, EBS, VPC Lattice). */
export function checkUnsupportedFeatures(input: {
  serviceConnectConfiguration?: { enabled?: boolean; namespace?: string };
  volumeConfigurations?: readonly unknown[];
  vpcLatticeConfigurations?: readonly unknown[];
}): void {
  if (input.serviceConnectConfiguration?.enabled) {
    // Service Connect names a Cloud Map namespace (or the cluster's default); none exist yet.
    throw namespaceNotFound();
  }
  if ((input.volumeConfigurations ?? []).length > 0) {
    throw new ServiceError(
      EcsErrorCode.UnsupportedFeature,
      'Amazon EBS volume configurations are not supported by Longshore yet.',
    );
  }
  if ((input.vpcLatticeConfigurations ?? []).length > 0) {
    throw new ServiceError(
      EcsErrorCode.UnsupportedFeature,
      'VPC Lattice configurations are not supported by Longshore yet.',
    );
  }
}

/** NamespaceNotFoundException: Longshore has no Cloud Map yet, so no namespace exists. */
export function namespaceNotFound(): ServiceError {
  return new ServiceError(EcsErrorCode.NamespaceNotFound, 'Namespace not found.');
}

/** The service-linked role ECS reports for services that need one (awsvpc, service discovery). */
export function serviceLinkedRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
}

/** The principal ECS reports in `createdBy`; Longshore's single credential acts as the account root. */
export function callerArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}
