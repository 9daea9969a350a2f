/** The table of implemented CloudWatch operations. docs/api-coverage-cloudwatch.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import { describeAlarms } from './describe-alarms.ts';
import { listDashboards } from './list-dashboards.ts';

export const handlers: Readonly<Record<string, Handler<CloudWatchContext>>> = {
  DescribeAlarms: { category: 'alarmRead', handle: describeAlarms },
  ListDashboards: { category: 'dashboardRead', handle: listDashboards },
};
