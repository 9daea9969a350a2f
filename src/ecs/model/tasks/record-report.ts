import type { TaskReport } from '../../../core/agent-protocol.ts';
import { invalidParameter } from '../errors.ts';
import { Kind } from '../../../store/store.ts';
import type { EcsContext } from '../context.ts';
import { keys, type TaskRecord } from '../records.ts';
import { applyReport } from './apply-report.ts';

/**
 * Records `report` for the task in `cluster`; `seq` undefined means "the next one" (the JSON
 * API carries no sequence numbers). Returns false when the task is unknown or the report is stale.
 */
export async function recordReport(
  ctx: EcsContext,
  cluster: string,
  taskId: string,
  build: (record: TaskRecord) => TaskReport,
  /** The container instance whose agent reports: a task it does not run is left alone. */
  agent?: string,
): Promise<boolean> {
  const key = keys.task(cluster, taskId);
  return ctx.store.transact(async (tx) => {
    const record = await tx.get<TaskRecord>(Kind.Task, key);
    if (!record) return false;
    if (
      agent &&
      (record.value.task.containerInstanceArn ?? record.value.host?.containerInstanceArn) !== agent
    )
      return false;
    const next = applyReport(
      record.value,
      build(record.value),
      ctx.clock.now(),
      ctx.config.stoppedTaskRetentionMs,
    );
    if (!next) return false;
    await tx.put(Kind.Task, key, next, record.version);
    return true;
  });
}

export function requireTaskId(value: string | undefined): string {
  if (!value) throw invalidParameter('task can not be blank.');
  return value.split('/').pop() ?? value;
}
