/** The table of implemented CloudWatch operations. docs/api-coverage-cloudwatch.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import { describeAlarms } from './describe-alarms.ts';
import { getMetricData } from './get-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listDashboards } from './list-dashboards.ts';
import { listMetrics } from './list-metrics.ts';
import { putMetricData } from './put-metric-data.ts';

export const handlers: Readonly<Record<string, Handler<CloudWatchContext>>> = {
  DescribeAlarms: { category: 'alarmRead', handle: describeAlarms },
  GetMetricData: { category: 'metricRead', handle: getMetricData },
  GetMetricStatistics: { category: 'metricRead', handle: getMetricStatistics },
  ListDashboards: { category: 'dashboardRead', handle: listDashboards },
  ListMetrics: { category: 'metricList', handle: listMetrics },
  PutMetricData: { category: 'metricWrite', handle: putMetricData },
};
