/** deploymentConfiguration: ECS's defaults per scheduling strategy, merging on update, and its limits. */
import type { DeploymentConfiguration, SchedulingStrategy } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode, invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { checkEnum, checkRange } from '../model/validation.ts';

type Config = Wire<DeploymentConfiguration>;

/**
 * Defaults from the DeploymentConfiguration docs: REPLICA max 200 / min 100; DAEMON max 100 /
 * min 0 ("0% for the CLI, the AWS SDKs, and the APIs"). ECS echoes the circuit breaker as
 * disabled when none was given.
 */
const DEFAULTS: Record<SchedulingStrategy, { maximumPercent: number; minimumHealthyPercent: number }> = {
  REPLICA: { maximumPercent: 200, minimumHealthyPercent: 100 },
  DAEMON: { maximumPercent: 100, minimumHealthyPercent: 0 },
};

const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;

/**
 * The configuration a service gets: `input` over `current` (UpdateService keeps what it does not
 * name) over the defaults. Member order as ECS echoes it: circuit breaker, percents, alarms.
 *
 * Example: REPLICA, input `{maximumPercent: 150}`, no current ->
 * `{deploymentCircuitBreaker: {enable: false, rollback: false}, maximumPercent: 150, minimumHealthyPercent: 100}`.
 */
export function resolveDeploymentConfiguration(
  input: Config | undefined,
  scheduling: SchedulingStrategy,
  current?: Config,
): Config {
  const base = current ?? {};
  const merged: Config = {
    deploymentCircuitBreaker: input?.deploymentCircuitBreaker ??
      base.deploymentCircuitBreaker ?? { enable: false, rollback: false },
    maximumPercent: input?.maximumPercent ?? base.maximumPercent ?? DEFAULTS[scheduling].maximumPercent,
    minimumHealthyPercent:
      input?.minimumHealthyPercent ??
      base.minimumHealthyPercent ??
      DEFAULTS[scheduling].minimumHealthyPercent,
  };
  const rest = { ...base, ...(input ?? {}) };
  for (const key of ['alarms', 'strategy', 'bakeTimeInMinutes', 'lifecycleHooks'] as const) {
    if (rest[key] !== undefined) Object.assign(merged, { [key]: rest[key] });
  }
  for (const key of ['linearConfiguration', 'canaryConfiguration'] as const) {
    if (rest[key] !== undefined) Object.assign(merged, { [key]: rest[key] });
  }
  validate(merged, scheduling);
  return merged;
}

function validate(config: Config, scheduling: SchedulingStrategy): void {
  checkRange('minimumHealthyPercent', config.minimumHealthyPercent, 0, 100);
  checkRange('maximumPercent', config.maximumPercent, 0, 2_147_483_647);
  if (scheduling === 'DAEMON' && (config.maximumPercent ?? 0) > 100) {
    // As reported from CloudFormation stacks (aws-cdk#2209).
    throw invalidParameter(
      'The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again',
    );
  }
  const strategy = checkEnum('deploymentConfiguration.strategy', config.strategy, STRATEGIES);
  if (strategy !== undefined && strategy !== 'ROLLING') {
    throw new ServiceError(
      EcsErrorCode.UnsupportedFeature,
      `The ${strategy} deployment strategy is not supported by Longshore yet; use ROLLING.`,
    );
  }
  checkRange('bakeTimeInMinutes', config.bakeTimeInMinutes, 0, 1440);
}
