/**
 * ListMetrics: the metrics that got data in the past two weeks (or, with RecentlyActive PT3H, the
 * past three hours), filtered by namespace, metric name and dimensions (a filter without a value
 * matches any value), 500 a page in key order; NextToken is where the last page stopped.
 */
import type { ListMetricsInput, ListMetricsOutput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../aws/service.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import { checkSize, invalidParameter } from './errors.ts';
import { listMetricSeries, type MetricSeriesRecord } from './model/index.ts';

export const LIST_METRICS_PAGE = 500;
const TWO_WEEKS_MS = 14 * 24 * 3_600_000;
const THREE_HOURS_MS = 3 * 3_600_000;

export async function listMetrics(
  ctx: CloudWatchContext,
  input: ListMetricsInput,
  _request: RequestContext,
): Promise<ListMetricsOutput> {
  checkSize(input.Dimensions, 'Dimensions', 10);
  (input.Dimensions ?? []).forEach((d, i) => {
    if (!d.Name || d.Name.length > 255) throw invalidParameter(d.Name, `Dimensions.member.${i + 1}.Name`);
  });
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H')
    throw invalidParameter(input.RecentlyActive, 'RecentlyActive');
  const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
  const now = ctx.clock.now();
  const listed = await listMetricSeries(ctx.store, {
    ...(input.Namespace !== undefined ? { namespace: input.Namespace } : {}),
    ...(input.MetricName !== undefined ? { metricName: input.MetricName } : {}),
    dimensions: (input.Dimensions ?? []).map((d) => ({
      name: d.Name ?? '',
      ...(d.Value !== undefined ? { value: d.Value } : {}),
    })),
    activeSince: now - (input.RecentlyActive === 'PT3H' ? THREE_HOURS_MS : TWO_WEEKS_MS),
  });
  const all = listed
    .map((m) => ({ m, id: identity(m) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((x) => x.m);
  const from = after === undefined ? 0 : all.findIndex((m) => identity(m) > after);
  const page = from < 0 ? [] : all.slice(from, from + LIST_METRICS_PAGE);
  const more = from >= 0 && from + LIST_METRICS_PAGE < all.length;
  return {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
    })),
    // Every metric is the caller's own: with IncludeLinkedAccounts each one is owned by this account.
    ...(input.IncludeLinkedAccounts ? { OwningAccounts: page.map(() => ctx.partition.accountId) } : {}),
    ...(more ? { NextToken: Buffer.from(identity(page[page.length - 1])).toString('base64url') } : {}),
  };
}

/** A metric's place in the listing order (the store's key order is the same). */
const identity = (m: MetricSeriesRecord) =>
  JSON.stringify([m.namespace, m.metricName, m.dimensions.map((d) => [d.name, d.value])]);

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString();
  try {
    if (Array.isArray(JSON.parse(text))) return text;
  } catch {
    // Not one of ours: refused below.
  }
  throw invalidParameter(token, 'NextToken');
}
