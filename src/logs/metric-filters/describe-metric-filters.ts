/** DescribeMetricFilters: by group and name prefix, or by the metric they produce, a page at a time. */
import type {
  DescribeMetricFiltersRequest,
  DescribeMetricFiltersResponse,
  MetricTransformation,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { invalidParameter } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName, checkLimit, checkStreamName } from '../model/names.ts';
import { type LogsContext, logsKeys, type MetricFilterRecord } from '../model/records.ts';
import { page } from '../paging.ts';

export async function describeMetricFilters(
  ctx: LogsContext,
  input: DescribeMetricFiltersRequest,
  _request: RequestContext,
): Promise<Wire<DescribeMetricFiltersResponse>> {
  const limit = checkLimit(input.limit, 50) ?? 50;
  const group = input.logGroupName;
  if (group !== undefined) checkGroupName(group);
  if (input.filterNamePrefix !== undefined) {
    if (group === undefined)
      throw invalidParameter('logGroupName is required when filterNamePrefix is specified.');
    checkStreamName(input.filterNamePrefix, 'filterNamePrefix');
  }
  if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
    throw invalidParameter('metricName and metricNamespace must be specified together.');
  }
  if (group !== undefined) await getLogGroup(ctx.store, group);
  const prefix = group !== undefined ? logsKeys.metricFilter(group, input.filterNamePrefix ?? '') : undefined;
  const stored = await ctx.store.list<MetricFilterRecord>(
    Kind.LogMetricFilter,
    prefix ? { prefix } : undefined,
  );
  const filters = stored.filter(
    (s) =>
      input.metricName === undefined ||
      s.value.metricTransformations.some(
        (t) => t.metricName === input.metricName && t.metricNamespace === input.metricNamespace,
      ),
  );
  const p = page(filters, (f) => f.key, input.nextToken, limit);
  return {
    metricFilters: p.items.map(({ value: f }) => ({
      filterName: f.filterName,
      filterPattern: f.filterPattern,
      metricTransformations: f.metricTransformations as Wire<MetricTransformation>[],
      creationTime: f.creationTime,
      logGroupName: f.logGroupName,
      ...(f.applyOnTransformedLogs ? { applyOnTransformedLogs: true } : {}),
    })),
    ...(p.nextToken ? { nextToken: p.nextToken } : {}),
  };
}
