/** The table of implemented CloudWatch Logs operations. docs/api-coverage-logs.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { filterLogEvents } from './events/filter-log-events.ts';
import { getLogEvents } from './events/get-log-events.ts';
import { putLogEvents } from './events/put-log-events.ts';
import { createLogGroup } from './groups/create-log-group.ts';
import { deleteLogGroup } from './groups/delete-log-group.ts';
import { describeLogGroups } from './groups/describe-log-groups.ts';
import { deleteMetricFilter } from './metric-filters/delete-metric-filter.ts';
import { describeMetricFilters } from './metric-filters/describe-metric-filters.ts';
import { putMetricFilter } from './metric-filters/put-metric-filter.ts';
import { testMetricFilter } from './metric-filters/test-metric-filter.ts';
import type { LogsContext } from './model/records.ts';
import { deleteRetentionPolicy } from './retention/delete-retention-policy.ts';
import { putRetentionPolicy } from './retention/put-retention-policy.ts';
import { createLogStream } from './streams/create-log-stream.ts';
import { deleteLogStream } from './streams/delete-log-stream.ts';
import { describeLogStreams } from './streams/describe-log-streams.ts';
import { deleteSubscriptionFilter } from './subscriptions/delete-subscription-filter.ts';
import { describeSubscriptionFilters } from './subscriptions/describe-subscription-filters.ts';
import { putSubscriptionFilter } from './subscriptions/put-subscription-filter.ts';
import { listTagsForResource } from './tags/list-tags-for-resource.ts';
import { listTagsLogGroup } from './tags/list-tags-log-group.ts';
import { tagLogGroup } from './tags/tag-log-group.ts';
import { tagResource } from './tags/tag-resource.ts';
import { untagLogGroup } from './tags/untag-log-group.ts';
import { untagResource } from './tags/untag-resource.ts';

export const handlers: Readonly<Record<string, Handler<LogsContext>>> = {
  CreateLogGroup: { category: 'mutate', handle: createLogGroup },
  CreateLogStream: { category: 'mutate', handle: createLogStream },
  DeleteLogGroup: { category: 'mutate', handle: deleteLogGroup },
  DeleteLogStream: { category: 'mutate', handle: deleteLogStream },
  DeleteMetricFilter: { category: 'mutate', handle: deleteMetricFilter },
  DeleteRetentionPolicy: { category: 'mutate', handle: deleteRetentionPolicy },
  DeleteSubscriptionFilter: { category: 'mutate', handle: deleteSubscriptionFilter },
  DescribeLogGroups: { category: 'describe', handle: describeLogGroups },
  DescribeLogStreams: { category: 'describe', handle: describeLogStreams },
  DescribeMetricFilters: { category: 'describe', handle: describeMetricFilters },
  DescribeSubscriptionFilters: { category: 'describe', handle: describeSubscriptionFilters },
  FilterLogEvents: { category: 'filter', handle: filterLogEvents },
  GetLogEvents: { category: 'get', handle: getLogEvents },
  ListTagsForResource: { category: 'describe', handle: listTagsForResource },
  ListTagsLogGroup: { category: 'describe', handle: listTagsLogGroup },
  PutLogEvents: { category: 'put', handle: putLogEvents },
  PutMetricFilter: { category: 'mutate', handle: putMetricFilter },
  PutRetentionPolicy: { category: 'mutate', handle: putRetentionPolicy },
  PutSubscriptionFilter: { category: 'mutate', handle: putSubscriptionFilter },
  TagLogGroup: { category: 'mutate', handle: tagLogGroup },
  TagResource: { category: 'mutate', handle: tagResource },
  TestMetricFilter: { category: 'describe', handle: testMetricFilter },
  UntagLogGroup: { category: 'mutate', handle: untagLogGroup },
  UntagResource: { category: 'mutate', handle: untagResource },
};
