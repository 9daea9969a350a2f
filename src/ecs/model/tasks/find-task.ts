/** Finding the task a request's task reference names. */
import { Kind, type Reader, type Stored } from '../../../store/store.ts';
import { keys, type TaskRecord } from '../records.ts';
import { isExpired } from './task-view.ts';

/**
 * The task `ref` (as `resourceId` resolved it) names in `cluster`, or undefined when there is none:
 * unknown, named by an ARN of another cluster, or past its retention at `now`.
 */
export async function findTask(
  reader: Reader,
  cluster: string,
  ref: { id: string; cluster?: string },
  now: number,
): Promise<Stored<TaskRecord> | undefined> {
  if (ref.cluster && ref.cluster !== cluster) return undefined;
  const record = await reader.get<TaskRecord>(Kind.Task, keys.task(cluster, ref.id));
  return record && !isExpired(record.value, now) ? record : undefined;
}
