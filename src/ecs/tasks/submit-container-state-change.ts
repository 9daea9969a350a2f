/** SubmitContainerStateChange: one container's status from an agent speaking the JSON API. */
import type { Wire } from '../../core/wire.ts';
import type {
  ContainerStateChange,
  SubmitContainerStateChangeRequest,
  SubmitContainerStateChangeResponse,
} from '@aws-sdk/client-ecs';
import type {
  ContainerReport,
  ContainerStatus,
  NetworkBinding,
  TaskStatus,
} from '../../core/agent-protocol.ts';
import { ContainerStatusOrder } from '../../core/agent-protocol.ts';
import { invalidParameter } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { recordReport, requireTaskId } from '../model/tasks/record-report.ts';

export async function submitContainerStateChange(
  ctx: EcsContext,
  input: Wire<SubmitContainerStateChangeRequest>,
): Promise<Wire<SubmitContainerStateChangeResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const taskId = requireTaskId(input.task);
  if (!input.containerName) throw invalidParameter('containerName can not be blank.');
  await activeCluster(ctx.store, cluster);
  const report = containerReport({ ...input, containerName: input.containerName });
  const found = await recordReport(ctx, cluster, taskId, (record) => ({
    taskArn: record.task.taskArn ?? '',
    seq: record.reportSeq + 1,
    lastStatus: record.task.lastStatus as TaskStatus,
    containers: [report],
  }));
  if (!found) throw invalidParameter('The referenced task was not found.');
  return { acknowledgment: 'ACK' };
}

/** A JSON-API container state change as the control channel's ContainerReport. */
export function containerReport(c: ContainerStateChange): ContainerReport {
  const status = (c.status ?? 'PENDING') as ContainerStatus;
  if (!ContainerStatusOrder.includes(status)) {
    throw invalidParameter(`Container status must be one of ${ContainerStatusOrder.join(', ')}.`);
  }
  const report: ContainerReport = { name: c.containerName ?? '', lastStatus: status };
  if (c.runtimeId) report.runtimeId = c.runtimeId;
  if (c.exitCode !== undefined) report.exitCode = c.exitCode;
  if (c.reason) report.reason = c.reason;
  if (c.imageDigest) report.imageDigest = c.imageDigest;
  if (c.networkBindings) {
    report.networkBindings = c.networkBindings.map(
      (b): NetworkBinding => ({
        bindIP: b.bindIP ?? '0.0.0.0',
        containerPort: b.containerPort ?? 0,
        hostPort: b.hostPort ?? 0,
        protocol: b.protocol === 'udp' ? 'udp' : 'tcp',
      }),
    );
  }
  return report;
}
