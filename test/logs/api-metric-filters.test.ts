/** Metric filters: Put/Describe/Delete/TestMetricFilter, and matching events becoming CloudWatch metric data. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { metricMinutes } from '../../src/cloudwatch/model/metric-data.ts';
import { awsError, type TestPlane } from '../support/control-plane.ts';
import { startLogsPlane } from './logs-plane.ts';

const G = 'metrics/g';
const ACCESS_PATTERN = '[ip, user, username, timestamp, request, status_code, bytes]';

describe('CloudWatch Logs metric filters', () => {
  let t: TestPlane;
  let logs: CloudWatchLogsClient;
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const minutesOf = (name: string, dims: { name: string; value: string }[] = []) =>
    metricMinutes(
      t.plane.regions.context('us-east-1').store,
      'App',
      name,
      dims,
      minute - 60_000,
      minute + 120_000,
    );
  before(async () => {
    ({ t, logs } = await startLogsPlane());
    await logs.send(new CreateLogGroupCommand({ logGroupName: G }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: G, logStreamName: 's' }));
  });
  after(async () => {
    logs.destroy();
    await t.stop();
  });

  it('puts, describes and deletes metric filters', async () => {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: G,
        filterName: 'errors',
        filterPattern: 'ERROR',
        metricTransformations: [
          { metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 },
        ],
      }),
    );
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: G,
        filterName: 'latency',
        filterPattern: '{ $.latency > 0 }',
        metricTransformations: [
          {
            metricName: 'Latency',
            metricNamespace: 'App',
            metricValue: '$.latency',
            unit: 'Milliseconds',
            dimensions: { Route: '$.route' },
          },
        ],
      }),
    );
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: G,
        filterName: 'bytes',
        filterPattern: ACCESS_PATTERN,
        metricTransformations: [
          { metricName: 'Bytes', metricNamespace: 'App', metricValue: '$bytes', unit: 'Bytes' },
        ],
      }),
    );
    const all = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: G }));
    assert.deepEqual(
      all.metricFilters?.map((f) => f.filterName),
      ['bytes', 'errors', 'latency'],
    );
    const byMetric = await logs.send(
      new DescribeMetricFiltersCommand({ metricName: 'Errors', metricNamespace: 'App' }),
    );
    assert.deepEqual(
      byMetric.metricFilters?.map((f) => f.filterName),
      ['errors'],
    );
    assert.deepEqual(byMetric.metricFilters![0]!.metricTransformations, [
      { metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 },
    ]);
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: G }))).logGroups![0]!;
    assert.equal(group.metricFilterCount, 3);
  });

  it('refuses bad patterns, dimensions with a default value and missing groups', async () => {
    const put = (extra: object) =>
      logs.send(
        new PutMetricFilterCommand({
          logGroupName: G,
          filterName: 'bad',
          filterPattern: 'x',
          metricTransformations: [{ metricName: 'M', metricNamespace: 'App', metricValue: '1' }],
          ...extra,
        }),
      );
    let e = await awsError(() => put({ filterPattern: '{ $.x = }' }));
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.message, 'Invalid metric filter pattern');
    e = await awsError(() =>
      put({
        metricTransformations: [
          {
            metricName: 'M',
            metricNamespace: 'App',
            metricValue: '1',
            defaultValue: 0,
            dimensions: { a: '$.a' },
          },
        ],
      }),
    );
    assert.equal(e.name, 'InvalidParameterException');
    e = await awsError(() => put({ logGroupName: 'nope' }));
    assert.equal(e.name, 'ResourceNotFoundException');
  });

  it('turns matching events into metric data, with values and dimensions from the event', async () => {
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: 's',
        logEvents: [
          { timestamp: now, message: 'ERROR boom' },
          { timestamp: now, message: 'ERROR again' },
          { timestamp: now, message: JSON.stringify({ route: '/a', latency: 120 }) },
          { timestamp: now, message: JSON.stringify({ route: '/a', latency: 80 }) },
          {
            timestamp: now,
            message: '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /x HTTP/1.0" 200 1534',
          },
        ],
      }),
    );
    const eventMinute = Math.floor(now / 60_000) * 60_000;
    const errors = await minutesOf('Errors');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.minute, eventMinute);
    // Two matches count 1 each; the three other events emit the default value 0.
    assert.deepEqual([errors[0]!.sampleCount, errors[0]!.sum, errors[0]!.maximum], [5, 2, 1]);
    const latency = await minutesOf('Latency', [{ name: 'Route', value: '/a' }]);
    assert.deepEqual(
      [latency[0]!.sampleCount, latency[0]!.sum, latency[0]!.minimum, latency[0]!.unit],
      [2, 200, 80, 'Milliseconds'],
    );
    const bytes = await minutesOf('Bytes');
    assert.equal(bytes[0]!.sum, 1534);
  });

  it('tests a pattern against messages, with extracted values', async () => {
    const out = await logs.send(
      new TestMetricFilterCommand({
        filterPattern: '[ip, user, username, timestamp, request, status_code = 4*, bytes]',
        logEventMessages: [
          '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534',
          '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
        ],
      }),
    );
    assert.equal(out.matches?.length, 1);
    assert.equal(out.matches![0]!.eventNumber, 1);
    assert.equal(out.matches![0]!.extractedValues!.$status_code, '404');
    assert.equal(out.matches![0]!.extractedValues!.$request, 'GET /apache_pb.gif HTTP/1.0');
    const e = await awsError(() =>
      logs.send(new TestMetricFilterCommand({ filterPattern: '[a,', logEventMessages: ['x'] })),
    );
    assert.equal(e.message, 'Invalid metric filter pattern');
  });

  it('allows five filters with a regular expression per group', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'metrics/regex' }));
    const put = (i: number) =>
      logs.send(
        new PutMetricFilterCommand({
          logGroupName: 'metrics/regex',
          filterName: `r${i}`,
          filterPattern: `%ERR${i}%`,
          metricTransformations: [{ metricName: `R${i}`, metricNamespace: 'App', metricValue: '1' }],
        }),
      );
    for (let i = 0; i < 5; i++) await put(i);
    await put(4); // replacing one is no new filter
    const e = await awsError(() => put(5));
    assert.equal(e.name, 'LimitExceededException');
  });

  it('deletes a metric filter, then says it does not exist', async () => {
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: G, filterName: 'errors' }));
    const e = await awsError(() =>
      logs.send(new DeleteMetricFilterCommand({ logGroupName: G, filterName: 'errors' })),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'The specified metric filter does not exist.');
  });
});
