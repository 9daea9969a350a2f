/** DescribeLogGroups: by name prefix or by a case-insensitive name pattern, by class, a page at a time. */
import type { DescribeLogGroupsRequest, DescribeLogGroupsResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { groupNameOf } from '../identifiers.ts';
import { invalidParameter, validationFailed } from '../model/errors.ts';
import { checkGroupName, checkLimit } from '../model/names.ts';
import {
  type LogGroupRecord,
  type LogsContext,
  logsKeys,
  type MetricFilterRecord,
} from '../model/records.ts';
import { page } from '../paging.ts';
import { logGroupShape } from './shape.ts';

const DEFAULT_LIMIT = 50;
const PATTERN = /^[.\-_/#A-Za-z0-9]*$/;

export async function describeLogGroups(
  ctx: LogsContext,
  input: DescribeLogGroupsRequest,
  _request: RequestContext,
): Promise<Wire<DescribeLogGroupsResponse>> {
  const limit = checkLimit(input.limit, 50) ?? DEFAULT_LIMIT;
  const prefix = input.logGroupNamePrefix;
  const pattern = input.logGroupNamePattern;
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter(
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  }
  if (prefix !== undefined) checkGroupName(prefix, 'logGroupNamePrefix');
  if (pattern !== undefined && (pattern.length > 512 || !PATTERN.test(pattern))) {
    throw validationFailed(
      'logGroupNamePattern',
      pattern,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*',
    );
  }
  const identifiers = input.logGroupIdentifiers?.map((id) =>
    groupNameOf(ctx.partition, { logGroupIdentifier: id }),
  );
  if (identifiers && (prefix !== undefined || pattern !== undefined)) {
    throw invalidParameter('logGroupIdentifiers cannot be combined with a LogGroup name prefix or pattern.');
  }
  const lowered = pattern?.toLowerCase();
  const all = await ctx.store.list<LogGroupRecord>(Kind.LogGroup, prefix ? { prefix } : undefined);
  const groups = all
    .map((s) => s.value)
    .filter(
      (g) =>
        (lowered === undefined || g.logGroupName.toLowerCase().includes(lowered)) &&
        (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass) &&
        (identifiers === undefined || identifiers.includes(g.logGroupName)),
    );
  const p = page(groups, (g) => g.logGroupName, input.nextToken, limit);
  const logGroups = [];
  for (const g of p.items) {
    const stats = await ctx.events.streamStats(g.id);
    let storedBytes = 0;
    for (const s of stats.values()) storedBytes += s.storedBytes;
    const count = (
      await ctx.store.list<MetricFilterRecord>(Kind.LogMetricFilter, {
        prefix: logsKeys.metricFiltersOf(g.logGroupName),
      })
    ).length;
    logGroups.push(logGroupShape(ctx.partition, g, count, storedBytes));
  }
  return { logGroups, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
}
