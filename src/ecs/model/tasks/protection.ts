/** Task scale-in protection as the service scheduler and the protection operations read it. */
import type { ProtectedTask } from '@aws-sdk/client-ecs';
import type { Wire } from '../../../core/wire.ts';
import type { TaskRecord } from '../records.ts';

/** Enabled and not yet expired: the service scheduler must not scale the task in. */
export function isProtected(record: TaskRecord, now: number): boolean {
  const p = record.protection;
  return p?.enabled === true && (p.expiresAt === undefined || p.expiresAt > now);
}

export function protectedTaskView(record: TaskRecord, now: number): Wire<ProtectedTask> {
  const enabled = isProtected(record, now);
  const view: Wire<ProtectedTask> = { taskArn: record.task.taskArn, protectionEnabled: enabled };
  const expiresAt = record.protection?.expiresAt;
  if (enabled && expiresAt !== undefined) view.expirationDate = expiresAt / 1000;
  return view;
}
