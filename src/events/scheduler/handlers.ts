/** The table of implemented EventBridge Scheduler operations. docs/api-coverage-scheduler.md is generated from it. */
import type { Handler } from '../../aws/handler-table.ts';
import { createSchedule } from './create-schedule.ts';
import { createScheduleGroup } from './create-schedule-group.ts';
import { deleteSchedule } from './delete-schedule.ts';
import { deleteScheduleGroup } from './delete-schedule-group.ts';
import { getSchedule } from './get-schedule.ts';
import { getScheduleGroup } from './get-schedule-group.ts';
import { listScheduleGroups } from './list-schedule-groups.ts';
import { listSchedules } from './list-schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import { updateSchedule } from './update-schedule.ts';

export const handlers: Readonly<Record<string, Handler<SchedulerContext>>> = {
  CreateSchedule: { category: 'scheduleWrite', handle: createSchedule },
  GetSchedule: { category: 'scheduleRead', handle: getSchedule },
  UpdateSchedule: { category: 'scheduleWrite', handle: updateSchedule },
  DeleteSchedule: { category: 'scheduleWrite', handle: deleteSchedule },
  ListSchedules: { category: 'scheduleRead', handle: listSchedules },
  CreateScheduleGroup: { category: 'groupWrite', handle: createScheduleGroup },
  GetScheduleGroup: { category: 'groupRead', handle: getScheduleGroup },
  DeleteScheduleGroup: { category: 'groupWrite', handle: deleteScheduleGroup },
  ListScheduleGroups: { category: 'groupRead', handle: listScheduleGroups },
  TagResource: { category: 'groupWrite', handle: tagResource },
  UntagResource: { category: 'groupWrite', handle: untagResource },
  ListTagsForResource: { category: 'groupRead', handle: listTagsForResource },
};
