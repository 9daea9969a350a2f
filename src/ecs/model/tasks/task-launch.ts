/** What RunTask and StartTask share: request checks, tag propagation, and creating placed tasks. */
import type { NetworkConfiguration, Tag, TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../../core/errors.ts';
import { ensureDefaultVpc } from '../../../ec2/model/index.ts';
import { type ResolvedAwsvpc, resolveAwsvpc } from '../network/awsvpc-config.ts';
import { attachTaskEni } from '../network/task-eni.ts';
import { clientException, invalidParameter } from '../errors.ts';
import type { Wire } from '../../../core/wire.ts';
import type { Placement, PlacementRequest } from '../../../scheduler/index.ts';
import { Kind, type Tx } from '../../../store/store.ts';
import type { EcsContext } from '../context.ts';
import { type ClusterRecord, keys, type TaskDefinitionRecord, type TaskRecord } from '../records.ts';
import { validateTags } from '../tag-rules.ts';
import { checkEnum } from '../validation.ts';
import { newTask } from './new-task.ts';

/** The members RunTask and StartTask have in common. */
export interface LaunchInput {
  group?: string;
  startedBy?: string;
  tags?: Tag[];
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  overrides?: Wire<TaskOverride>;
  networkConfiguration?: unknown;
}

/** Checks that do not need the store; ECS's error types and texts. */
export function checkLaunchInput(input: LaunchInput, td: Wire<TaskDefinition>, launchType: string): void {
  if (input.group !== undefined && input.group.length > 255)
    throw invalidParameter('group can be at most 255 characters long.');
  if (input.startedBy !== undefined && !/^[a-zA-Z0-9_/.:-]{1,128}$/.test(input.startedBy)) {
    throw invalidParameter(
      'startedBy must be 1-128 letters, numbers, hyphens, underscores, slashes, periods or colons.',
    );
  }
  validateTags(input.tags);
  const propagate = checkEnum('propagateTags', input.propagateTags, [
    'TASK_DEFINITION',
    'SERVICE',
    'NONE',
  ] as const);
  if (propagate === 'SERVICE') {
    throw invalidParameter('The propagateTags value SERVICE is only valid for tasks started by a service.');
  }
  if (td.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  const requires = td.requiresCompatibilities ?? [];
  if (requires.length > 0 && !requires.includes(launchType as never)) {
    throw clientException(`Task definition does not support launch_type ${launchType}.`);
  }
  if (td.networkMode === 'awsvpc' && !input.networkConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  const names = new Set((td.containerDefinitions ?? []).map((c) => c.name));
  for (const o of input.overrides?.containerOverrides ?? []) {
    if (!names.has(o.name)) {
      throw invalidParameter(
        `Override for container named ${o.name} is not a container in the TaskDefinition.`,
      );
    }
  }
}

/** The task's tags: its own, then the task definition's when propagated, then ECS-managed ones. */
export function taskTags(input: LaunchInput, tdRecord: TaskDefinitionRecord, cluster: string): Tag[] {
  const tags: Tag[] = [...(input.tags ?? [])];
  if (input.propagateTags === 'TASK_DEFINITION') {
    for (const t of tdRecord.tags) if (!tags.some((x) => x.key === t.key)) tags.push(t);
  }
  if (input.enableECSManagedTags) tags.push({ key: 'aws:ecs:clusterName', value: cluster });
  return tags;
}

/** Creates and stores one PENDING task per placement; returns the records. */
export async function createPlacedTasks(
  ctx: EcsContext,
  tx: Tx,
  spec: {
    cluster: ClusterRecord;
    td: TaskDefinitionRecord;
    request: PlacementRequest;
    placements: readonly Placement[];
    input: LaunchInput;
    launchType: 'EC2' | 'EXTERNAL';
    attributesOf: (instanceArn: string) => Record<string, string | undefined>;
    /** Set on a service's tasks (the service scheduler's). */
    serviceName?: string;
  },
): Promise<TaskRecord[]> {
  const out: TaskRecord[] = [];
  const r = spec.request.resources;
  let awsvpc: ResolvedAwsvpc | undefined;
  for (const p of spec.placements) {
    const attrs = spec.attributesOf(p.instanceArn);
    const record = newTask(ctx, {
      clusterName: spec.cluster.clusterName,
      clusterArn: spec.cluster.clusterArn,
      taskDefinition: spec.td.taskDefinition as TaskDefinition,
      overrides: spec.input.overrides as TaskOverride | undefined,
      group: spec.request.group,
      startedBy: spec.input.startedBy,
      tags: taskTags(spec.input, spec.td, spec.cluster.clusterName),
      launchType: spec.launchType,
      containerInstanceArn: p.instanceArn,
      availabilityZone: attrs['ecs.availability-zone'],
      cpuArchitecture: attrs['ecs.cpu-architecture'],
      reservation: {
        cpu: r.cpu,
        memory: r.memory,
        gpu: r.gpu,
        tcpPorts: [...r.tcpPorts],
        udpPorts: [...r.udpPorts],
        dynamicTcpPorts: r.dynamicTcpPorts,
        dynamicUdpPorts: r.dynamicUdpPorts,
      },
      enableExecuteCommand: spec.input.enableExecuteCommand,
      serviceName: spec.serviceName,
    });
    if (spec.td.taskDefinition.networkMode === 'awsvpc') {
      awsvpc ??= await resolveForInstances(ctx, tx, spec.input);
      await attachOnInstance(ctx, tx, record, awsvpc, attrs['ecs.availability-zone']);
    }
    const key = keys.task(spec.cluster.clusterName, record.task.taskArn?.split('/').pop() ?? '');
    await tx.put(Kind.Task, key, record, 'absent');
    out.push(record);
  }
  return out;
}

async function resolveForInstances(ctx: EcsContext, tx: Tx, input: LaunchInput): Promise<ResolvedAwsvpc> {
  await ensureDefaultVpc(tx, ctx);
  return resolveAwsvpc(tx, input.networkConfiguration as NetworkConfiguration | undefined);
}

/**
 * An awsvpc task on a container instance gets its ENI in a subnet of the instance's zone (ECS
 * only places such tasks there); Longshore's instances all run every VPC's bridge, so when no
 * subnet matches the zone the first subnet given is used (docs/differences.md). A full subnet
 * refuses the whole request: nothing is created.
 */
async function attachOnInstance(
  ctx: EcsContext,
  tx: Tx,
  record: TaskRecord,
  awsvpc: ResolvedAwsvpc,
  zone: string | undefined,
): Promise<void> {
  const subnet = awsvpc.subnets.find((s) => s.availabilityZone === zone) ?? awsvpc.subnets[0];
  const instanceZone = record.task.availabilityZone;
  try {
    await attachTaskEni(ctx, tx, record, awsvpc, subnet);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'InsufficientFreeAddressesInSubnet') {
      throw invalidParameter(`${error.message} (ErrorCode: InsufficientFreeAddressesInSubnet)`);
    }
    throw error;
  }
  if (instanceZone) record.task.availabilityZone = instanceZone;
}
