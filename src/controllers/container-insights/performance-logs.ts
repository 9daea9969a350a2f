/**
 * Container Insights' performance log events (CloudWatch user guide, "Container Insights
 * performance log events for Amazon ECS"): one `Type: Task` event per RUNNING task that reported
 * usage, in the log group `/aws/ecs/containerinsights/<cluster>/performance`, stream
 * `AgentTelemetry-<container instance id>` (`FargateTelemetry-<task id>` for a Fargate task).
 * `performanceLogEvents` is pure; `writePerformanceLogs` creates the group and streams it needs
 * and puts the events.
 */
import { ServiceError } from '../../core/errors.ts';
import type { ClusterRecord, TaskRecord } from '../../ecs/model/records.ts';
import { LogsErrorCode } from '../../logs/model/errors.ts';
import { createLogGroup } from '../../logs/model/groups.ts';
import { putLogEvents } from '../../logs/model/put-events.ts';
import type { LogsContext } from '../../logs/model/records.ts';
import { createLogStream } from '../../logs/model/streams.ts';
import { reservationOf } from '../ecs-metrics/ecs-metric-data.ts';
import type { PeriodUsage } from '../ecs-metrics/usage-window.ts';
import { familyOf, idOf, insightsLevel } from './container-insights-data.ts';

export const performanceLogGroup = (cluster: string) => `/aws/ecs/containerinsights/${cluster}/performance`;

export interface PerformanceLogBatch {
  logGroupName: string;
  logStreamName: string;
  events: { timestamp: number; message: string }[];
}

export function performanceLogEvents(
  clusters: readonly ClusterRecord[],
  tasks: readonly TaskRecord[],
  usage: ReadonlyMap<string, PeriodUsage>,
  timestamp: number,
  partition: { region: string; accountId: string },
): PerformanceLogBatch[] {
  const on = new Set(
    clusters.filter((c) => c.status === 'ACTIVE' && insightsLevel(c)).map((c) => c.clusterName),
  );
  const batches = new Map<string, PerformanceLogBatch>();
  for (const r of tasks) {
    const used = usage.get(r.task.taskArn ?? '');
    if (!on.has(r.clusterName) || r.task.lastStatus !== 'RUNNING' || !used) continue;
    const t = r.task;
    const instanceId = idOf(t.containerInstanceArn);
    const stream = instanceId ? `AgentTelemetry-${instanceId}` : `FargateTelemetry-${idOf(t.taskArn)}`;
    const group = performanceLogGroup(r.clusterName);
    const reserved = reservationOf(r);
    const event = {
      Version: '0',
      Type: 'Task',
      TaskId: idOf(t.taskArn),
      TaskDefinitionFamily: familyOf(t.taskDefinitionArn),
      TaskDefinitionRevision: (t.taskDefinitionArn ?? '').split(':').pop() ?? '',
      ...(instanceId ? { ContainerInstanceId: instanceId } : {}),
      ...(r.serviceName ? { ServiceName: r.serviceName } : {}),
      ClusterName: r.clusterName,
      AccountID: partition.accountId,
      Region: partition.region,
      ...(t.availabilityZone ? { AvailabilityZone: t.availabilityZone } : {}),
      KnownStatus: 'RUNNING',
      LaunchType: t.launchType ?? 'EC2',
      ...(t.createdAt !== undefined ? { CreatedAt: Number(t.createdAt) * 1000 } : {}),
      ...(t.startedAt !== undefined ? { StartedAt: Number(t.startedAt) * 1000 } : {}),
      Timestamp: timestamp,
      CpuUtilized: round(used.cpuUnits),
      CpuReserved: reserved.cpu,
      MemoryUtilized: Math.round(used.memoryMiB),
      MemoryReserved: reserved.memory,
      StorageReadBytes: used.storageReadBytes ?? 0,
      StorageWriteBytes: used.storageWriteBytes ?? 0,
      NetworkRxBytes: Math.round(used.networkRxBytesPerSecond ?? 0),
      NetworkTxBytes: Math.round(used.networkTxBytesPerSecond ?? 0),
    };
    const key = `${group}\n${stream}`;
    const batch = batches.get(key) ?? { logGroupName: group, logStreamName: stream, events: [] };
    batch.events.push({ timestamp, message: JSON.stringify(event) });
    batches.set(key, batch);
  }
  return [...batches.values()];
}

const round = (n: number) => Math.round(n * 100) / 100;

const alreadyExists = (error: unknown) =>
  error instanceof ServiceError && error.code === LogsErrorCode.ResourceAlreadyExists;
const notFound = (error: unknown) =>
  error instanceof ServiceError && error.code === LogsErrorCode.ResourceNotFound;

/** Puts each batch, creating its group and stream when missing (a user may delete them: made again). */
export async function writePerformanceLogs(
  ctx: LogsContext,
  batches: readonly PerformanceLogBatch[],
): Promise<void> {
  for (const b of batches) {
    const input = { logGroupName: b.logGroupName, logStreamName: b.logStreamName, logEvents: b.events };
    try {
      await putLogEvents(ctx, input);
    } catch (error) {
      if (!notFound(error)) throw error;
      await createLogGroup(ctx, { logGroupName: b.logGroupName }).catch((e: unknown) => {
        if (!alreadyExists(e)) throw e;
      });
      await createLogStream(ctx, b.logGroupName, b.logStreamName).catch((e: unknown) => {
        if (!alreadyExists(e)) throw e;
      });
      await putLogEvents(ctx, input);
    }
  }
}
