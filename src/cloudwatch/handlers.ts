/** The table of implemented CloudWatch operations. docs/api-coverage-cloudwatch.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import { listTagsForResource, tagResource, untagResource } from './alarms/alarm-tags.ts';
import { deleteAlarms, disableAlarmActions, enableAlarmActions } from './alarms/delete-alarms.ts';
import { describeAlarmHistory } from './alarms/describe-alarm-history.ts';
import { describeAlarmsForMetric } from './alarms/describe-alarms-for-metric.ts';
import { putCompositeAlarm } from './alarms/put-composite-alarm.ts';
import { putMetricAlarm } from './alarms/put-metric-alarm.ts';
import { setAlarmState } from './alarms/set-alarm-state.ts';
import { describeAlarms } from './describe-alarms.ts';
import { getMetricData } from './get-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listDashboards } from './list-dashboards.ts';
import { listMetrics } from './list-metrics.ts';
import { putMetricData } from './put-metric-data.ts';

export const handlers: Readonly<Record<string, Handler<CloudWatchContext>>> = {
  DeleteAlarms: { category: 'alarmWrite', handle: deleteAlarms },
  DescribeAlarmHistory: { category: 'alarmRead', handle: describeAlarmHistory },
  DescribeAlarms: { category: 'alarmRead', handle: describeAlarms },
  DescribeAlarmsForMetric: { category: 'alarmRead', handle: describeAlarmsForMetric },
  DisableAlarmActions: { category: 'alarmWrite', handle: disableAlarmActions },
  EnableAlarmActions: { category: 'alarmWrite', handle: enableAlarmActions },
  GetMetricData: { category: 'metricRead', handle: getMetricData },
  GetMetricStatistics: { category: 'metricRead', handle: getMetricStatistics },
  ListDashboards: { category: 'dashboardRead', handle: listDashboards },
  ListMetrics: { category: 'metricList', handle: listMetrics },
  ListTagsForResource: { category: 'alarmRead', handle: listTagsForResource },
  PutCompositeAlarm: { category: 'alarmWrite', handle: putCompositeAlarm },
  PutMetricAlarm: { category: 'alarmWrite', handle: putMetricAlarm },
  PutMetricData: { category: 'metricWrite', handle: putMetricData },
  SetAlarmState: { category: 'alarmWrite', handle: setAlarmState },
  TagResource: { category: 'alarmWrite', handle: tagResource },
  UntagResource: { category: 'alarmWrite', handle: untagResource },
};
