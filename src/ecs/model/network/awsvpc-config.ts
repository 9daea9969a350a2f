/**
 * networkConfiguration: required for awsvpc task definitions, refused for every other network mode,
 * and resolved against EC2's subnets and security groups (they must exist, in one VPC).
 */
import type { NetworkConfiguration, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Wire } from '../../../core/wire.ts';
import {
  defaultSecurityGroupOf,
  type Ec2Scope,
  ensureDefaultVpc,
  getSecurityGroup,
  getSubnet,
} from '../../../ec2/model/index.ts';
import type { SecurityGroupRecord, SubnetRecord } from '../../../ec2/model/index.ts';
import type { Reader, Tx } from '../../../store/store.ts';
import { invalidParameter } from '../errors.ts';
import { checkEnum, checkMaxItems } from '../validation.ts';

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
  fargate: boolean,
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
  if (network?.awsvpcConfiguration?.assignPublicIp === 'ENABLED' && !fargate) {
    throw invalidParameter('Assign public IP is not supported for this launch type.');
  }
}

/** A task's awsvpc configuration, resolved: the subnets (in the order given) and groups of one VPC. */
export interface ResolvedAwsvpc {
  vpcId: string;
  subnets: SubnetRecord[];
  groups: SecurityGroupRecord[];
  assignPublicIp: boolean;
}

/**
 * Looks the subnets and security groups up as ECS does before it creates the task's ENI, with ECS's
 * texts ("Error retrieving subnet information for [...]"). No security group given: the VPC's
 * default group, as EC2 gives an ENI created without one.
 */
export async function resolveAwsvpc(
  reader: Reader,
  network: NetworkConfiguration | undefined,
): Promise<ResolvedAwsvpc> {
  const config = normalizeNetwork(network)?.awsvpcConfiguration;
  if (!config) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  const subnetIds = [...new Set(config.subnets ?? [])];
  const subnets: SubnetRecord[] = [];
  const missing: string[] = [];
  for (const id of subnetIds) {
    const subnet = await getSubnet(reader, id);
    if (subnet) subnets.push(subnet);
    else missing.push(id);
  }
  if (missing.length > 0) {
    throw invalidParameter(
      `Error retrieving subnet information for [${missing.join(', ')}]: The subnet ID '${missing[0]}' does not exist (ErrorCode: InvalidSubnetID.NotFound)`,
    );
  }
  const vpcs = [...new Set(subnets.map((s) => s.vpcId))];
  if (vpcs.length > 1) {
    throw invalidParameter(
      `The subnets [${subnetIds.join(', ')}] are in different VPCs (${vpcs.join(', ')}); a task's subnets must all be in one VPC.`,
    );
  }
  const vpcId = vpcs[0];
  const groups: SecurityGroupRecord[] = [];
  const missingGroups: string[] = [];
  for (const id of new Set(config.securityGroups ?? [])) {
    const group = await getSecurityGroup(reader, id);
    if (group) groups.push(group);
    else missingGroups.push(id);
  }
  if (missingGroups.length > 0) {
    throw invalidParameter(
      `Error retrieving security group information for [${missingGroups.join(', ')}]: The security group '${missingGroups[0]}' does not exist (ErrorCode: InvalidGroup.NotFound)`,
    );
  }
  const foreign = groups.find((g) => g.vpcId !== vpcId);
  if (foreign) {
    throw invalidParameter(
      `Security group ${foreign.groupId} and subnet ${subnets[0].subnetId} belong to different networks.`,
    );
  }
  if (groups.length === 0) {
    const fallback = await defaultSecurityGroupOf(reader, vpcId);
    if (fallback) groups.push(fallback);
  }
  return { vpcId, subnets, groups, assignPublicIp: config.assignPublicIp === 'ENABLED' };
}

/** CreateService / UpdateService: the subnets and groups must exist now (ECS checks at the call). */
export async function checkNetworkExists(
  tx: Tx,
  scope: Ec2Scope,
  network: NetworkConfiguration | undefined,
): Promise<void> {
  if (!network) return;
  await ensureDefaultVpc(tx, scope);
  await resolveAwsvpc(tx, network);
}
