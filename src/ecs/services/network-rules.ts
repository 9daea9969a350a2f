/** networkConfiguration: required for awsvpc task definitions, refused for every other network mode. */
import type { NetworkConfiguration, TaskDefinition } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { checkEnum, checkMaxItems } from '../model/validation.ts';
import { isFargate, type LaunchTarget } from './launch-rules.ts';

/** The configuration as ECS stores and echoes it: assignPublicIp defaults to DISABLED. */
export function normalizeNetwork(config: NetworkConfiguration | undefined): NetworkConfiguration | undefined {
  if (config === undefined) return undefined;
  const vpc = config.awsvpcConfiguration;
  if (vpc === undefined) throw invalidParameter('awsvpcConfiguration can not be null.');
  if ((vpc.subnets ?? []).length === 0) throw invalidParameter('subnets can not be empty.');
  checkMaxItems('subnets', vpc.subnets, 16);
  checkMaxItems('securityGroups', vpc.securityGroups, 5);
  const assignPublicIp = checkEnum('assignPublicIp', vpc.assignPublicIp, ['ENABLED', 'DISABLED'] as const);
  const out: NetworkConfiguration['awsvpcConfiguration'] = { subnets: [...(vpc.subnets ?? [])] };
  if (vpc.securityGroups !== undefined) out.securityGroups = [...vpc.securityGroups];
  out.assignPublicIp = assignPublicIp ?? 'DISABLED';
  return { awsvpcConfiguration: out };
}

/** Checks the configuration against the task definition's network mode and the launch target. */
export function checkNetworkMode(
  network: NetworkConfiguration | undefined,
  taskDefinition: Wire<TaskDefinition>,
  target: LaunchTarget,
): void {
  const awsvpc = taskDefinition.networkMode === 'awsvpc';
  if (awsvpc && network === undefined) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (!awsvpc && network !== undefined) {
    throw invalidParameter(
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
  if (network?.awsvpcConfiguration?.assignPublicIp === 'ENABLED' && !isFargate(target)) {
    throw invalidParameter('Assign public IP is not supported for this launch type.');
  }
}
