/**
 * At engine start, what tasks that are gone left behind: task-scoped Docker volumes labelled with
 * this instance and EFS access-point mounts under the data directory (a kill -9 between stopping a
 * task's containers and its cleanup, or a lost state file). Failures are logged, never fatal: the
 * engine must start even when Docker refuses to remove a volume still in use.
 */
import { describeError } from '../../core/errors.ts';
import { unmountOrphanAccessPoints } from './access-point-mount.ts';
import type { EngineContext } from './engine-context.ts';
import { taskIdOf } from './task-state.ts';
import { removeOrphanVolumes } from './task-volumes.ts';

export async function removeTaskOrphans(
  ctx: EngineContext,
  dockerConnected: boolean,
  knownTaskArns: Iterable<string>,
): Promise<void> {
  const arns = new Set(knownTaskArns);
  const ids = new Set([...arns].map(taskIdOf));
  const known = (arn: string) => arns.has(arn);
  const knownIds = (id: string) => ids.has(id);
  try {
    const gone = await unmountOrphanAccessPoints(ctx.config.dataDir, knownIds);
    if (gone.length > 0)
      ctx.logger.info({ tasks: gone }, 'removed EFS access-point mounts of tasks that are gone');
  } catch (error) {
    ctx.logger.warn({ err: describeError(error) }, 'removing stale EFS access-point mounts failed');
  }
  if (!dockerConnected) return;
  try {
    const { removed, failed } = await removeOrphanVolumes(ctx.runtime, ctx.config.instanceArn, known);
    if (removed.length > 0)
      ctx.logger.info({ volumes: removed }, 'removed task volumes of tasks that are gone');
    if (failed.length > 0)
      ctx.logger.warn({ volumes: failed }, 'task volumes of tasks that are gone are still in use');
  } catch (error) {
    ctx.logger.warn({ err: describeError(error) }, 'listing task volumes failed');
  }
}
