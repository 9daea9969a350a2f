/** Checks PutMetricFilter's transformation as CloudWatch does: value, default, dimensions and unit. */
import type { MetricTransformation } from '@aws-sdk/client-cloudwatch-logs';
import { compileFilterPattern, type FilterPattern, FilterPatternError } from '../filter-pattern/index.ts';
import { invalidParameter, validationFailed } from '../model/errors.ts';
import type { MetricTransformationRecord } from '../model/records.ts';

export const MAX_DIMENSIONS = 3;
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;
const METRIC_NAME = /^[^:*$]*$/;
/** A metric value: a number, or a field of the event (`$.latency`, `$bytes`). */
const METRIC_VALUE = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|\$[\w.[\]\-@#]+)$/;

/** The metric filter's pattern, or InvalidParameterException with CloudWatch's text. */
export function metricPattern(text: string): FilterPattern {
  try {
    return compileFilterPattern(text);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter('Invalid metric filter pattern');
    throw error;
  }
}

export function checkTransformations(list: MetricTransformation[]): MetricTransformationRecord[] {
  if (list.length !== 1) {
    throw validationFailed(
      'metricTransformations',
      `[${list.length} transformations]`,
      list.length < 1
        ? 'Member must have length greater than or equal to 1'
        : 'Member must have length less than or equal to 1',
    );
  }
  return list.map((t, i) => {
    const at = `metricTransformations.${i + 1}.member`;
    const name = t.metricName!;
    const namespace = t.metricNamespace!;
    const value = t.metricValue!;
    for (const [member, v] of [
      ['metricName', name],
      ['metricNamespace', namespace],
    ] as const) {
      if (v.length > 255 || !METRIC_NAME.test(v)) {
        throw validationFailed(
          `${at}.${member}`,
          v,
          'Member must satisfy regular expression pattern: [^:*$]*',
        );
      }
    }
    if (value.length > 100 || !METRIC_VALUE.test(value)) {
      throw invalidParameter(`Invalid metric value ${value}`);
    }
    const dimensions = t.dimensions ?? {};
    if (Object.keys(dimensions).length > MAX_DIMENSIONS) {
      throw invalidParameter(`A metric filter can have at most ${MAX_DIMENSIONS} dimensions.`);
    }
    if (Object.keys(dimensions).length > 0 && t.defaultValue !== undefined) {
      throw invalidParameter('Dimensions and default value are mutually exclusive properties.');
    }
    if (t.unit !== undefined && !(UNITS as readonly string[]).includes(t.unit)) {
      throw validationFailed(
        `${at}.unit`,
        t.unit,
        `Member must satisfy enum value set: [${UNITS.join(', ')}]`,
      );
    }
    return {
      metricName: name,
      metricNamespace: namespace,
      metricValue: value,
      ...(t.defaultValue !== undefined ? { defaultValue: t.defaultValue } : {}),
      ...(Object.keys(dimensions).length > 0 ? { dimensions } : {}),
      ...(t.unit !== undefined ? { unit: t.unit } : {}),
    };
  });
}
