/**
 * Creates Fargate tasks (RunTask, and services' tasks): no container instance, a host chosen by
 * `placeFargate`, an ENI in the zone's subnet, and the fields ECS fills for Fargate. One
 * transaction with the caller's: a task that cannot get a host or an address is a failure, and
 * nothing of it is stored.
 */
import type { TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../../core/errors.ts';
import { ensureDefaultVpc } from '../../../ec2/model/index.ts';
import { Kind, type Tx } from '../../../store/store.ts';
import type { EcsContext } from '../context.ts';
import { resolveAwsvpc } from '../network/awsvpc-config.ts';
import { attachTaskEni } from '../network/task-eni.ts';
import { type ClusterRecord, keys, type TaskDefinitionRecord, type TaskRecord } from '../records.ts';
import { type LaunchInput, taskTags } from '../tasks/task-launch.ts';
import { newTask } from '../tasks/new-task.ts';
import { fargateHosts } from './fargate-hosts.ts';
import { placeFargate, type SubnetChoice } from './fargate-placement.ts';

/** EC2's error code for a subnet without a free address. */
const SUBNET_FULL = 'InsufficientFreeAddressesInSubnet';

export interface FargateLaunch {
  cluster: ClusterRecord;
  td: TaskDefinitionRecord;
  input: LaunchInput;
  /** `family:NAME` or `service:NAME`: Fargate spreads a group's tasks across zones. */
  group: string;
  /** One entry per task: the capacity provider it came from, or undefined for launchType FARGATE. */
  providers: (string | undefined)[];
  /** Resolved (LATEST -> 1.4.0). */
  platformVersion: string;
  platformFamily: string;
  serviceName?: string;
}

export interface FargateFailure {
  reason: string;
  detail: string;
}

export async function launchFargate(
  ctx: EcsContext,
  tx: Tx,
  spec: FargateLaunch,
): Promise<{ created: TaskRecord[]; failures: FargateFailure[] }> {
  await ensureDefaultVpc(tx, ctx);
  const awsvpc = await resolveAwsvpc(tx, spec.input.networkConfiguration as never);
  const td = spec.td.taskDefinition as TaskDefinition;
  const overrides = spec.input.overrides as TaskOverride | undefined;
  const size = {
    cpu: Number(overrides?.cpu ?? td.cpu ?? 0),
    memory: Number(overrides?.memory ?? td.memory ?? 0),
  };
  const subnets: SubnetChoice[] = awsvpc.subnets.map((s) => ({
    subnetId: s.subnetId,
    availabilityZone: s.availabilityZone,
  }));
  const slots = placeFargate(
    await fargateHosts(tx),
    subnets,
    await zoneCounts(tx, spec.cluster.clusterName, spec.group),
    spec.providers.map(() => size),
    ctx.partition.region,
  );
  const created: TaskRecord[] = [];
  const failures: FargateFailure[] = [];
  for (const [i, slot] of slots.entries()) {
    if (slot.type === 'unplaced') {
      failures.push({ reason: slot.reason, detail: slot.detail });
      continue;
    }
    const record = newTask(ctx, {
      clusterName: spec.cluster.clusterName,
      clusterArn: spec.cluster.clusterArn,
      taskDefinition: td,
      overrides,
      group: spec.group,
      startedBy: spec.input.startedBy,
      tags: taskTags(spec.input, spec.td, spec.cluster.clusterName),
      launchType: 'FARGATE',
      fargate: {
        platformVersion: spec.platformVersion,
        platformFamily: spec.platformFamily,
        capacityProviderName: spec.providers[i],
      },
      reservation: {
        cpu: size.cpu,
        memory: size.memory,
        gpu: 0,
        tcpPorts: [],
        udpPorts: [],
        dynamicTcpPorts: 0,
        dynamicUdpPorts: 0,
      },
      enableExecuteCommand: spec.input.enableExecuteCommand,
      serviceName: spec.serviceName,
    });
    record.host = slot.host.host;
    const attached = await attachInZone(ctx, tx, record, awsvpc, slot.subnet);
    if (attached) {
      failures.push(attached);
      continue;
    }
    const key = keys.task(spec.cluster.clusterName, record.task.taskArn?.split('/').pop() ?? '');
    await tx.put(Kind.Task, key, record, 'absent');
    created.push(record);
  }
  return { created, failures };
}

/**
 * The ENI in the chosen subnet, else in any other subnet given (a full subnet does not fail the
 * task while another has room). Returns the failure when every subnet is full.
 */
async function attachInZone(
  ctx: EcsContext,
  tx: Tx,
  record: TaskRecord,
  awsvpc: Awaited<ReturnType<typeof resolveAwsvpc>>,
  chosen: SubnetChoice,
): Promise<FargateFailure | undefined> {
  const order = [
    ...awsvpc.subnets.filter((s) => s.subnetId === chosen.subnetId),
    ...awsvpc.subnets.filter((s) => s.subnetId !== chosen.subnetId),
  ];
  let last = '';
  for (const subnet of order) {
    try {
      await attachTaskEni(ctx, tx, record, awsvpc, subnet);
      return undefined;
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== SUBNET_FULL) throw error;
      last = error.message;
    }
  }
  return { reason: SUBNET_FULL, detail: last };
}

/** The group's tasks that are not STOPPED, per availability zone. */
async function zoneCounts(tx: Tx, cluster: string, group: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { value } of await tx.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) })) {
    const t = value.task;
    if (t.group !== group || t.lastStatus === 'STOPPED' || !t.availabilityZone) continue;
    counts.set(t.availabilityZone, (counts.get(t.availabilityZone) ?? 0) + 1);
  }
  return counts;
}
