/**
 * CloudWatch Logs (prefix `logs`): log-group actions on
 * `log-group:<name>:log-stream:` (the ARN CloudWatch Logs authorizes them against, so both
 * `log-group:<name>` `:*` policies and `log-group:*` match), log-stream actions on
 * `log-group:<name>:log-stream:<stream>`; DescribeLogGroups on `log-group::log-stream:`.
 */
import { arnIn, type ResourceRule, type Scope, type ServiceActions, str } from './types.ts';

export const logGroupArn = (scope: Scope, group: string, stream = ''): string =>
  arnIn(scope, 'logs', `log-group:${group}:log-stream:${stream}`);

/** A group given by `logGroupName` or `logGroupIdentifier` (a name or an ARN). */
function groupOf(input: Record<string, unknown>): string | undefined {
  const id = str(input.logGroupName) ?? str(input.logGroupIdentifier);
  if (!id?.startsWith('arn:')) return id;
  const m = /:log-group:([^:]+)/.exec(id);
  return m?.[1];
}

const group: ResourceRule = (input, scope) => {
  const g = groupOf(input);
  return [g ? logGroupArn(scope, g) : '*'];
};
const stream: ResourceRule = (input, scope) => {
  const g = groupOf(input);
  return [g ? logGroupArn(scope, g, str(input.logStreamName) ?? '') : '*'];
};
const byArn: ResourceRule = (input) => [str(input.resourceArn) ?? '*'];

export const logsActions: ServiceActions = {
  prefix: 'logs',
  operations: {
    CreateLogGroup: group,
    DeleteLogGroup: group,
    PutRetentionPolicy: group,
    DeleteRetentionPolicy: group,
    DescribeLogStreams: group,
    FilterLogEvents: group,
    PutMetricFilter: group,
    DeleteMetricFilter: group,
    DescribeMetricFilters: (input, scope) => (groupOf(input) ? group(input, scope) : ['*']),
    PutSubscriptionFilter: group,
    DeleteSubscriptionFilter: group,
    DescribeSubscriptionFilters: group,
    TagLogGroup: group,
    UntagLogGroup: group,
    ListTagsLogGroup: group,
    CreateLogStream: stream,
    DeleteLogStream: stream,
    PutLogEvents: stream,
    GetLogEvents: stream,
    DescribeLogGroups: (_input, scope) => [arnIn(scope, 'logs', 'log-group::log-stream:')],
    TagResource: byArn,
    UntagResource: byArn,
    ListTagsForResource: byArn,
  },
  tagListKeys: ['tagKeys', 'tags'],
};
