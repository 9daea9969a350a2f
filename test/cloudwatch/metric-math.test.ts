/**
 * Metric math, table-driven: the parser's precedence and errors, and the functions on small
 * series, with the CloudWatch user guide's own examples (m1+m2, SUM(METRICS()), errors/requests*100,
 * FILL(m1, 0), FILL(m1, REPEAT), IF(m1 > 10, 1, 0), RATE(m1), METRICS("errors")) as the rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, type MathEnv } from '../../src/cloudwatch/metric-math/evaluate.ts';
import { MathSyntaxError, parseExpression } from '../../src/cloudwatch/metric-math/parse.ts';
import { parseSearch } from '../../src/cloudwatch/metric-math/search.ts';
import { MathEvalError, type Series, type Value } from '../../src/cloudwatch/metric-math/series.ts';

const T = (minute: number) => minute * 60_000;
const series = (id: string, points: [number, number][], label = id): Series => ({
  id,
  label,
  timestamps: points.map(([m]) => T(m)),
  values: points.map(([, v]) => v),
  period: 60,
});

// m1: errors at minutes 0..4 (minute 2 missing); m2: requests; m3: a second error series.
const m1 = series('errors', [
  [0, 1],
  [1, 3],
  [3, 5],
  [4, 10],
]);
const m2 = series('requests', [
  [0, 10],
  [1, 30],
  [2, 40],
  [3, 50],
  [4, 100],
]);
const m3 = series('errors_5xx', [
  [0, 2],
  [1, 2],
  [2, 2],
  [3, 2],
  [4, 2],
]);
const ids: Record<string, Series> = { m1, m2, m3, errors: m1, requests: m2, max: m3 };

const env: MathEnv = {
  resolve: (id) => {
    const s = ids[id];
    if (!s) throw new MathEvalError(`unknown ${id}`);
    return { type: 'series', series: s };
  },
  metrics: () => [m1, m2, m3],
  search: () => [],
  grid: [0, 1, 2, 3, 4].map(T),
  period: 60,
};

const run = (expr: string) => evaluate(parseExpression(expr), env);
/** A series result as [minute, value] pairs; a scalar as its number; an array as a list of those. */
function plain(v: Value): unknown {
  if (v.type === 'scalar') return v.value;
  if (v.type === 'series') return v.series.timestamps.map((t, i) => [t / 60_000, v.series.values[i]]);
  if (v.type === 'array') return v.items.map((s) => plain({ type: 'series', series: s }));
  return v;
}

