import { type StopCode, TaskStatusOrder } from '../../../core/agent-protocol.ts';
import { Kind, type Reader } from '../../../store/store.ts';
import type { EcsContext } from '../context.ts';
import type { ContainerInstanceRecord, TaskRecord } from '../records.ts';

/**
 * Returns the task with desiredStatus STOPPED, or undefined when it is already stopping. A task
 * whose container instance is gone (INACTIVE or deleted) has no agent to stop it, so it moves
 * straight to STOPPED; otherwise the agent stops its containers and reports. A task registered
 * in load balancer target groups is DEACTIVATING first: its agent keeps it running while the
 * task-targets controller deregisters and drains it, then tells the agent (`drainHoldsStop`).
 */
export async function requestStop(
  ctx: EcsContext,
  reader: Reader,
  record: TaskRecord,
  stop: { stopCode: StopCode; reason: string },
): Promise<TaskRecord | undefined> {
  if (record.task.desiredStatus === 'STOPPED') return undefined;
  const now = ctx.clock.now();
  const task = {
    ...record.task,
    desiredStatus: 'STOPPED',
    stopCode: stop.stopCode,
    stoppedReason: stop.reason,
  };
  task.version = (task.version ?? 0) + 1;
  const instanceKey = instanceKeyOf(record);
  const instance = instanceKey
    ? await reader.get<ContainerInstanceRecord>(Kind.ContainerInstance, instanceKey)
    : undefined;
  if (!instance || instance.value.instance.status === 'INACTIVE') {
    task.lastStatus = 'STOPPED';
    task.stoppingAt = now / 1000;
    task.stoppedAt = now / 1000;
    task.executionStoppedAt ??= now / 1000;
    task.containers = (task.containers ?? []).map((c) => ({ ...c, lastStatus: 'STOPPED' }));
    return { ...record, task, expiresAt: now + ctx.config.stoppedTaskRetentionMs };
  }
  if (record.targets?.state === 'registered') {
    if (RANK(task.lastStatus) < RANK('DEACTIVATING')) task.lastStatus = 'DEACTIVATING';
    return { ...record, task };
  }
  return { ...record, task, assignmentVersion: record.assignmentVersion + 1 };
}

const RANK = (status: string | undefined) => TaskStatusOrder.indexOf((status ?? 'PROVISIONING') as never);

/**
 * True while a task told to stop must keep running for its load balancers: its targets are
 * registered or draining. The agent is sent RUNNING until then.
 */
export function drainHoldsStop(record: TaskRecord): boolean {
  return (
    record.task.desiredStatus === 'STOPPED' &&
    record.task.lastStatus !== 'STOPPED' &&
    record.targets !== undefined &&
    record.targets.state !== 'done'
  );
}

/** The instance whose agent runs the task: where it was placed, or (Fargate) its host, maybe in another cluster. */
function instanceKeyOf(record: TaskRecord): string | undefined {
  if (record.host) {
    return `${record.host.clusterName}/${record.host.containerInstanceArn.split('/').pop()}`;
  }
  const arn = record.task.containerInstanceArn;
  if (!arn) return undefined;
  return `${record.clusterName}/${arn.split('/').pop()}`;
}
