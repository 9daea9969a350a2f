/** Fargate platform versions: which ECS accepts, what LATEST is, and the family a task definition runs on. */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../../core/errors.ts';
import type { Wire } from '../../../core/wire.ts';
import { EcsErrorCode } from '../errors.ts';
import { LATEST_FARGATE_PLATFORM_VERSION } from '../services/deployments.ts';

/** Fargate Linux platform versions ECS still accepts, plus LATEST. */
export const FARGATE_PLATFORM_VERSIONS: readonly string[] = ['LATEST', '1.4.0', '1.3.0'];

/** `version` (default LATEST) checked, or PlatformUnknownException with ECS's text. */
export function checkPlatformVersion(version: string | undefined): string {
  const v = version ?? 'LATEST';
  if (!FARGATE_PLATFORM_VERSIONS.includes(v)) {
    throw new ServiceError(
      EcsErrorCode.PlatformUnknown,
      `The specified platform version (${v}) does not exist.`,
    );
  }
  return v;
}

/** The version a task reports: LATEST resolved. */
export function resolvedPlatformVersion(version: string): string {
  return version === 'LATEST' ? LATEST_FARGATE_PLATFORM_VERSION : version;
}

/** Linux unless the task definition's runtime platform names a Windows family. */
export function platformFamilyOf(taskDefinition: Wire<TaskDefinition>): string {
  const os = taskDefinition.runtimePlatform?.operatingSystemFamily;
  return os?.startsWith('WINDOWS') ? os : 'Linux';
}