describe('metric math', () => {
  const table: [string, unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['10 / 4', 2.5],
    ['3 > 2 AND 1 == 1', 1],
    ['3 < 2 || 0', 0],
    // Docs: m1 + m2 pairs points by timestamp; minute 2 (missing in m1) has no result.
    [
      'm1 + m2',
      [
        [0, 11],
        [1, 33],
        [3, 55],
        [4, 110],
      ],
    ],
    // Docs: the error rate, errors / requests * 100.
    [
      'errors / requests * 100',
      [
        [0, 10],
        [1, 10],
        [3, 10],
        [4, 10],
      ],
    ],
    [
      'm1 * 2 - 1',
      [
        [0, 1],
        [1, 5],
        [3, 9],
        [4, 19],
      ],
    ],
    // Docs: SUM(METRICS()) adds every metric at each timestamp.
    [
      'SUM(METRICS())',
      [
        [0, 13],
        [1, 35],
        [2, 42],
        [3, 57],
        [4, 112],
      ],
    ],
    [
      'SUM([m1, m3])',
      [
        [0, 3],
        [1, 5],
        [2, 2],
        [3, 7],
        [4, 12],
      ],
    ],
    [
      'MAX([m1, m3])',
      [
        [0, 2],
        [1, 3],
        [2, 2],
        [3, 5],
        [4, 10],
      ],
    ],
    [
      'MIN([m1, m3])',
      [
        [0, 1],
        [1, 2],
        [2, 2],
        [3, 2],
        [4, 2],
      ],
    ],
    [
      'AVG([m1, m3])',
      [
        [0, 1.5],
        [1, 2.5],
        [2, 2],
        [3, 3.5],
        [4, 6],
      ],
    ],
    // Of one series, the aggregates are scalars: AVG(m1) is m1's mean over the range.
    ['AVG(m1)', 4.75],
    ['SUM(m2)', 230],
    ['MIN(m1)', 1],
    ['MAX(m2)', 100],
    ['STDDEV(m3)', 0],
    [
      'm1 - AVG(m1)',
      [
        [0, -3.75],
        [1, -1.75],
        [3, 0.25],
        [4, 5.25],
      ],
    ],
    // Docs: FILL(m1, 0) fills the missing minute with 0; REPEAT with the last value; LINEAR between.
    [
      'FILL(m1, 0)',
      [
        [0, 1],
        [1, 3],
        [2, 0],
        [3, 5],
        [4, 10],
      ],
    ],
    [
      'FILL(m1, REPEAT)',
      [
        [0, 1],
        [1, 3],
        [2, 3],
        [3, 5],
        [4, 10],
      ],
    ],
    [
      'FILL(m1, LINEAR)',
      [
        [0, 1],
        [1, 3],
        [2, 4],
        [3, 5],
        [4, 10],
      ],
    ],
    [
      'FILL(m1, m3)',
      [
        [0, 1],
        [1, 3],
        [2, 2],
        [3, 5],
        [4, 10],
      ],
    ],
    // Docs: IF(m1 > 4, 1, 0) and IF with one branch.
    [
      'IF(m1 > 4, 1, 0)',
      [
        [0, 0],
        [1, 0],
        [3, 1],
        [4, 1],
      ],
    ],
    [
      'IF(m1 > 4, m1)',
      [
        [3, 5],
        [4, 10],
      ],
    ],
    [
      'IF(m2 >= 40, m2, m1)',
      [
        [0, 1],
        [1, 3],
        [2, 40],
        [3, 50],
        [4, 100],
      ],
    ],
    // RATE: per second between consecutive points; DIFF: the difference.
    [
      'RATE(m2)',
      [
        [1, 20 / 60],
        [2, 10 / 60],
        [3, 10 / 60],
        [4, 50 / 60],
      ],
    ],
    [
      'DIFF(m1)',
      [
        [1, 2],
        [3, 2],
        [4, 5],
      ],
    ],
    [
      'DIFF_TIME(m1)',
      [
        [1, 60],
        [3, 120],
        [4, 60],
      ],
    ],
    [
      'RUNNING_SUM(m1)',
      [
        [0, 1],
        [1, 4],
        [3, 9],
        [4, 19],
      ],
    ],
    [
      'ABS(m1 - 4)',
      [
        [0, 3],
        [1, 1],
        [3, 1],
        [4, 6],
      ],
    ],
    [
      'CEIL(m1 / 3)',
      [
        [0, 1],
        [1, 1],
        [3, 2],
        [4, 4],
      ],
    ],
    [
      'FLOOR(m1 / 3)',
      [
        [0, 0],
        [1, 1],
        [3, 1],
        [4, 3],
      ],
    ],
    [
      'PERIOD(m1)',
      [
        [0, 60],
        [1, 60],
        [3, 60],
        [4, 60],
      ],
    ],
    ['DATAPOINT_COUNT(m1)', 4],
    ['METRIC_COUNT(METRICS())', 3],
    // Docs: METRICS("errors") selects the metrics whose Id holds the string.
    ['METRIC_COUNT(METRICS("errors"))', 2],
    [
      'TIME_SERIES(7)',
      [
        [0, 7],
        [1, 7],
        [2, 7],
        [3, 7],
        [4, 7],
      ],
    ],
    // SORT by an aggregate, SLICE, and the date functions (UTC; minute 61 is 01:01 on 1970-01-01, a Thursday).
    ['METRIC_COUNT(SORT(METRICS(), MAX, DESC, 2))', 2],
    [
      'FIRST(SORT(METRICS(), MAX, DESC))',
      [
        [0, 10],
        [1, 30],
        [2, 40],
        [3, 50],
        [4, 100],
      ],
    ],
    [
      // Sums: m1 19, m2 230, m3 10: the smallest, m3, comes last.
      'LAST(SORT(METRICS(), SUM, DESC))',
      [
        [0, 2],
        [1, 2],
        [2, 2],
        [3, 2],
        [4, 2],
      ],
    ],
    [
      'FIRST(SLICE(METRICS(), 2, 3))',
      [
        [0, 2],
        [1, 2],
        [2, 2],
        [3, 2],
        [4, 2],
      ],
    ],
    [
      'MINUTE(m2)',
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ],
    ],
    [
      'HOUR(m1)',
      [
        [0, 0],
        [1, 0],
        [3, 0],
        [4, 0],
      ],
    ],
    [
      'DAY(m1)',
      [
        [0, 4],
        [1, 4],
        [3, 4],
        [4, 4],
      ],
    ],
    [
      'YEAR(m1)',
      [
        [0, 1970],
        [1, 1970],
        [3, 1970],
        [4, 1970],
      ],
    ],
    // x/0 has no value: the point is dropped.
    ['m1 / 0', []],
  ];
  for (const [expr, want] of table) {
    it(expr, () => assert.deepEqual(plain(run(expr)), want));
  }

  it('applies functions and arithmetic to every series of an array', () => {
    const out = run('METRICS("errors") * 10');
    assert.equal(out.type, 'array');
    assert.deepEqual(plain(out), [
      [
        [0, 10],
        [1, 30],
        [3, 50],
        [4, 100],
      ],
      [
        [0, 20],
        [1, 20],
        [2, 20],
        [3, 20],
        [4, 20],
      ],
    ]);
    assert.deepEqual((plain(run('FILL(METRICS("errors"), 0)')) as unknown[])[0], [
      [0, 1],
      [1, 3],
      [2, 0],
      [3, 5],
      [4, 10],
    ]);
  });

  const malformed: [string, RegExp][] = [
    ['m1 +', /Unexpected end of expression/],
    ['(m1 + m2', /Expected '\)'/],
    ['m1 $ m2', /Unexpected character '\$' at column 4/],
    ['SUM(m1,', /Unexpected end of expression/],
    ['"abc', /Unterminated string/],
    ['', /empty/],
    ['m1 m2', /Unexpected 'm2' at column 4/],
    [`${'('.repeat(101)}1${')'.repeat(101)}`, /nests deeper than 100 levels/],
  ];
  for (const [expr, message] of malformed) {
    it(`refuses ${JSON.stringify(expr)}`, () =>
      assert.throws(
        () => parseExpression(expr),
        (e: Error) => e instanceof MathSyntaxError && message.test(e.message),
      ));
  }

  const wrong: [string, RegExp][] = [
    ['NOPE(m1)', /Unknown function NOPE/],
    ['FILL(m1)', /FILL takes 2 arguments/],
    ['SUM(3)', /SUM takes a time series or an array, not a scalar/],
    ['METRICS() + METRICS()', /cannot combine two arrays/],
    ['FILL(m1, "x")', /FILL's second argument/],
  ];
  for (const [expr, message] of wrong) {
    it(`cannot evaluate ${expr}`, () =>
      assert.throws(
        () => run(expr),
        (e: Error) => e instanceof MathEvalError && message.test(e.message),
      ));
  }
});

