/** Builds a new task record as ECS creates it on RunTask/StartTask (and, later, for services). */
import type { Wire } from '../../../core/wire.ts';
import type {
  Container,
  ContainerOverride,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { uuidFrom } from '../../../core/uuid.ts';
import { ecsArn, ResourceType, taskArn } from '../../../core/arn.ts';
import type { EcsContext } from '../context.ts';
import type { Reservation, TaskRecord } from '../records.ts';

export interface NewTask {
  clusterName: string;
  clusterArn: string;
  taskDefinition: TaskDefinition;
  overrides?: TaskOverride;
  group: string;
  startedBy?: string;
  tags: Tag[];
  launchType: 'EC2' | 'EXTERNAL' | 'FARGATE';
  /** The instance the task is placed on; Fargate tasks have none (their host is internal). */
  containerInstanceArn?: string;
  /** Fargate: what ECS fills for Fargate tasks. */
  fargate?: {
    platformVersion: string;
    platformFamily: string;
    /** Set when the task came from a capacity provider strategy. */
    capacityProviderName?: string;
  };
  /** Instance attributes the task inherits (availability zone, CPU architecture). */
  availabilityZone?: string;
  cpuArchitecture?: string;
  reservation: Reservation;
  enableExecuteCommand?: boolean;
  serviceName?: string;
}

/** Fargate's ephemeral storage when the task definition sets none (GiB). */
export const FARGATE_DEFAULT_STORAGE_GIB = 20;

/** A PENDING task placed on `containerInstanceArn`, desired RUNNING. */
export function newTask(ctx: EcsContext, spec: NewTask): TaskRecord {
  const id = ctx.rng.hex(16);
  const arn = taskArn(ctx.partition, spec.clusterName, id);
  const now = ctx.clock.now() / 1000;
  const td = spec.taskDefinition;
  const containers: Wire<Container>[] = (td.containerDefinitions ?? []).map((c) => {
    const container: Wire<Container> = {
      containerArn: ecsArn(
        ctx.partition,
        ResourceType.Container,
        `${spec.clusterName}/${id}/${uuidFrom(ctx.rng)}`,
      ),
      taskArn: arn,
      name: c.name,
      image: c.image,
      lastStatus: 'PENDING',
      networkInterfaces: [],
      cpu: String(c.cpu ?? 0),
    };
    if (c.memory !== undefined) container.memory = String(c.memory);
    if (c.memoryReservation !== undefined) container.memoryReservation = String(c.memoryReservation);
    return container;
  });
  const task: Wire<Task> = {
    attachments: [],
    attributes: [{ name: 'ecs.cpu-architecture', value: spec.cpuArchitecture ?? 'x86_64' }],
    clusterArn: spec.clusterArn,
    containers,
    createdAt: now,
    desiredStatus: 'RUNNING',
    enableExecuteCommand: spec.enableExecuteCommand ?? false,
    group: spec.group,
    healthStatus: 'UNKNOWN',
    lastStatus: 'PENDING',
    launchType: spec.launchType,
    overrides: fullOverrides(td, spec.overrides),
    tags: spec.tags,
    taskArn: arn,
    taskDefinitionArn: td.taskDefinitionArn,
    version: 1,
  };
  if (spec.containerInstanceArn) task.containerInstanceArn = spec.containerInstanceArn;
  if (spec.availabilityZone) task.availabilityZone = spec.availabilityZone;
  if (spec.fargate) {
    task.platformVersion = spec.fargate.platformVersion;
    task.platformFamily = spec.fargate.platformFamily;
    if (spec.fargate.capacityProviderName) task.capacityProviderName = spec.fargate.capacityProviderName;
    // Fargate gives every task 20 GiB of ephemeral storage unless the task definition asks for more.
    const storage = { sizeInGiB: td.ephemeralStorage?.sizeInGiB ?? FARGATE_DEFAULT_STORAGE_GIB };
    task.ephemeralStorage = storage;
    task.fargateEphemeralStorage = { ...storage };
    task.connectivity = 'CONNECTED';
    task.connectivityAt = now;
  }
  if (td.cpu) task.cpu = spec.overrides?.cpu ?? td.cpu;
  if (td.memory) task.memory = spec.overrides?.memory ?? td.memory;
  if (spec.startedBy) task.startedBy = spec.startedBy;
  if (td.ephemeralStorage && !spec.fargate) task.ephemeralStorage = td.ephemeralStorage;
  return {
    task,
    clusterName: spec.clusterName,
    reservation: spec.reservation,
    assignmentVersion: 1,
    reportSeq: 0,
    ...(spec.serviceName ? { serviceName: spec.serviceName } : {}),
  };
}

/** ECS echoes one containerOverride per container (at least its name), and an empty accelerator list. */
function fullOverrides(td: TaskDefinition, overrides: TaskOverride | undefined): TaskOverride {
  const given = new Map((overrides?.containerOverrides ?? []).map((o) => [o.name, o]));
  const containerOverrides: ContainerOverride[] = (td.containerDefinitions ?? []).map(
    (c) => given.get(c.name) ?? { name: c.name },
  );
  const { containerOverrides: _ignored, ...rest } = overrides ?? {};
  return {
    ...rest,
    containerOverrides,
    inferenceAcceleratorOverrides: overrides?.inferenceAcceleratorOverrides ?? [],
  };
}
