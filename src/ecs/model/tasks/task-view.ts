/** The Wire<Task> shape DescribeTasks returns; tags only when asked for with include TAGS. */
import type { Wire } from '../../../core/wire.ts';
import type { Task } from '@aws-sdk/client-ecs';
import type { TaskRecord } from '../records.ts';

export function taskView(record: TaskRecord, include: readonly string[] = []): Wire<Task> {
  const { tags, ...rest } = record.task;
  return include.includes('TAGS') ? { ...rest, tags: tags ?? [] } : rest;
}

/** A STOPPED task past its retention is gone, as ECS forgets stopped tasks. */
export function isExpired(record: TaskRecord, now: number): boolean {
  return record.expiresAt !== undefined && record.expiresAt <= now;
}
