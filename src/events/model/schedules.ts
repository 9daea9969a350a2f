/**
 * EventBridge Scheduler's records: schedule groups, schedules, and the firing state the schedules
 * controller keeps per schedule (what it last fired, what it fires next), keyed `<group>/<name>`.
 */
import type { FlexibleTimeWindow, Tag, Target } from '@aws-sdk/client-scheduler';
import type { Partition } from '../../core/arn.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';

/** Every account has this group; it is never stored, created or deleted. */
export const DEFAULT_GROUP = 'default';

export const SchedulerError = {
  Validation: 'ValidationException',
  NotFound: 'ResourceNotFoundException',
  Conflict: 'ConflictException',
} as const;

export const validation = (message: string) => new ServiceError(SchedulerError.Validation, message);
export const notFound = (message: string) => new ServiceError(SchedulerError.NotFound, message);
export const conflict = (message: string) => new ServiceError(SchedulerError.Conflict, message);

export interface ScheduleGroupRecord {
  name: string;
  state: 'ACTIVE' | 'DELETING';
  /** Epoch ms. */
  creationDate: number;
  lastModificationDate: number;
  tags: Tag[];
}

export interface ScheduleRecord {
  name: string;
  groupName: string;
  description?: string;
  scheduleExpression: string;
  scheduleExpressionTimezone?: string;
  /** Epoch ms. */
  startDate?: number;
  endDate?: number;
  state: 'ENABLED' | 'DISABLED';
  flexibleTimeWindow: FlexibleTimeWindow;
  target: Wire<Target>;
  actionAfterCompletion: 'NONE' | 'DELETE';
  kmsKeyArn?: string;
  creationDate: number;
  lastModificationDate: number;
  /**
   * Occurrences before this instant never fire: set at creation, and by an update that enables
   * the schedule or changes when it runs (expression, time zone, start date), so re-enabling a
   * schedule does not fire what it would have fired while disabled.
   */
  activeSince: number;
}

/** One occurrence chosen to fire: its scheduled time, its time within the flexible window, its attempts. */
export interface PendingFiring {
  occurrence: number;
  fireAt: number;
  /** Attempts made so far (0 before the first). */
  attempts: number;
  /** The schedule's lastModificationDate when this was chosen; an update chooses again. */
  modified: number;
}

/** What the schedules controller persists per schedule, so a restart never fires one occurrence twice. */
export interface ScheduleRunRecord {
  /** The schedule's creationDate this belongs to (a schedule deleted and created again starts afresh). */
  created: number;
  /** The last occurrence fired, dropped or skipped; nothing at or before it fires again. */
  lastOccurrence?: number;
  pending?: PendingFiring;
  /** No occurrence is left (an `at()` that ran, an end date passed) and the action after completion was NONE. */
  completed?: boolean;
}

export const scheduleKey = (group: string, name: string) => `${group}/${name}`;
export const groupPrefix = (group: string) => `${group}/`;

export function scheduleArn(partition: Partition, group: string, name: string): string {
  return `arn:aws:scheduler:${partition.region}:${partition.accountId}:schedule/${group}/${name}`;
}

export function groupArn(partition: Partition, group: string): string {
  return `arn:aws:scheduler:${partition.region}:${partition.accountId}:schedule-group/${group}`;
}

/** Scheduler's name rules (schedule and group names alike): 1-64 of `[0-9a-zA-Z-_.]`. */
export const NAME_PATTERN = /^[0-9a-zA-Z\-_.]{1,64}$/;
