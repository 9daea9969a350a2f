/**
 * An awsvpc task's elastic network interface: created with the task (one transaction, so a task
 * never exists without its address nor an address without its task), shown as ECS shows it
 * (`attachments[]` of type ElasticNetworkInterface, `containers[].networkInterfaces`), and released
 * once the task is STOPPED (`controllers/task-network`).
 */
import type { Attachment } from '@aws-sdk/client-ecs';
import { uuidFrom } from '../../../core/uuid.ts';
import { ecsArn, ResourceType } from '../../../core/arn.ts';
import type { Wire } from '../../../core/wire.ts';
import { createTaskNetworkInterface } from '../../../ec2/model/index.ts';
import type { NetworkInterfaceRecord, SubnetRecord } from '../../../ec2/model/index.ts';
import type { Tx } from '../../../store/store.ts';
import type { EcsContext } from '../context.ts';
import type { TaskRecord } from '../records.ts';
import type { ResolvedAwsvpc } from './awsvpc-config.ts';

/** ECS's attachment type for a task ENI. */
export const ENI_ATTACHMENT_TYPE = 'ElasticNetworkInterface';

/**
 * Attachment statuses as ECS moves them: PRECREATED when the task is created, ATTACHED once the
 * task runs, DELETED when the interface is gone after the task stopped.
 */
export const AttachmentStatus = {
  Precreated: 'PRECREATED',
  Attached: 'ATTACHED',
  Deleted: 'DELETED',
} as const;

/**
 * Creates the ENI in `subnet` and records it on `record` (mutated: it is a new task not yet
 * stored). Throws EC2's InsufficientFreeAddressesInSubnet when the subnet is full.
 */
export async function attachTaskEni(
  ctx: EcsContext,
  tx: Tx,
  record: TaskRecord,
  awsvpc: ResolvedAwsvpc,
  subnet: SubnetRecord,
): Promise<NetworkInterfaceRecord> {
  const attachmentId = uuidFrom(ctx.rng);
  const eni = await createTaskNetworkInterface(tx, ctx, {
    subnetId: subnet.subnetId,
    groupIds: awsvpc.groups.map((g) => g.groupId),
    description: ecsArn(ctx.partition, ResourceType.Attachment, attachmentId),
    assignPublicIp: awsvpc.assignPublicIp,
  });
  record.network = { eniId: eni.networkInterfaceId, attachmentId, subnetId: subnet.subnetId };
  const task = record.task;
  task.attachments = [
    ...(task.attachments ?? []),
    {
      id: attachmentId,
      type: ENI_ATTACHMENT_TYPE,
      status: AttachmentStatus.Precreated,
      details: [
        { name: 'subnetId', value: subnet.subnetId },
        { name: 'networkInterfaceId', value: eni.networkInterfaceId },
        { name: 'macAddress', value: eni.macAddress },
        { name: 'privateDnsName', value: eni.privateDnsName },
        { name: 'privateIPv4Address', value: eni.privateIpAddress },
      ],
    },
  ];
  task.availabilityZone = subnet.availabilityZone;
  task.containers = (task.containers ?? []).map((c) => ({
    ...c,
    networkInterfaces: [{ attachmentId, privateIpv4Address: eni.privateIpAddress }],
  }));
  return eni;
}

/** `task.attachments` with the ENI attachment's status set (unchanged array when it already is). */
export function withAttachmentStatus(
  record: TaskRecord,
  status: (typeof AttachmentStatus)[keyof typeof AttachmentStatus],
): Wire<Attachment>[] | undefined {
  const id = record.network?.attachmentId;
  const attachments = record.task.attachments ?? [];
  const current = attachments.find((a) => a.id === id);
  if (!current || current.status === status) return undefined;
  return attachments.map((a) => (a.id === id ? { ...a, status } : a));
}
