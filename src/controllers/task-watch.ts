/**
 * What the per-task controllers (task networks, task targets) watch: every committed task change
 * hands the task's current record to `consider` (level-triggered: re-read, never the payload), and
 * a resync hands it every task record.
 */
import { describeError } from '../core/errors.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import type { TaskRecord } from '../ecs/model/records.ts';
import { Kind } from '../store/store.ts';

export type ConsiderTask = (key: string, record: TaskRecord) => void;

/** Subscribes to task changes; `onGap` when changes were lost. Returns the unsubscribe. */
export function watchTasks(
  ctx: EcsContext,
  consider: ConsiderTask,
  onGap: () => void,
  log?: { warn(obj: object, msg: string): void },
): () => void {
  return ctx.changes.subscribe((change) => {
    if (change.kind !== 'task') return;
    ctx.store.get<TaskRecord>(Kind.Task, change.key).then(
      (stored) => {
        if (stored) consider(change.key, stored.value);
      },
      (error: unknown) => log?.warn({ error: describeError(error) }, 'loading a changed task failed'),
    );
  }, onGap);
}

/** Hands every task record of the region to `consider` (a controller's full resync). */
export async function considerAllTasks(ctx: EcsContext, consider: ConsiderTask): Promise<void> {
  for (const { key, value } of await ctx.store.list<TaskRecord>(Kind.Task)) consider(key, value);
}
