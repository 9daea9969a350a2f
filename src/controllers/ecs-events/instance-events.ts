/**
 * `ECS Container Instance State Change`: the instance as DescribeContainerInstances shows it (no
 * tags), `registeredAt` and `updatedAt` as ISO 8601 strings, with its `version`. An event goes out
 * when the instance's version, status or agent connection changed since the last one. Pure.
 */
import type { EventEntry } from '../../events/model/publish-events.ts';
import { instanceView } from '../../ecs/model/container-instance-view.ts';
import type { ContainerInstanceRecord, TaskRecord } from '../../ecs/model/records.ts';
import type { InstanceCursor } from './cursors.ts';
import { DetailType, ECS_SOURCE } from './ecs-source.ts';
import { isoFromSeconds, withIsoTimes } from './iso-time.ts';

export function instanceCursor(record: ContainerInstanceRecord): InstanceCursor {
  return {
    version: record.instance.version ?? 0,
    status: record.instance.status ?? 'ACTIVE',
    agentConnected: record.instance.agentConnected ?? false,
  };
}

/** True when `record` shows something the last event did not. */
export function instanceChanged(
  record: ContainerInstanceRecord,
  cursor: InstanceCursor | undefined,
): boolean {
  if (!cursor) return true;
  const now = instanceCursor(record);
  return (
    now.version !== cursor.version ||
    now.status !== cursor.status ||
    now.agentConnected !== cursor.agentConnected
  );
}

/** `tasks`: those holding resources on the instance (not STOPPED), as DescribeContainerInstances counts them. */
export function instanceEntry(
  record: ContainerInstanceRecord,
  tasks: readonly TaskRecord[],
  now: number,
): EventEntry {
  const view = instanceView(record, tasks);
  const detail = withIsoTimes(view, ['registeredAt']);
  detail.updatedAt = isoFromSeconds(now / 1000);
  detail.version = view.version ?? 0;
  return {
    source: ECS_SOURCE,
    detailType: DetailType.ContainerInstance,
    detail,
    resources: view.containerInstanceArn ? [view.containerInstanceArn] : [],
    time: now,
  };
}
