/** The table of implemented EventBridge Scheduler operations. docs/api-coverage-scheduler.md is generated from it. */
import type { Handler } from '../../aws/handler-table.ts';
import { listScheduleGroups } from './list-schedule-groups.ts';
import type { SchedulerContext } from './scheduler-service.ts';

export const handlers: Readonly<Record<string, Handler<SchedulerContext>>> = {
  ListScheduleGroups: { category: 'groupRead', handle: listScheduleGroups },
};
