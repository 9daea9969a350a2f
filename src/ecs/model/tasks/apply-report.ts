/** Folds an agent's task report into the task record: statuses only move forward, duplicates are dropped. */
import type { Wire } from '../../../core/wire.ts';
import type { Container, Task } from '@aws-sdk/client-ecs';
import {
  ContainerStatusOrder,
  type ContainerReport,
  type TaskReport,
  TaskStatusOrder,
} from '../../../core/agent-protocol.ts';
import type { TaskRecord } from '../records.ts';

const rank = (status: string | undefined): number =>
  TaskStatusOrder.indexOf((status ?? 'PROVISIONING') as never);
const containerRank = (status: string | undefined): number =>
  ContainerStatusOrder.indexOf((status ?? 'PENDING') as never);
const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/**
 * Returns the updated record, or undefined when the report changes nothing (an old or repeated
 * sequence number). `now` is epoch ms; STOPPED tasks get `expiresAt = now + retentionMs`.
 */
export function applyReport(
  record: TaskRecord,
  report: TaskReport,
  now: number,
  retentionMs: number,
): TaskRecord | undefined {
  if (report.seq <= record.reportSeq) return undefined;
  const prev = record.task;
  const task: Wire<Task> = structuredClone(prev) as Wire<Task>;
  if (rank(report.lastStatus) > rank(prev.lastStatus)) task.lastStatus = report.lastStatus;
  setOnce(task, 'pullStartedAt', seconds(report.pullStartedAt));
  setOnce(task, 'pullStoppedAt', seconds(report.pullStoppedAt));
  setOnce(task, 'startedAt', seconds(report.startedAt));
  setOnce(task, 'stoppingAt', seconds(report.stoppingAt));
  setOnce(task, 'executionStoppedAt', seconds(report.executionStoppedAt));
  if (report.healthStatus) task.healthStatus = report.healthStatus;
  if (report.stopCode && !task.stopCode) task.stopCode = report.stopCode;
  if (report.stoppedReason && !task.stoppedReason) task.stoppedReason = report.stoppedReason;
  task.containers = (task.containers ?? []).map((c) =>
    mergeContainer(
      c,
      report.containers.find((r) => r.name === c.name),
    ),
  );
  let expiresAt = record.expiresAt;
  if (task.lastStatus === 'STOPPED' && prev.lastStatus !== 'STOPPED') {
    task.desiredStatus = 'STOPPED';
    task.stoppedAt = task.executionStoppedAt ?? now / 1000;
    task.stoppingAt ??= task.stoppedAt;
    expiresAt = now + retentionMs;
  }
  if (task.lastStatus === 'RUNNING' && !task.startedAt) task.startedAt = now / 1000;
  task.version = (prev.version ?? 0) + 1;
  return { ...record, task, reportSeq: report.seq, ...(expiresAt !== undefined ? { expiresAt } : {}) };
}

function mergeContainer(container: Wire<Container>, report: ContainerReport | undefined): Wire<Container> {
  if (!report) return container;
  const next: Wire<Container> = { ...container };
  if (containerRank(report.lastStatus) > containerRank(container.lastStatus))
    next.lastStatus = report.lastStatus;
  if (report.runtimeId) next.runtimeId = report.runtimeId;
  if (report.exitCode !== undefined) next.exitCode = report.exitCode;
  if (report.reason) next.reason = report.reason;
  if (report.image) next.image = report.image;
  if (report.imageDigest) next.imageDigest = report.imageDigest;
  if (report.networkBindings) next.networkBindings = report.networkBindings;
  if (report.healthStatus) next.healthStatus = report.healthStatus;
  return next;
}

function setOnce<
  K extends 'pullStartedAt' | 'pullStoppedAt' | 'startedAt' | 'stoppingAt' | 'executionStoppedAt',
>(task: Wire<Task>, key: K, value: number | undefined): void {
  if (value !== undefined && task[key] === undefined) task[key] = value;
}
