/**
 * Which tasks to stop first. ECS scales in as the mirror image of its default spread: from the
 * Availability Zone with the most tasks of the service, then the instance with the most (UpdateService
 * docs, "Service scheduler concepts"). Tasks that do no work yet go before those that do.
 */
import { Phase, type ServiceTask } from './service-tasks.ts';

/**
 * Lower goes first: not yet RUNNING (0), RUNNING but unhealthy (1), RUNNING and not yet healthy
 * (2), healthy (3). Stopping a task that serves nobody costs nothing.
 */
function usefulness(t: ServiceTask): number {
  if (t.phase === Phase.Pending) return 0;
  if (t.unhealthy) return 1;
  return t.healthy ? 3 : 2;
}

/**
 * Picks `n` of `candidates` one at a time. `placed` is every live task of the service (candidates
 * included): its counts per zone and instance decide where the next stop comes from, and each pick
 * lowers them. Example: zones a (3 tasks) and b (1 task), two healthy candidates in each zone ->
 * both picks come from a, the first from a's busiest instance. Ties go to the newest task, then
 * the lowest id, so the order is the same on every replay.
 */
export function scaleInOrder(
  candidates: readonly ServiceTask[],
  placed: readonly ServiceTask[],
  n: number,
): ServiceTask[] {
  const perZone = new Map<string, number>();
  const perInstance = new Map<string, number>();
  for (const t of placed) {
    perZone.set(t.availabilityZone, (perZone.get(t.availabilityZone) ?? 0) + 1);
    perInstance.set(t.instanceArn, (perInstance.get(t.instanceArn) ?? 0) + 1);
  }
  const left = [...candidates];
  const picked: ServiceTask[] = [];
  while (picked.length < n && left.length > 0) {
    let best = 0;
    for (let i = 1; i < left.length; i++) if (before(left[i], left[best], perZone, perInstance)) best = i;
    const [t] = left.splice(best, 1);
    picked.push(t);
    perZone.set(t.availabilityZone, (perZone.get(t.availabilityZone) ?? 1) - 1);
    perInstance.set(t.instanceArn, (perInstance.get(t.instanceArn) ?? 1) - 1);
  }
  return picked;
}

function before(
  a: ServiceTask,
  b: ServiceTask,
  perZone: ReadonlyMap<string, number>,
  perInstance: ReadonlyMap<string, number>,
): boolean {
  const ua = usefulness(a);
  const ub = usefulness(b);
  if (ua !== ub) return ua < ub;
  const za = perZone.get(a.availabilityZone) ?? 0;
  const zb = perZone.get(b.availabilityZone) ?? 0;
  if (za !== zb) return za > zb;
  const ia = perInstance.get(a.instanceArn) ?? 0;
  const ib = perInstance.get(b.instanceArn) ?? 0;
  if (ia !== ib) return ia > ib;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.id < b.id;
}
