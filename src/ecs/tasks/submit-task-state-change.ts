/** SubmitTaskStateChange: the agent-facing JSON operation; Longshore's own agent uses the control channel. */
import type { Wire } from '../../core/wire.ts';
import type { SubmitTaskStateChangeRequest, SubmitTaskStateChangeResponse } from '@aws-sdk/client-ecs';
import { type TaskStatus, TaskStatusOrder } from '../../core/agent-protocol.ts';
import { invalidParameter } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { recordReport, requireTaskId } from '../model/tasks/record-report.ts';
import { containerReport } from './submit-container-state-change.ts';

export async function submitTaskStateChange(
  ctx: EcsContext,
  input: Wire<SubmitTaskStateChangeRequest>,
): Promise<Wire<SubmitTaskStateChangeResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const taskId = requireTaskId(input.task);
  const status = input.status as TaskStatus | undefined;
  if (status !== undefined && !TaskStatusOrder.includes(status)) {
    throw invalidParameter(`status must be one of ${TaskStatusOrder.join(', ')}.`);
  }
  await activeCluster(ctx.store, cluster);
  // The JSON API carries epoch seconds; reports carry epoch milliseconds.
  const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);
  const found = await recordReport(ctx, cluster, taskId, (record) => ({
    taskArn: record.task.taskArn ?? '',
    seq: record.reportSeq + 1,
    lastStatus: status ?? (record.task.lastStatus as TaskStatus),
    ...(input.reason ? { stoppedReason: input.reason } : {}),
    pullStartedAt: ms(input.pullStartedAt),
    pullStoppedAt: ms(input.pullStoppedAt),
    executionStoppedAt: ms(input.executionStoppedAt),
    containers: (input.containers ?? []).map((c) => containerReport(c)),
  }));
  if (!found) throw invalidParameter('The referenced task was not found.');
  return { acknowledgment: 'ACK' };
}
