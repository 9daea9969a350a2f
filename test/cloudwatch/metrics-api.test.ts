/**
 * CloudWatch metrics through the real `@aws-sdk/client-cloudwatch` (RPC v2 CBOR, AWS JSON 1.0 and
 * Query) and the `aws` CLI: PutMetricData, GetMetricStatistics, ListMetrics and GetMetricData
 * (MetricStat, metric math, SEARCH, paging), every PutMetricData rejection with nothing stored,
 * and gzip-compressed requests (the SDK compresses PutMetricData bodies over 10 KB).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { SmithyRpcV2CborProtocol } from '@smithy/core/cbor';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';
import { metricMinutes, putMetricData } from '../../src/cloudwatch/model/index.ts';

const run = promisify(execFile);
const MIN = 60_000;
/** Ten minutes ago, on a minute boundary: every test writes after it. */
const T0 = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * MIN + seconds * 1000);

describe('CloudWatch metrics API', () => {
  let t: TestPlane;
  const clients: Record<string, CloudWatchClient> = {};
  let cw: CloudWatchClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    const base = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    const withProtocol = (protocol: unknown) => ({ ...base, protocol }) as CloudWatchClientConfig;
    clients.cbor = new CloudWatchClient(withProtocol(SmithyRpcV2CborProtocol));
    clients.json = new CloudWatchClient(base);
    clients.query = new CloudWatchClient(withProtocol(AwsQueryProtocol));
    cw = clients.json;
  });
  after(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await t.stop();
  });

  for (const protocol of ['cbor', 'json', 'query']) {
    it(`${protocol}: puts data and reads it back with every read operation`, async () => {
      const c = clients[protocol];
      const ns = `Proto/${protocol}`;
      const dims = [{ Name: 'Service', Value: 'web' }];
      await c.send(
        new PutMetricDataCommand({
          Namespace: ns,
          MetricData: [
            { MetricName: 'Latency', Dimensions: dims, Timestamp: at(1), Value: 10, Unit: 'Milliseconds' },
            {
              MetricName: 'Latency',
              Dimensions: dims,
              Timestamp: at(1, 20),
              Values: [20, 30],
              Counts: [1, 2],
              Unit: 'Milliseconds',
            },
            {
              MetricName: 'Latency',
              Dimensions: dims,
              Timestamp: at(2),
              StatisticValues: { SampleCount: 2, Sum: 8, Minimum: 4, Maximum: 4 },
              Unit: 'Milliseconds',
            },
          ],
        }),
      );
      const stats = await c.send(
        new GetMetricStatisticsCommand({
          Namespace: ns,
          MetricName: 'Latency',
          Dimensions: dims,
          StartTime: at(0),
          EndTime: at(5),
          Period: 60,
          Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
          ExtendedStatistics: ['p50', 'p99'],
        }),
      );
      assert.equal(stats.Label, 'Latency');
      assert.deepEqual(stats.Datapoints, [
        {
          Timestamp: at(1),
          SampleCount: 4,
          Sum: 90,
          Average: 22.5,
          Minimum: 10,
          Maximum: 30,
          Unit: 'Milliseconds',
          ExtendedStatistics: { p50: 20, p99: 30 },
        },
        {
          Timestamp: at(2),
          SampleCount: 2,
          Sum: 8,
          Average: 4,
          Minimum: 4,
          Maximum: 4,
          Unit: 'Milliseconds',
          ExtendedStatistics: { p50: 4, p99: 4 },
        },
      ]);
      const listed = await c.send(new ListMetricsCommand({ Namespace: ns }));
      assert.deepEqual(listed.Metrics, [{ Namespace: ns, MetricName: 'Latency', Dimensions: dims }]);
      const data = await c.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(5),
          MetricDataQueries: [
            {
              Id: 'm1',
              MetricStat: {
                Metric: { Namespace: ns, MetricName: 'Latency', Dimensions: dims },
                Period: 60,
                Stat: 'Sum',
              },
            },
            { Id: 'e1', Expression: 'm1 * 2', Label: 'Doubled' },
          ],
        }),
      );
      assert.deepEqual(
        data.MetricDataResults?.map((r) => [r.Id, r.Label, r.StatusCode, r.Timestamps, r.Values]),
        [
          ['m1', 'Latency', 'Complete', [at(2), at(1)], [8, 90]],
          ['e1', 'Doubled', 'Complete', [at(2), at(1)], [16, 180]],
        ],
      );
    });
  }

  describe('PutMetricData rejections (nothing is stored)', () => {
    const ok: MetricDatum = { MetricName: 'Fine', Value: 1 };
    const rows: [string, { Namespace?: string; MetricData: MetricDatum[] }, string, string | RegExp][] = [
      [
        'reserved AWS/ namespace',
        { Namespace: 'AWS/EC2', MetricData: [ok] },
        'InvalidParameterValue',
        'The value AWS/EC2 for parameter Namespace is invalid.',
      ],
      [
        'namespace starting with a colon',
        { Namespace: ':x', MetricData: [ok] },
        'InvalidParameterValue',
        'The value :x for parameter Namespace is invalid.',
      ],
      [
        'non-ASCII namespace',
        { Namespace: 'Répondre', MetricData: [ok] },
        'InvalidParameterValue',
        /parameter Namespace is invalid/,
      ],
      [
        'namespace over 255 characters',
        { Namespace: 'n'.repeat(256), MetricData: [ok] },
        'InvalidParameterValue',
        /parameter Namespace is invalid/,
      ],
      [
        'more than 1,000 data points',
        { Namespace: 'Rejected', MetricData: Array.from({ length: 1001 }, () => ok) },
        'InvalidParameterValue',
        'The collection MetricData must not have a size greater than 1000.',
      ],
      [
        'more than 30 dimensions',
        {
          Namespace: 'Rejected',
          MetricData: [
            { ...ok, Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' })) },
          ],
        },
        'InvalidParameterValue',
        'The collection MetricData.member.1.Dimensions must not have a size greater than 30.',
      ],
      [
        'a dimension value over 1,024 characters',
        {
          Namespace: 'Rejected',
          MetricData: [{ ...ok, Dimensions: [{ Name: 'd', Value: 'v'.repeat(1025) }] }],
        },
        'InvalidParameterValue',
        /MetricData\.member\.1\.Dimensions\.member\.1\.Value is invalid/,
      ],
      [
        'a dimension name starting with a colon',
        { Namespace: 'Rejected', MetricData: [{ ...ok, Dimensions: [{ Name: ':d', Value: 'v' }] }] },
        'InvalidParameterValue',
        'The value :d for parameter MetricData.member.1.Dimensions.member.1.Name is invalid.',
      ],
      [
        'a blank dimension name',
        { Namespace: 'Rejected', MetricData: [{ ...ok, Dimensions: [{ Name: '  ', Value: 'v' }] }] },
        'InvalidParameterValue',
        /Dimensions\.member\.1\.Name is invalid/,
      ],
      [
        'a dimension name twice',
        {
          Namespace: 'Rejected',
          MetricData: [
            {
              ...ok,
              Dimensions: [
                { Name: 'd', Value: 'a' },
                { Name: 'd', Value: 'b' },
              ],
            },
          ],
        },
        'InvalidParameterCombination',
        /duplicate dimension names/,
      ],
      [
        'Value and StatisticValues',
        {
          Namespace: 'Rejected',
          MetricData: [ok, { ...ok, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }],
        },
        'InvalidParameterCombination',
        'The parameters MetricData.member.2.Value and MetricData.member.2.StatisticValues are mutually exclusive and you have specified both.',
      ],
      [
        'Value and Values',
        { Namespace: 'Rejected', MetricData: [{ ...ok, Values: [1, 2] }] },
        'InvalidParameterCombination',
        'The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.',
      ],
      [
        'no value at all',
        { Namespace: 'Rejected', MetricData: [{ MetricName: 'Empty' }] },
        'InvalidParameterCombination',
        /At least one of the parameters MetricData\.member\.1\.Value/,
      ],
      [
        'Counts without Values',
        {
          Namespace: 'Rejected',
          MetricData: [
            {
              MetricName: 'C',
              Counts: [1],
              StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
            },
          ],
        },
        'InvalidParameterCombination',
        /Counts can only be used together with MetricData\.member\.1\.Values/,
      ],
      [
        'Values and Counts of different sizes',
        { Namespace: 'Rejected', MetricData: [{ MetricName: 'V', Values: [1, 2], Counts: [1] }] },
        'InvalidParameterValue',
        'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.',
      ],
      [
        'more than 150 values',
        {
          Namespace: 'Rejected',
          MetricData: [{ MetricName: 'V', Values: Array.from({ length: 151 }, (_, i) => i) }],
        },
        'InvalidParameterValue',
        'The collection MetricData.member.1.Values must not have a size greater than 150.',
      ],
      [
        'a negative count',
        { Namespace: 'Rejected', MetricData: [{ MetricName: 'V', Values: [1], Counts: [-1] }] },
        'InvalidParameterValue',
        'The value -1 for parameter MetricData.member.1.Counts.member.1 is invalid.',
      ],
      [
        'a value beyond 2^360',
        { Namespace: 'Rejected', MetricData: [{ MetricName: 'V', Value: 2 ** 361 }] },
        'InvalidParameterValue',
        /parameter MetricData\.member\.1\.Value is invalid/,
      ],
      [
        'NaN',
        { Namespace: 'Rejected', MetricData: [{ MetricName: 'V', Value: Number.NaN }] },
        'InvalidParameterValue',
        'The value NaN for parameter MetricData.member.1.Value is invalid.',
      ],
      [
        'Infinity in Values',
        { Namespace: 'Rejected', MetricData: [{ MetricName: 'V', Values: [1, Number.POSITIVE_INFINITY] }] },
        'InvalidParameterValue',
        'The value Infinity for parameter MetricData.member.1.Values.member.2 is invalid.',
      ],
      [
        'a timestamp over two weeks old',
        {
          Namespace: 'Rejected',
          MetricData: [{ ...ok, Timestamp: new Date(Date.now() - 15 * 24 * 3_600_000) }],
        },
        'InvalidParameterValue',
        'The parameter MetricData.member.1.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.',
      ],
      [
        'a timestamp over two hours ahead',
        {
          Namespace: 'Rejected',
          MetricData: [ok, { ...ok, Timestamp: new Date(Date.now() + 3 * 3_600_000) }],
        },
        'InvalidParameterValue',
        /MetricData\.member\.2\.Timestamp must specify a time no more than two weeks/,
      ],
      [
        'StorageResolution 5',
        { Namespace: 'Rejected', MetricData: [{ ...ok, StorageResolution: 5 }] },
        'InvalidParameterValue',
        'The value 5 for parameter MetricData.member.1.StorageResolution is invalid.',
      ],
      [
        'an unknown unit',
        { Namespace: 'Rejected', MetricData: [{ ...ok, Unit: 'Parsecs' as 'Count' }] },
        'InvalidParameterValue',
        /Parsecs/,
      ],
      [
        'a statistic set with SampleCount 0',
        {
          Namespace: 'Rejected',
          MetricData: [
            { MetricName: 'S', StatisticValues: { SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0 } },
          ],
        },
        'InvalidParameterValue',
        'The value 0 for parameter MetricData.member.1.StatisticValues.SampleCount is invalid.',
      ],
      [
        'a statistic set with Minimum over Maximum',
        {
          Namespace: 'Rejected',
          MetricData: [
            { MetricName: 'S', StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 2, Maximum: 1 } },
          ],
        },
        'InvalidParameterCombination',
        /Minimum must be less than or equal to/,
      ],
      ['no namespace', { MetricData: [ok] }, 'MissingParameter', /Namespace/],
      ['no data', { Namespace: 'Rejected', MetricData: [] }, 'MissingParameter', /MetricData/],
    ];
    for (const [name, input, code, message] of rows) {
      it(name, async () => {
        const e = await awsError(() => cw.send(new PutMetricDataCommand(input as never)));
        assert.equal(e.status, 400);
        // The JSON protocol names the shape; x-amzn-query-error carries the Query code the SDK reads.
        assert.equal(
          e.name,
          code === 'MissingParameter' ? 'MissingRequiredParameterException' : `${code}Exception`,
        );
        if (typeof message === 'string') assert.equal(e.message, message);
        else assert.match(e.message, message);
      });
    }
    it('stored nothing from any rejected request', async () => {
      const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Rejected' }));
      assert.deepEqual(listed.Metrics, []);
    });
  });

  it('takes 1,000 data points gzip-compressed and pages ListMetrics 500 at a time', async () => {
    const MetricData = Array.from({ length: 1000 }, (_, i) => ({
      MetricName: 'Requests',
      Dimensions: [{ Name: 'Host', Value: `h${String(i).padStart(4, '0')}` }],
      Timestamp: at(3),
      Value: i,
      Unit: 'Count' as const,
    }));
    // The SDK compresses bodies over 10 KB with gzip (Content-Encoding: gzip).
    await cw.send(new PutMetricDataCommand({ Namespace: 'Bulk', MetricData }));
    const first = await cw.send(new ListMetricsCommand({ Namespace: 'Bulk' }));
    assert.equal(first.Metrics?.length, 500);
    assert.ok(first.NextToken);
    const second = await cw.send(new ListMetricsCommand({ Namespace: 'Bulk', NextToken: first.NextToken }));
    assert.equal(second.Metrics?.length, 500);
    assert.equal(second.NextToken, undefined);
    assert.equal(second.Metrics?.[499].Dimensions?.[0].Value, 'h0999');
    const filtered = await cw.send(
      new ListMetricsCommand({
        Namespace: 'Bulk',
        Dimensions: [{ Name: 'Host', Value: 'h0042' }],
        RecentlyActive: 'PT3H',
      }),
    );
    assert.deepEqual(filtered.Metrics, [
      { Namespace: 'Bulk', MetricName: 'Requests', Dimensions: [{ Name: 'Host', Value: 'h0042' }] },
    ]);
    const byName = await cw.send(
      new ListMetricsCommand({
        MetricName: 'Requests',
        Dimensions: [{ Name: 'Host' }],
        IncludeLinkedAccounts: true,
      }),
    );
    assert.equal(byName.Metrics?.length, 500);
    assert.deepEqual(new Set(byName.OwningAccounts), new Set(['000000000000']));
    const bad = await awsError(() => cw.send(new ListMetricsCommand({ NextToken: 'garbage' })));
    assert.equal(bad.name, 'InvalidParameterValueException');
  });

  it("serves what Longshore's own producers write (AWS/ApplicationELB) through the API and metricMinutes", async () => {
    const store = t.plane.regions.context('us-east-1').store;
    const dimensions = [{ name: 'LoadBalancer', value: 'app/web/0123456789abcdef' }];
    const datum = { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions, unit: 'Count' };
    await putMetricData(store, [
      { ...datum, timestamp: at(2).getTime(), sampleCount: 1, sum: 7, minimum: 7, maximum: 7 },
      { ...datum, timestamp: at(2, 30).getTime(), sampleCount: 1, sum: 5, minimum: 5, maximum: 5 },
    ]);
    const minutes = await metricMinutes(
      store,
      'AWS/ApplicationELB',
      'RequestCount',
      dimensions,
      0,
      Date.now() + MIN,
    );
    assert.deepEqual(
      minutes.map((m) => [m.minute, m.sum, m.sampleCount]),
      [[at(2).getTime(), 12, 2]],
    );
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/0123456789abcdef' }],
        StartTime: at(0),
        EndTime: at(5),
        Period: 300,
        Statistics: ['Sum'],
      }),
    );
    assert.deepEqual(
      stats.Datapoints?.map((d) => d.Sum),
      [12],
    );
  });

  it('inflates gzip bodies over Query and refuses a body that is not gzip', async () => {
    const { body } = form({
      Action: 'PutMetricData',
      Version: '2010-08-01',
      Namespace: 'Gzip',
      'MetricData.member.1.MetricName': 'Zipped',
      'MetricData.member.1.Value': '7',
    });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' };
    const ok = await rawAws(t.plane.endpoint, { service: 'monitoring', headers, body: gzipSync(body) });
    assert.equal(ok.status, 200, ok.text);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Gzip' }));
    assert.deepEqual(
      listed.Metrics?.map((m) => m.MetricName),
      ['Zipped'],
    );
    const bad = await rawAws(t.plane.endpoint, { service: 'monitoring', headers, body: 'not gzip' });
    assert.equal(bad.status, 400);
  });

  it('refuses a request body over 1 MB (413), and one that inflates past 8 MB', async () => {
    const json = (body: string | Uint8Array, extra: Record<string, string> = {}) =>
      rawAws(t.plane.endpoint, {
        service: 'monitoring',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
          ...extra,
        },
        body,
      });
    const big = JSON.stringify({
      Namespace: 'Big',
      MetricData: [{ MetricName: 'x'.repeat(1_100_000), Value: 1 }],
    });
    const tooLarge = await json(big);
    assert.equal(tooLarge.status, 413);
    const bomb = await json(
      gzipSync(JSON.stringify({ Namespace: 'Big', Pad: ' '.repeat(9 * 1024 * 1024) })),
      {
        'content-encoding': 'gzip',
      },
    );
    assert.equal(bomb.status, 413);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Big' }));
    assert.deepEqual(listed.Metrics, []);
  });

  describe('GetMetricStatistics rules', () => {
    const base = {
      Namespace: 'Proto/json',
      MetricName: 'Latency',
      Dimensions: [{ Name: 'Service', Value: 'web' }],
      StartTime: at(0),
      EndTime: at(5),
      Period: 60,
    };
    const rows: [string, object, string, string | RegExp][] = [
      [
        'no statistic',
        {},
        'InvalidParameterCombinationException',
        'Must specify either Statistics or ExtendedStatistics',
      ],
      [
        'more than 1,440 datapoints',
        { Statistics: ['Sum'], StartTime: new Date(T0 - 24 * 3_600_000), EndTime: at(1), Period: 60 },
        'InvalidParameterCombinationException',
        'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      ],
      [
        'EndTime before StartTime',
        { Statistics: ['Sum'], StartTime: at(5), EndTime: at(0) },
        'InvalidParameterValueException',
        'The parameter StartTime must be less than the parameter EndTime.',
      ],
      [
        'Period 61',
        { Statistics: ['Sum'], Period: 61 },
        'InvalidParameterValueException',
        /Period must be 1, 5, 10, 30 or a multiple of 60/,
      ],
      [
        'percentile p101',
        { ExtendedStatistics: ['p101'] },
        'InvalidParameterValueException',
        'The value p101 for parameter ExtendedStatistics.member.1 is invalid.',
      ],
    ];
    for (const [name, input, code, message] of rows) {
      it(name, async () => {
        const e = await awsError(() =>
          cw.send(new GetMetricStatisticsCommand({ ...base, ...input } as never)),
        );
        assert.equal(e.name, code);
        if (typeof message === 'string') assert.equal(e.message, message);
        else assert.match(e.message, message);
      });
    }
    it('filters by Unit', async () => {
      const ok = await cw.send(
        new GetMetricStatisticsCommand({ ...base, Statistics: ['Sum'], Unit: 'Milliseconds' }),
      );
      assert.equal(ok.Datapoints?.length, 2);
      const none = await cw.send(
        new GetMetricStatisticsCommand({ ...base, Statistics: ['Sum'], Unit: 'Bytes' }),
      );
      assert.deepEqual(none.Datapoints, []);
    });
  });

  describe('GetMetricData', () => {
    before(async () => {
      // Two hosts' Errors and Requests, minutes 0..4 (host b has no errors at minute 2).
      const MetricData: MetricDatum[] = [];
      for (const host of ['a', 'b'])
        for (let m = 0; m < 5; m++) {
          const Dimensions = [{ Name: 'Host', Value: host }];
          MetricData.push({ MetricName: 'Requests', Dimensions, Timestamp: at(m), Value: 100 });
          if (host === 'a' || m !== 2)
            MetricData.push({
              MetricName: 'Errors',
              Dimensions,
              Timestamp: at(m),
              Value: host === 'a' ? m : 10,
            });
        }
      await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData }));
    });
    const stat = (host: string, name: string, Stat = 'Sum') => ({
      Metric: { Namespace: 'Shop', MetricName: name, Dimensions: [{ Name: 'Host', Value: host }] },
      Period: 60,
      Stat,
    });
    const get = (queries: object[], extra: object = {}) =>
      cw.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(5),
          MetricDataQueries: queries as never,
          ...extra,
        }),
      );
    const minutes = (ts: Date[] | undefined) => (ts ?? []).map((d) => (d.getTime() - T0) / MIN);

    it("evaluates the docs' error-rate expression, hides ReturnData false, and scans ascending", async () => {
      const out = await get(
        [
          { Id: 'errors', MetricStat: stat('b', 'Errors'), ReturnData: false },
          { Id: 'requests', MetricStat: stat('b', 'Requests'), ReturnData: false },
          { Id: 'rate', Expression: 'errors / requests * 100', Label: 'Error rate' },
          { Id: 'filled', Expression: 'FILL(errors, 0)' },
          { Id: 'total', Expression: 'SUM(METRICS())' },
        ],
        { ScanBy: 'TimestampAscending' },
      );
      const r = out.MetricDataResults ?? [];
      assert.deepEqual(
        r.map((x) => [x.Id, x.Label]),
        [
          ['rate', 'Error rate'],
          ['filled', 'filled'],
          ['total', 'total'],
        ],
      );
      assert.deepEqual(
        [minutes(r[0].Timestamps), r[0].Values],
        [
          [0, 1, 3, 4],
          [10, 10, 10, 10],
        ],
      );
      assert.deepEqual(
        [minutes(r[1].Timestamps), r[1].Values],
        [
          [0, 1, 2, 3, 4],
          [10, 10, 0, 10, 10],
        ],
      );
      assert.deepEqual(r[2].Values, [110, 110, 100, 110, 110]);
      assert.deepEqual(out.Messages, []);
    });

    it("answers SEARCH with one result per metric, all under the query's Id", async () => {
      const out = await get([
        { Id: 's', Expression: `SEARCH('{Shop,Host} MetricName="Errors"', 'Sum', 60)` },
      ]);
      const r = out.MetricDataResults ?? [];
      assert.deepEqual(
        r.map((x) => [x.Id, x.Label, x.Values?.length]),
        [
          ['s', 'a', 5],
          ['s', 'b', 4],
        ],
      );
      const summed = await get([
        { Id: 's', Expression: `SEARCH('{Shop,Host} Errors', 'Sum', 60)`, ReturnData: false },
        { Id: 'all', Expression: 'SUM(s)', Label: 'All errors' },
      ]);
      assert.deepEqual(summed.MetricDataResults?.[0].Values, [14, 13, 2, 11, 10]);
    });

    it('fills dynamic labels per series', async () => {
      const out = await get([
        {
          Id: 'm',
          MetricStat: stat('a', 'Errors', 'Maximum'),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch's dynamic label syntax.
          Label: "${PROP('Dim.Host')} ${PROP('Stat')}: max ${MAX}, ${DATAPOINT_COUNT} points",
        },
        {
          Id: 's',
          Expression: `SEARCH('{Shop,Host} MetricName="Errors"', 'Sum', 60)`,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch's dynamic label syntax.
          Label: "[${LABEL}] ${PROP('MetricName')} in ${PROP('Region')} sums ${SUM} ${NOPE}",
        },
      ]);
      assert.deepEqual(
        out.MetricDataResults?.map((r) => r.Label),
        [
          'a Maximum: max 4, 5 points',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch's dynamic label syntax.
          '[a] Errors in us-east-1 sums 10 ${NOPE}',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch's dynamic label syntax.
          '[b] Errors in us-east-1 sums 40 ${NOPE}',
        ],
      );
    });

    it('pages by MaxDatapoints with PartialData and NextToken', async () => {
      const queries = [
        { Id: 'a', MetricStat: stat('a', 'Requests') },
        { Id: 'b', MetricStat: stat('b', 'Requests') },
      ];
      const seen: [string | undefined, string | undefined, number][] = [];
      let NextToken: string | undefined;
      do {
        const page = await get(queries, { MaxDatapoints: 3, ...(NextToken ? { NextToken } : {}) });
        for (const r of page.MetricDataResults ?? []) seen.push([r.Id, r.StatusCode, r.Values?.length ?? 0]);
        NextToken = page.NextToken;
      } while (NextToken);
      assert.deepEqual(seen, [
        ['a', 'PartialData', 3],
        ['a', 'Complete', 2],
        ['b', 'PartialData', 1],
        ['b', 'PartialData', 3],
        ['b', 'Complete', 1],
      ]);
      const e = await awsError(() => get(queries, { NextToken: 'nope' }));
      assert.equal(e.name, 'InvalidNextToken');
    });

    it('answers ValidationError over Query', async () => {
      const res = await rawAws(t.plane.endpoint, {
        service: 'monitoring',
        path: '/',
        ...form({
          Action: 'GetMetricData',
          Version: '2010-08-01',
          StartTime: at(0).toISOString(),
          EndTime: at(5).toISOString(),
          'MetricDataQueries.member.1.Id': 'x',
          'MetricDataQueries.member.1.Expression': '1 +',
        }),
      });
      assert.equal(res.status, 400);
      assert.match(res.text, /<Code>ValidationError<\/Code>/);
      assert.match(res.text, /Expression is not valid: Unexpected end of expression/);
    });

    it('refuses a range of decades at one second instead of filling it', async () => {
      const e = await awsError(() =>
        get([{ Id: 'e', Expression: 'TIME_SERIES(1)', Period: 1 }], {
          StartTime: new Date(0),
          EndTime: at(5),
        }),
      );
      assert.equal(e.name, 'ValidationException');
      assert.match(e.message, /time range holds more than 1,000,000 periods of 1 seconds/);
    });

    it('answers percentiles in MetricStat', async () => {
      const out = await get([{ Id: 'p', MetricStat: { ...stat('a', 'Errors', 'p90'), Period: 300 } }]);
      assert.deepEqual(out.MetricDataResults?.[0].Values, [4]);
    });

    const invalid: [string, object[], string | RegExp][] = [
      [
        'a query with neither MetricStat nor Expression',
        [{ Id: 'x' }],
        'The parameter MetricDataQueries.member.1.MetricStat is required.\n',
      ],
      [
        'both MetricStat and Expression',
        [{ Id: 'x', MetricStat: stat('a', 'Errors'), Expression: '1' }],
        'The parameters MetricDataQueries.member.1.MetricStat and MetricDataQueries.member.1.Expression are mutually exclusive and you have specified both.\n',
      ],
      [
        'two bad statistics, one line each',
        [
          { Id: 'x', MetricStat: stat('a', 'Errors', 'Median') },
          { Id: 'y', MetricStat: stat('a', 'Errors', 'p200') },
        ],
        'The value for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.\nThe value for parameter MetricDataQueries.member.2.MetricStat.Stat is not a valid statistic.\n',
      ],
      [
        'an Id with a capital',
        [{ Id: 'Bad', Expression: '1' }],
        /MetricDataQueries\.member\.1\.Id is invalid/,
      ],
      [
        'a duplicate Id',
        [
          { Id: 'x', Expression: '1' },
          { Id: 'x', Expression: '2' },
        ],
        /member\.2\.Id is not unique/,
      ],
      [
        'a syntax error',
        [{ Id: 'e', Expression: 'SUM(m1' }],
        /^The value for parameter MetricDataQueries\.member\.1\.Expression is not valid: Expected '\)'/,
      ],
      [
        'an unknown id',
        [{ Id: 'e', Expression: 'm9 + 1' }],
        /Expression is not valid: Unknown metric or expression id "m9"\./,
      ],
      [
        'a circular reference',
        [
          { Id: 'a', Expression: 'b + 1' },
          { Id: 'b', Expression: 'a * 2' },
        ],
        /Circular reference/,
      ],
      ['an unknown function', [{ Id: 'e', Expression: 'MEDIAN(1)' }], /Unknown function MEDIAN/],
      ['a bad search', [{ Id: 'e', Expression: `SEARCH('{Shop', 'Sum', 60)` }], /Malformed schema/],
    ];
    for (const [name, queries, message] of invalid) {
      it(`ValidationError: ${name}`, async () => {
        const e = await awsError(() => get(queries));
        // AWS JSON names it ValidationException; its Query code (x-amzn-query-error) is ValidationError.
        assert.equal([e.name, e.status].join(' '), 'ValidationException 400');
        if (typeof message === 'string') assert.equal(e.message, message);
        else assert.match(e.message, message);
      });
    }
  });

  it('serves `aws cloudwatch` put-metric-data, get-metric-statistics, get-metric-data and list-metrics', async () => {
    const cli = async (...args: string[]) => {
      const { stdout } = await run(
        'aws',
        ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'cloudwatch', ...args],
        {
          env: awsCliEnv(),
        },
      );
      return stdout.trim() === '' ? {} : JSON.parse(stdout);
    };
    const ts = at(4).toISOString();
    await cli(
      'put-metric-data',
      '--namespace',
      'Cli',
      '--metric-name',
      'Jobs',
      '--dimensions',
      'Queue=q1',
      '--value',
      '3',
      '--unit',
      'Count',
      '--timestamp',
      ts,
    );
    await cli(
      'put-metric-data',
      '--namespace',
      'Cli',
      '--metric-data',
      JSON.stringify([
        {
          MetricName: 'Jobs',
          Dimensions: [{ Name: 'Queue', Value: 'q1' }],
          Timestamp: ts,
          Values: [1, 5],
          Counts: [2, 1],
          Unit: 'Count',
        },
      ]),
    );
    const stats = await cli(
      'get-metric-statistics',
      '--namespace',
      'Cli',
      '--metric-name',
      'Jobs',
      '--dimensions',
      'Name=Queue,Value=q1',
      '--start-time',
      at(0).toISOString(),
      '--end-time',
      at(6).toISOString(),
      '--period',
      '60',
      '--statistics',
      'Sum',
      'SampleCount',
      '--extended-statistics',
      'p50',
    );
    // The CLI prints the timestamp as the protocol carried it (epoch seconds over AWS JSON).
    const when = (v: string | number) => new Date(typeof v === 'number' ? v * 1000 : v).getTime();
    assert.deepEqual(
      stats.Datapoints.map((d: { Timestamp: string | number }) => ({ ...d, Timestamp: when(d.Timestamp) })),
      [
        {
          Timestamp: at(4).getTime(),
          Sum: 10,
          SampleCount: 4,
          Unit: 'Count',
          ExtendedStatistics: { p50: 1 },
        },
      ],
    );
    const listed = await cli('list-metrics', '--namespace', 'Cli');
    assert.deepEqual(listed.Metrics, [
      { Namespace: 'Cli', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }] },
    ]);
    const data = await cli(
      'get-metric-data',
      '--start-time',
      at(0).toISOString(),
      '--end-time',
      at(6).toISOString(),
      '--metric-data-queries',
      JSON.stringify([
        {
          Id: 'j',
          MetricStat: {
            Metric: { Namespace: 'Cli', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }] },
            Period: 60,
            Stat: 'Maximum',
          },
        },
        { Id: 'e', Expression: 'j + 1' },
      ]),
    );
    assert.deepEqual(
      data.MetricDataResults.map((r: { Id: string; Values: number[]; StatusCode: string }) => [
        r.Id,
        r.Values,
        r.StatusCode,
      ]),
      [
        ['j', [5], 'Complete'],
        ['e', [6], 'Complete'],
      ],
    );
  });
});
