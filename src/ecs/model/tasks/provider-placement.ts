/**
 * Tasks of Auto Scaling group capacity providers: placed only on the instances of the provider's
 * group (by EC2 instance id), and, when none has room, kept in PROVISIONING with no instance until
 * managed scaling adds one (ECS's cluster auto scaling). RunTask creates them; the managed scaling
 * controller places them as instances register, and stops those that waited too long.
 */
import type { ClusterSnapshot, Placement } from '../../../scheduler/index.ts';
import { place, placementRequest } from '../../../scheduler/index.ts';
import type { TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { Kind, type Tx } from '../../../store/store.ts';
import type { EcsContext } from '../context.ts';
import type { Reservation, TaskRecord } from '../records.ts';
import { findTaskDefinition } from '../task-definition-lookup.ts';
import { clusterSnapshot } from './cluster-snapshot.ts';
import { snapshotInstance } from './snapshot-cache.ts';

/** ECS's quota: tasks in the PROVISIONING state per cluster. */
export const MAX_PROVISIONING_PER_CLUSTER = 500;
/** A PROVISIONING task holds no instance's resources until it is placed. */
export function nothingReserved(): Reservation {
  return { cpu: 0, memory: 0, gpu: 0, tcpPorts: [], udpPorts: [], dynamicTcpPorts: 0, dynamicUdpPorts: 0 };
}
/** How long a task waits in PROVISIONING before ECS stops it. */
export const PROVISIONING_TIMEOUT_MS = 30 * 60_000;
/** The stoppedReason of a task that waited out PROVISIONING_TIMEOUT_MS. */
export const PROVISIONING_TIMEOUT_REASON = 'Capacity is unavailable at this time. Please try again later.';

/** The part of the cluster a provider's tasks may use: its group's instances. */
export function providerSnapshot(
  snapshot: ClusterSnapshot,
  ec2InstanceIds: ReadonlySet<string>,
): ClusterSnapshot {
  return { instances: snapshot.instances.filter((i) => ec2InstanceIds.has(i.ec2InstanceId)) };
}

/** Turns a new (PENDING, unplaced) task into one waiting in PROVISIONING for `provider`. */
export function asProvisioning(
  record: TaskRecord,
  provider: string,
  placement: Pick<NonNullable<TaskRecord['provisioning']>, 'placementConstraints' | 'placementStrategy'>,
  now: number,
): TaskRecord {
  const { reservation: _none, ...rest } = record;
  return {
    ...rest,
    task: { ...record.task, lastStatus: 'PROVISIONING', capacityProviderName: provider },
    provisioning: { ...placement, since: now },
  };
}

/** Places one PROVISIONING task on an instance of its group with room; false when none has. */
export async function placeProvisioningTask(
  ctx: EcsContext,
  tx: Tx,
  stored: { key: string; version: number; value: TaskRecord },
  ec2InstanceIds: ReadonlySet<string>,
): Promise<boolean> {
  const record = stored.value;
  const td = await findTaskDefinition(ctx, tx, record.task.taskDefinitionArn ?? '');
  if (!td) return false;
  const snapshot = providerSnapshot(await clusterSnapshot(ctx, tx, record.clusterName), ec2InstanceIds);
  if (snapshot.instances.length === 0) return false;
  const request = placementRequest({
    requestId: record.task.taskArn ?? '',
    taskDefinition: td.value.taskDefinition as TaskDefinition,
    overrides: record.task.overrides as TaskOverride | undefined,
    count: 1,
    group: record.task.group,
    launchType: 'EC2',
    placementConstraints: record.provisioning?.placementConstraints,
    placementStrategy: record.provisioning?.placementStrategy,
  });
  const plan = place(snapshot, request);
  const p: Placement | undefined = plan.placements[0];
  if (!p) return false;
  const attrs = snapshotInstance(snapshot, p.instanceArn)?.attributes ?? {};
  const r = request.resources;
  const { provisioning: _done, ...rest } = record;
  const next: TaskRecord = {
    ...rest,
    task: {
      ...record.task,
      lastStatus: 'PENDING',
      containerInstanceArn: p.instanceArn,
      ...(attrs['ecs.availability-zone'] ? { availabilityZone: attrs['ecs.availability-zone'] } : {}),
      attributes: [{ name: 'ecs.cpu-architecture', value: attrs['ecs.cpu-architecture'] ?? 'x86_64' }],
      version: (record.task.version ?? 0) + 1,
    },
    reservation: {
      cpu: r.cpu,
      memory: r.memory,
      gpu: r.gpu,
      tcpPorts: [...r.tcpPorts],
      udpPorts: [...r.udpPorts],
      dynamicTcpPorts: r.dynamicTcpPorts,
      dynamicUdpPorts: r.dynamicUdpPorts,
    },
    assignmentVersion: record.assignmentVersion + 1,
  };
  await tx.put(Kind.Task, stored.key, next, stored.version);
  return true;
}
