/**
 * PutMetricData: up to 1,000 data points (Value, Values/Counts, or StatisticValues) into the
 * metric store. The whole request is checked first: one bad datum rejects it and nothing is
 * stored. EntityMetricData's data points are stored too; the entity itself is not kept.
 */
import type { MetricDatum as SdkDatum, PutMetricDataInput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../aws/service.ts';
import { type MetricDatum, putMetricData as store } from './model/index.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import {
  checkDimensions,
  checkSize,
  checkUnit,
  invalidCombination,
  invalidParameter,
  invalidValue,
  missingParameter,
  toMs,
} from './errors.ts';

export const MAX_METRIC_DATA = 1000;
export const MAX_VALUES = 150;
const TWO_WEEKS_MS = 14 * 24 * 3_600_000;
const TWO_HOURS_MS = 2 * 3_600_000;
/** CloudWatch rejects values outside -2^360 .. 2^360 (and NaN, Infinity). */
const LIMIT = 2 ** 360;

export async function putMetricData(
  ctx: CloudWatchContext,
  input: PutMetricDataInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const namespace = input.Namespace ?? '';
  checkNamespace(namespace);
  const entries: [SdkDatum, string][] = (input.MetricData ?? []).map((d, i) => [
    d,
    `MetricData.member.${i + 1}`,
  ]);
  (input.EntityMetricData ?? []).forEach((e, i) => {
    (e.MetricData ?? []).forEach((d, j) => {
      entries.push([d, `EntityMetricData.member.${i + 1}.MetricData.member.${j + 1}`]);
    });
  });
  if (entries.length === 0) throw missingParameter('MetricData');
  checkSize(entries, 'MetricData', MAX_METRIC_DATA);
  const now = ctx.clock.now();
  const data = entries.map(([d, path]) => toDatum(namespace, d, path, now));
  await store(ctx.store, data, { now });
  return {};
}

/** 1-255 printable ASCII characters, not starting with `:`; `AWS/` belongs to AWS's own services. */
function checkNamespace(namespace: string): void {
  if (
    namespace.length < 1 ||
    namespace.length > 255 ||
    namespace.startsWith(':') ||
    !/^[\x20-\x7e]+$/.test(namespace) ||
    namespace.startsWith('AWS/')
  )
    throw invalidParameter(namespace, 'Namespace');
}

function checkNumber(v: number, path: string): void {
  if (!Number.isFinite(v) || Math.abs(v) > LIMIT) throw invalidParameter(v, path);
}

function toDatum(namespace: string, d: SdkDatum, path: string, now: number): MetricDatum {
  const name = d.MetricName;
  if (name === undefined) throw missingParameter(`${path}.MetricName`);
  if (name.length < 1 || name.length > 255) throw invalidParameter(name, `${path}.MetricName`);
  checkDimensions(d.Dimensions, `${path}.Dimensions`);
  checkUnit(d.Unit, `${path}.Unit`);
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60)
    throw invalidParameter(d.StorageResolution, `${path}.StorageResolution`);
  const timestamp = d.Timestamp === undefined ? now : toMs(d.Timestamp);
  if (timestamp < now - TWO_WEEKS_MS || timestamp > now + TWO_HOURS_MS)
    throw invalidValue(
      `The parameter ${path}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`,
    );
  const given = [
    ['Value', d.Value !== undefined],
    ['StatisticValues', d.StatisticValues !== undefined],
    ['Values', (d.Values ?? []).length > 0],
  ].filter(([, has]) => has);
  if (given.length > 1)
    throw invalidCombination(
      `The parameters ${path}.${given[0][0]} and ${path}.${given[1][0]} are mutually exclusive and you have specified both.`,
    );
  if ((d.Counts ?? []).length > 0 && (d.Values ?? []).length === 0)
    throw invalidCombination(`The parameter ${path}.Counts can only be used together with ${path}.Values.`);
  const base = {
    namespace,
    metricName: name,
    dimensions: (d.Dimensions ?? []).map((x) => ({ name: x.Name ?? '', value: x.Value ?? '' })),
    timestamp,
    unit: d.Unit ?? 'None',
    storageResolution: d.StorageResolution ?? 60,
  };
  if (d.StatisticValues) return { ...base, ...statisticSet(d.StatisticValues, `${path}.StatisticValues`) };
  if ((d.Values ?? []).length > 0) return { ...base, ...distribution(d.Values ?? [], d.Counts, path) };
  if (d.Value === undefined)
    throw invalidCombination(
      `At least one of the parameters ${path}.Value, ${path}.StatisticValues or ${path}.Values must be specified.`,
    );
  checkNumber(d.Value, `${path}.Value`);
  return { ...base, sampleCount: 1, sum: d.Value, minimum: d.Value, maximum: d.Value, values: [d.Value] };
}

function statisticSet(
  s: NonNullable<SdkDatum['StatisticValues']>,
  path: string,
): Pick<MetricDatum, 'sampleCount' | 'sum' | 'minimum' | 'maximum'> {
  for (const member of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const) {
    if (s[member] === undefined) throw missingParameter(`${path}.${member}`);
    checkNumber(s[member], `${path}.${member}`);
  }
  const { SampleCount: n = 0, Sum: sum = 0, Minimum: min = 0, Maximum: max = 0 } = s;
  if (n <= 0) throw invalidParameter(n, `${path}.SampleCount`);
  if (min > max)
    throw invalidCombination(`The parameter ${path}.Minimum must be less than or equal to ${path}.Maximum.`);
  return { sampleCount: n, sum, minimum: min, maximum: max };
}

function distribution(
  values: readonly number[],
  counts: readonly number[] | undefined,
  path: string,
): Pick<MetricDatum, 'sampleCount' | 'sum' | 'minimum' | 'maximum' | 'values' | 'counts'> {
  checkSize(values, `${path}.Values`, MAX_VALUES);
  if (counts && counts.length > 0 && counts.length !== values.length)
    throw invalidValue(`The parameters ${path}.Values and ${path}.Counts must be of the same size.`);
  values.forEach((v, i) => {
    checkNumber(v, `${path}.Values.member.${i + 1}`);
  });
  (counts ?? []).forEach((c, i) => {
    if (!Number.isFinite(c) || c < 0) throw invalidParameter(c, `${path}.Counts.member.${i + 1}`);
  });
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  values.forEach((v, i) => {
    const c = counts?.[i] ?? 1;
    if (c === 0) return;
    n += c;
    sum += v * c;
    min = Math.min(min, v);
    max = Math.max(max, v);
  });
  if (n === 0) throw invalidValue(`The parameter ${path}.Counts must count at least one value.`);
  return { sampleCount: n, sum, minimum: min, maximum: max, values, ...(counts?.length ? { counts } : {}) };
}
