/** PutMetricFilter: creates or replaces a group's metric filter (at most 100 a group). */
import type { PutMetricFilterRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import { Kind } from '../../store/store.ts';
import { LogsErrorCode } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName, checkStreamName } from '../model/names.ts';
import { type LogsContext, logsKeys, type MetricFilterRecord } from '../model/records.ts';
import { checkTransformations, metricPattern } from './transformations.ts';

export const MAX_METRIC_FILTERS = 100;
export const MAX_REGEX_FILTERS = 5;

export async function putMetricFilter(
  ctx: LogsContext,
  input: PutMetricFilterRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const groupName = input.logGroupName!;
  const filterName = input.filterName!;
  checkGroupName(groupName);
  checkStreamName(filterName, 'filterName');
  const pattern = metricPattern(input.filterPattern!);
  const transformations = checkTransformations(input.metricTransformations ?? []);
  await ctx.store.transact(async (tx) => {
    await getLogGroup(tx, groupName);
    const key = logsKeys.metricFilter(groupName, filterName);
    const existing = await tx.get<MetricFilterRecord>(Kind.LogMetricFilter, key);
    const others = (
      await tx.list<MetricFilterRecord>(Kind.LogMetricFilter, { prefix: logsKeys.metricFiltersOf(groupName) })
    ).filter((f) => f.key !== key);
    if (!existing && others.length >= MAX_METRIC_FILTERS) {
      throw new ServiceError(LogsErrorCode.LimitExceeded, 'Resource limit exceeded.');
    }
    // CloudWatch allows five filters with a regular expression per group.
    const withRegex = others.filter((f) => metricPattern(f.value.filterPattern).usesRegex).length;
    if (pattern.usesRegex && withRegex >= MAX_REGEX_FILTERS) {
      throw new ServiceError(LogsErrorCode.LimitExceeded, 'Resource limit exceeded.');
    }
    const record: MetricFilterRecord = {
      logGroupName: groupName,
      filterName,
      filterPattern: input.filterPattern!,
      metricTransformations: transformations,
      creationTime: existing?.value.creationTime ?? ctx.clock.now(),
      ...(input.applyOnTransformedLogs ? { applyOnTransformedLogs: true } : {}),
    };
    await tx.put(Kind.LogMetricFilter, key, record);
  });
  return {};
}
