/** Builds TaskAssignments (what an agent must run) from task records and their task definitions. */
import type {
  ContainerDefinition,
  ContainerOverride,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import type { StopCode, TaskAssignment } from '../core/agent-protocol.ts';
import { parseEcsArn } from '../core/arn.ts';
import type { Wire } from '../core/wire.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { keys, type TaskDefinitionRecord, type TaskRecord } from '../ecs/model/records.ts';
import { Kind, type Reader } from '../store/store.ts';
import { getNetworkInterface, taskEniOf } from '../ec2/model/index.ts';
import { hostedTasks } from '../ecs/model/fargate/fargate-hosts.ts';
import { FARGATE_DEFAULT_STORAGE_GIB } from '../ecs/model/tasks/new-task.ts';
import { drainHoldsStop } from '../ecs/model/tasks/stop-request.ts';
import { resolveEfsVolumes } from '../efs/model/task-volumes.ts';

/**
 * Every task the agent of `instanceArn` runs that is not yet STOPPED: the tasks placed on the
 * instance in its cluster, and the Fargate tasks of any cluster hosted on it.
 */
export async function assignmentsFor(
  ctx: EcsContext,
  cluster: string,
  instanceArn: string,
): Promise<TaskAssignment[]> {
  const records = await ctx.store.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) });
  const out: TaskAssignment[] = [];
  for (const { value } of records) {
    if (value.task.containerInstanceArn !== instanceArn || value.task.lastStatus === 'STOPPED') continue;
    const assignment = await toAssignment(ctx.store, value);
    if (assignment) out.push(assignment);
  }
  for (const { value } of await hostedTasks(ctx.store, instanceArn)) {
    const assignment = await toAssignment(ctx.store, value);
    if (assignment) out.push(assignment);
  }
  return out;
}

/** The assignment for one task store key, or undefined when it has none (not placed, or stopped). */
export async function assignmentOf(ctx: EcsContext, key: string): Promise<TaskAssignment | undefined> {
  const record = await ctx.store.get<TaskRecord>(Kind.Task, key);
  if (!record || !agentOf(record.value) || record.value.task.lastStatus === 'STOPPED') return undefined;
  return toAssignment(ctx.store, record.value);
}

/** The container instance whose agent runs the task: where it was placed, or its Fargate host. */
function agentOf(record: TaskRecord): string | undefined {
  return record.task.containerInstanceArn ?? record.host?.containerInstanceArn;
}

async function toAssignment(reader: Reader, record: TaskRecord): Promise<TaskAssignment | undefined> {
  const task = record.task;
  const tdArn = parseEcsArn(task.taskDefinitionArn ?? '');
  if (!tdArn) return undefined;
  const [family, revision] = tdArn.resource.split(':');
  const td = await reader.get<TaskDefinitionRecord>(
    Kind.TaskDefinition,
    keys.taskDefinition(family, Number(revision)),
  );
  if (!td) return undefined;
  const taskDefinition = td.value.taskDefinition as TaskDefinition;
  const overrides = (task.overrides ?? {}) as TaskOverride;
  const assignment: TaskAssignment = {
    taskArn: task.taskArn ?? '',
    clusterArn: task.clusterArn ?? '',
    containerInstanceArn: agentOf(record) ?? '',
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    taskDefinition,
    overrides,
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '',
      containerArn: c.containerArn ?? '',
      definition: withOverride(
        (taskDefinition.containerDefinitions ?? []).find((d) => d.name === c.name) ?? { name: c.name },
        overrides.containerOverrides?.find((o) => o.name === c.name),
      ),
    })),
    // A task draining from its load balancers keeps running until its targets are gone.
    desiredStatus: task.desiredStatus === 'STOPPED' && !drainHoldsStop(record) ? 'STOPPED' : 'RUNNING',
    version: record.assignmentVersion,
  };
  if (task.stoppedReason) assignment.stoppedReason = task.stoppedReason;
  if (task.stopCode) assignment.stopCode = task.stopCode as StopCode;
  if (record.host) {
    assignment.fargate = {
      platformVersion: task.platformVersion ?? '',
      ephemeralStorageGiB: task.ephemeralStorage?.sizeInGiB ?? FARGATE_DEFAULT_STORAGE_GIB,
    };
  }
  // EFS volumes: the agent has no store, so the file system's path on the hosts and the access
  // point's user and root directory travel in the assignment (or the mount error ECS would give).
  const efsVolumes = await resolveEfsVolumes(reader, taskDefinition, tdArn.region);
  if (efsVolumes) assignment.efsVolumes = efsVolumes;
  if (record.network && !record.network.released) {
    const eni = await getNetworkInterface(reader, record.network.eniId);
    if (!eni) return undefined;
    assignment.eni = { attachmentId: record.network.attachmentId, ...(await taskEniOf(reader, eni)) };
  }
  return assignment;
}

/** A container definition with RunTask's container override applied, as the ECS agent applies it. */
export function withOverride(
  def: ContainerDefinition,
  o: Wire<ContainerOverride> | undefined,
): ContainerDefinition {
  if (!o) return def;
  const out: ContainerDefinition = { ...def };
  if (o.command) out.command = o.command;
  if (o.cpu !== undefined) out.cpu = o.cpu;
  if (o.memory !== undefined) out.memory = o.memory;
  if (o.memoryReservation !== undefined) out.memoryReservation = o.memoryReservation;
  if (o.resourceRequirements)
    out.resourceRequirements = o.resourceRequirements as ContainerDefinition['resourceRequirements'];
  if (o.environmentFiles) out.environmentFiles = [...(def.environmentFiles ?? []), ...o.environmentFiles];
  if (o.environment) {
    const env = new Map((def.environment ?? []).map((e) => [e.name, e.value]));
    for (const e of o.environment) env.set(e.name, e.value);
    out.environment = [...env].map(([name, value]) => ({ name, value }));
  }
  return out;
}
