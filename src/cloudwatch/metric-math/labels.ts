/**
 * Dynamic labels: `${...}` in a query's Label, filled per result series. `${LABEL}` is the label
 * the series would have had; `${SUM}`, `${AVG}`, `${MIN}`, `${MAX}`, `${FIRST}`, `${LAST}` and
 * `${DATAPOINT_COUNT}` summarize its values over the range; `${PROP('MetricName')}`,
 * `${PROP('Namespace')}`, `${PROP('Stat')}`, `${PROP('Period')}`, `${PROP('Region')}`,
 * `${PROP('AccountId')}` and `${PROP('Dim.Name')}` name what it measures. Unknown placeholders
 * are left as written.
 *
 *   "Errors ${PROP('Dim.Host')}: max ${MAX}"  ->  "Errors a: max 4"
 */
import type { Series } from './series.ts';

export interface LabelFacts {
  /** The label the series has without a template. */
  label: string;
  region: string;
  accountId: string;
}

const PLACEHOLDER = /\$\{([A-Z_]+)(?:\('([^']*)'\))?\}/g;

export const isDynamic = (label: string) => /\$\{[A-Z_]+/.test(label);

export function dynamicLabel(template: string, s: Series, facts: LabelFacts): string {
  const xs = s.values;
  const sum = () => xs.reduce((a, b) => a + b, 0);
  const value = (name: string, arg: string | undefined): string | number | undefined => {
    switch (name) {
      case 'LABEL':
        return facts.label;
      case 'SUM':
        return xs.length > 0 ? sum() : undefined;
      case 'AVG':
        return xs.length > 0 ? sum() / xs.length : undefined;
      case 'MIN':
        return xs.length > 0 ? xs.reduce((a, b) => Math.min(a, b)) : undefined;
      case 'MAX':
        return xs.length > 0 ? xs.reduce((a, b) => Math.max(a, b)) : undefined;
      case 'FIRST':
        return xs[0];
      case 'LAST':
        return xs[xs.length - 1];
      case 'DATAPOINT_COUNT':
        return xs.length;
      case 'PROP':
        return property(arg ?? '', s, facts);
      default:
        return undefined;
    }
  };
  return template.replace(PLACEHOLDER, (whole, name: string, arg: string | undefined) => {
    const v = value(name, arg);
    if (v === undefined) return whole;
    return typeof v === 'number' ? String(Number(v.toPrecision(6))) : v;
  });
}

function property(name: string, s: Series, facts: LabelFacts): string | number | undefined {
  if (name === 'Region') return facts.region;
  if (name === 'AccountId') return facts.accountId;
  if (name === 'Period') return s.period;
  if (name === 'Stat') return s.stat;
  if (name === 'MetricName') return s.metric?.metricName;
  if (name === 'Namespace') return s.metric?.namespace;
  if (name.startsWith('Dim.')) return s.metric?.dimensions.find((d) => d.name === name.slice(4))?.value;
  return undefined;
}
