/** The launch types a definition validates against (`compatibilities`) and the ones it must (`requiresCompatibilities`). */
import type { Compatibility, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { reject } from './fail.ts';
import { fargateIncompatibility } from './fargate.ts';

/** Network modes Amazon ECS Managed Instances support: "awsvpc ..., host ..., and none". */
const MANAGED_INSTANCE_MODES: readonly string[] = ['awsvpc', 'host', 'none'];

/**
 * requiresCompatibilities: "A client exception is returned if the task definition doesn't validate
 * against the compatibilities specified." compatibilities is what ECS computed, in the order ECS
 * lists it. Observed in DescribeTaskDefinition output (aws-cli examples, AWS docs, user posts
 * 2017-2026):
 * - EC2 is always there: a bridge definition with nothing else gets ["EC2"].
 * - FARGATE is added whenever the definition would pass the Fargate checks, even if only EC2 was
 *   required (awsvpc + 512/1024 -> ["EC2", "FARGATE"]; awsvpc with memory 717 -> no FARGATE).
 * - MANAGED_INSTANCES (added to ECS in 2025) follows for the network modes Managed Instances run:
 *   ["EC2", "FARGATE", "MANAGED_INSTANCES"], ["EC2", "MANAGED_INSTANCES"]; never for bridge.
 * - EXTERNAL was not in any computed list seen, so it is listed only when required; ECS Anywhere
 *   does not support the awsvpc network mode.
 */
export function computeCompatibilities(
  input: RegisterTaskDefinitionRequest,
  cpu: number | undefined,
  memory: number | undefined,
): Compatibility[] {
  const mode = input.networkMode ?? 'bridge';
  const required: readonly string[] = input.requiresCompatibilities ?? [];
  const fargate = fargateIncompatibility(input, cpu, memory);
  if (required.includes('FARGATE') && fargate !== undefined) throw reject(fargate);
  if (required.includes('EXTERNAL') && mode === 'awsvpc') {
    throw reject("Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'.");
  }
  const windows = input.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS') ?? false;
  const managed = MANAGED_INSTANCE_MODES.includes(mode) && !windows;
  if (required.includes('MANAGED_INSTANCES') && !managed) {
    throw reject(
      windows
        ? 'Tasks using the MANAGED_INSTANCES launch type do not support Windows containers.'
        : `Tasks using the MANAGED_INSTANCES launch type do not support network mode '${mode}'.`,
    );
  }
  const out: Compatibility[] = ['EC2'];
  if (required.includes('EXTERNAL')) out.push('EXTERNAL');
  if (fargate === undefined) out.push('FARGATE');
  if (managed) out.push('MANAGED_INSTANCES');
  return out;
}