describe('SEARCH expressions', () => {
  const metric = (namespace: string, metricName: string, dims: Record<string, string>) => ({
    namespace,
    metricName,
    dimensions: Object.entries(dims).map(([name, value]) => ({ name, value })),
  });
  const cpuA = metric('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-aaa' });
  const cpuB = metric('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-bbb' });
  const netA = metric('AWS/EC2', 'NetworkIn', { InstanceId: 'i-aaa' });
  const cpuAsg = metric('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: 'web' });
  const app = metric('App', 'Latency', { Service: 'web', Stage: 'prod' });
  const all = [cpuA, cpuB, netA, cpuAsg, app];
  const table: [string, unknown[]][] = [
    // Docs: {AWS/EC2,InstanceId} MetricName="CPUUtilization": the per-instance CPU series only.
    ['{AWS/EC2,InstanceId} MetricName="CPUUtilization"', [cpuA, cpuB]],
    ['{AWS/EC2,InstanceId} CPUUtilization', [cpuA, cpuB]],
    ['{AWS/EC2,InstanceId}', [cpuA, cpuB, netA]],
    ['{AWS/EC2,AutoScalingGroupName}', [cpuAsg]],
    ['MetricName="CPUUtilization"', [cpuA, cpuB, cpuAsg]],
    ['CPUUtilization OR NetworkIn', [cpuA, cpuB, netA, cpuAsg]],
    ['i-aaa', [cpuA, netA]],
    ['{AWS/EC2,InstanceId} NOT i-aaa', [cpuB]],
    ['InstanceId=i-bbb', [cpuB]],
    ['{App,Service,Stage} Service="web" Stage=prod', [app]],
    ['(NetworkIn OR Latency) AND web', [app]],
    ['"latency"', [app]],
  ];
  for (const [expr, want] of table) {
    it(expr, () => assert.deepEqual(all.filter(parseSearch(expr)), want));
  }
  it('refuses malformed searches', () => {
    assert.throws(() => parseSearch('{AWS/EC2'), MathSyntaxError);
    assert.throws(() => parseSearch('MetricName='), MathSyntaxError);
    assert.throws(() => parseSearch('(a OR b'), MathSyntaxError);
    assert.throws(() => parseSearch(`${'('.repeat(101)}a${')'.repeat(101)}`), /nests deeper than 100 levels/);
  });
});
