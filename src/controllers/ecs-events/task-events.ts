/**
 * `ECS Task State Change`: the task as DescribeTasks shows it (no tags), timestamps as ISO 8601
 * strings, `updatedAt`, and the task's `version`, which grows on every agent report and stop
 * request (`ecs/model/tasks/apply-report.ts`, `stop-request.ts`). Pure.
 */
import type { EventEntry } from '../../events/model/publish-events.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { taskView } from '../../ecs/model/tasks/task-view.ts';
import type { TaskCursor } from './cursors.ts';
import { DetailType, ECS_SOURCE } from './ecs-source.ts';
import { isoFromSeconds, withIsoTimes } from './iso-time.ts';

/** Task fields DescribeTasks gives in epoch seconds. */
const TASK_TIMES = [
  'createdAt',
  'connectivityAt',
  'pullStartedAt',
  'pullStoppedAt',
  'startedAt',
  'stoppingAt',
  'stoppedAt',
  'executionStoppedAt',
] as const;

export interface TaskStep {
  /** The event to publish; none when the change is folded into a STOPPED event already sent. */
  entry?: EventEntry;
  cursor: TaskCursor;
}

/**
 * What to do for `record` given the last cursor; undefined when the cursor is current.
 *
 * Examples: cursor {version 2, PENDING}, task at version 4 RUNNING -> one event at version 4 (the
 * version-3 state came and went between two passes and is folded into it). Cursor {5, STOPPED},
 * task at version 6 (a late report after the stop) -> no event, cursor 6: a stop is told once.
 */
export function taskStep(
  record: TaskRecord,
  cursor: TaskCursor | undefined,
  now: number,
): TaskStep | undefined {
  const version = record.task.version ?? 0;
  if (cursor && version <= cursor.version) return undefined;
  const lastStatus = record.task.lastStatus ?? 'PROVISIONING';
  if (cursor?.lastStatus === 'STOPPED') return { cursor: { version, lastStatus: 'STOPPED' } };
  return { entry: taskEntry(record, now), cursor: { version, lastStatus } };
}

export function taskEntry(record: TaskRecord, now: number): EventEntry {
  const view = taskView(record);
  const detail = withIsoTimes(view, TASK_TIMES);
  if (view.containers) {
    detail.containers = view.containers.map((c) =>
      c.managedAgents
        ? { ...c, managedAgents: c.managedAgents.map((m) => withIsoTimes(m, ['lastStartedAt'])) }
        : c,
    );
  }
  detail.updatedAt = isoFromSeconds(now / 1000);
  detail.version = view.version ?? 0;
  return {
    source: ECS_SOURCE,
    detailType: DetailType.Task,
    detail,
    resources: view.taskArn ? [view.taskArn] : [],
    time: now,
  };
}
