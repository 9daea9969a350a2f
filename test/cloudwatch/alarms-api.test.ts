/**
 * CloudWatch alarms through the real `@aws-sdk/client-cloudwatch` (AWS JSON 1.0 and Query) and the
 * `aws` CLI against an in-process control plane: PutMetricAlarm / PutCompositeAlarm validation
 * (nothing written on a rejected request), DescribeAlarms filters and paging,
 * DescribeAlarmsForMetric, SetAlarmState with its history, event and actions, DescribeAlarmHistory,
 * Enable/DisableAlarmActions, DeleteAlarms and tags.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  ListTagsForResourceCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmInput,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import type { AlarmAction } from '../../src/cloudwatch/model/alarm-actions.ts';
import type { OutboxRecord } from '../../src/events/model/publish-events.ts';
import { Kind } from '../../src/store/store.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';

const run = promisify(execFile);
const ACCOUNT = '000000000000';
const arn = (name: string) => `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`;
const POLICY = `arn:aws:autoscaling:us-east-1:${ACCOUNT}:scalingPolicy:1:resource/ecs/service/c/web:policyName/out`;

const base: PutMetricAlarmInput = {
  AlarmName: 'base',
  Namespace: 'App',
  MetricName: 'Latency',
  Dimensions: [{ Name: 'Service', Value: 'web' }],
  Statistic: 'Average',
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 100,
  ComparisonOperator: 'GreaterThanThreshold',
};

describe('CloudWatch alarms API', () => {
  let t: TestPlane;
  let cw: CloudWatchClient;
  let query: CloudWatchClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    const config = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    cw = new CloudWatchClient(config);
    query = new CloudWatchClient({ ...config, protocol: AwsQueryProtocol } as CloudWatchClientConfig);
  });
  after(async () => {
    cw.destroy();
    query.destroy();
    await t.stop();
  });

  const put = (input: Partial<PutMetricAlarmInput>) =>
    cw.send(new PutMetricAlarmCommand({ ...base, ...input } as PutMetricAlarmInput));
  const describeNames = async (input: DescribeAlarmsCommandInput) => {
    const out = await cw.send(new DescribeAlarmsCommand(input));
    return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => a.AlarmName);
  };

  const INVALID: [string, Partial<PutMetricAlarmInput>, string, RegExp][] = [
    ['no metric', { MetricName: undefined }, 'MissingRequiredParameterException', /MetricName/],
    [
      'both statistics',
      { ExtendedStatistic: 'p99' },
      'InvalidParameterCombinationException',
      /mutually exclusive/,
    ],
    [
      'no statistic',
      { Statistic: undefined },
      'InvalidParameterCombinationException',
      /Statistic or ExtendedStatistic/,
    ],
    [
      'bad extended statistic',
      { Statistic: undefined, ExtendedStatistic: 'p101' },
      'InvalidParameterValueException',
      /ExtendedStatistic/,
    ],
    ['period 45', { Period: 45 }, 'ValidationException', /10, 30 or a multiple of 60/],
    ['more than a day', { Period: 3000, EvaluationPeriods: 30 }, 'ValidationException', /more than a day/],
    ['M > N', { DatapointsToAlarm: 4 }, 'ValidationException', /DatapointsToAlarm/],
    [
      'bad treat missing data',
      { TreatMissingData: 'sometimes' },
      'InvalidParameterValueException',
      /TreatMissingData/,
    ],
    [
      'low sample count without percentile',
      { EvaluateLowSampleCountPercentile: 'ignore' },
      'ValidationException',
      /percentile/,
    ],
    [
      'band operator without ThresholdMetricId',
      { ComparisonOperator: 'LessThanLowerThreshold' },
      'ValidationException',
      /ThresholdMetricId/,
    ],
    [
      'band operator with ThresholdMetricId',
      { ComparisonOperator: 'GreaterThanUpperThreshold', ThresholdMetricId: 'ad1' },
      'ValidationException',
      /anomaly detection/,
    ],
    ['no threshold', { Threshold: undefined }, 'MissingRequiredParameterException', /Threshold/],
    [
      'six actions',
      { AlarmActions: Array.from({ length: 6 }, (_, i) => `arn:aws:sns:us-east-1:${ACCOUNT}:t${i}`) },
      'InvalidParameterValueException',
      /greater than 5/,
    ],
    ['bad action arn', { OKActions: ['not-an-arn'] }, 'ValidationException', /Invalid arn syntax/],
    ['bad unit', { Unit: 'Parsecs' as never }, 'InvalidParameterValueException', /Unit/],
    ['long name', { AlarmName: 'x'.repeat(256) }, 'InvalidParameterValueException', /AlarmName/],
    [
      'metrics with two results',
      {
        Namespace: undefined,
        MetricName: undefined,
        Dimensions: undefined,
        Statistic: undefined,
        Period: undefined,
        Metrics: [
          { Id: 'a', MetricStat: { Metric: { Namespace: 'App', MetricName: 'A' }, Period: 60, Stat: 'Sum' } },
          { Id: 'b', MetricStat: { Metric: { Namespace: 'App', MetricName: 'B' }, Period: 60, Stat: 'Sum' } },
        ],
      },
      'ValidationException',
      /Exactly one element of the metrics list should return data/,
    ],
    [
      'metrics with a malformed expression',
      {
        Namespace: undefined,
        MetricName: undefined,
        Dimensions: undefined,
        Statistic: undefined,
        Period: undefined,
        Metrics: [
          {
            Id: 'a',
            ReturnData: false,
            MetricStat: { Metric: { Namespace: 'App', MetricName: 'A' }, Period: 60, Stat: 'Sum' },
          },
          { Id: 'e', Expression: 'a +* 2' },
        ],
      },
      'ValidationException',
      /Metrics\.member\.2\.Expression/,
    ],
    [
      'metrics and a metric name',
      { Metrics: [{ Id: 'e', Expression: '1' }] },
      'InvalidParameterCombinationException',
      /Metrics and MetricName/,
    ],
  ];
  for (const [name, input, code, message] of INVALID)
    it(`PutMetricAlarm refuses ${name} and writes nothing`, async () => {
      const alarmName = `bad-${name.replaceAll(' ', '-')}`.slice(0, 200);
      const e = await awsError(() => put({ AlarmName: alarmName, ...input }));
      assert.equal(e.name, code);
      assert.match(e.message, message);
      assert.equal(e.status, 400);
      assert.deepEqual(
        await describeNames({ AlarmNamePrefix: 'bad-', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
        [],
      );
    });

  it('Query protocol: the wire code is ValidationError', async () => {
    const res = await rawAws(t.plane.endpoint, {
      service: 'monitoring',
      path: '/',
      ...form({
        Action: 'PutMetricAlarm',
        Version: '2010-08-01',
        AlarmName: 'q',
        Namespace: 'App',
        MetricName: 'Latency',
        Statistic: 'Average',
        Period: '45',
        EvaluationPeriods: '1',
        Threshold: '1',
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /<Code>ValidationError<\/Code>/);
    // The SDK over Query reads it too.
    const e = await awsError(() =>
      query.send(new PutMetricAlarmCommand({ ...base, AlarmName: 'q', Period: 45 })),
    );
    assert.equal(e.status, 400);
  });

  it('creates alarms in INSUFFICIENT_DATA and describes them with every filter and paging', async () => {
    await put({ AlarmName: 'web-latency', AlarmActions: [POLICY], Tags: [{ Key: 'team', Value: 'web' }] });
    await put({
      AlarmName: 'web-errors',
      MetricName: 'Errors',
      Statistic: 'Sum',
      OKActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:ops`],
    });
    await put({
      AlarmName: 'db-p99',
      MetricName: 'Latency',
      Statistic: undefined,
      ExtendedStatistic: 'p99',
      Period: 300,
      EvaluationPeriods: 2,
    });
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-latency'] }));
    assert.equal(out.CompositeAlarms, undefined);
    const a = out.MetricAlarms?.[0];
    assert.equal(a?.AlarmArn, arn('web-latency'));
    assert.equal(a?.StateValue, 'INSUFFICIENT_DATA');
    assert.equal(a?.StateReason, 'Unchecked: Initial alarm creation');
    assert.equal(a?.ActionsEnabled, true);
    assert.deepEqual(a?.AlarmActions, [POLICY]);
    assert.deepEqual(a?.Dimensions, [{ Name: 'Service', Value: 'web' }]);
    assert.ok(a?.AlarmConfigurationUpdatedTimestamp instanceof Date);
    assert.deepEqual(await describeNames({ AlarmNamePrefix: 'web-' }), ['web-errors', 'web-latency']);
    assert.deepEqual(await describeNames({ ActionPrefix: 'arn:aws:sns:' }), ['web-errors']);
    assert.deepEqual(await describeNames({ AlarmNamePrefix: 'web-', StateValue: 'ALARM' }), []);
    const page1 = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2 }));
    assert.equal(page1.MetricAlarms?.length, 2);
    assert.ok(page1.NextToken);
    const page2 = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: page1.NextToken }));
    assert.ok((page2.MetricAlarms?.length ?? 0) >= 1);
    assert.equal(
      (await awsError(() => cw.send(new DescribeAlarmsCommand({ NextToken: 'junk' })))).name,
      'InvalidNextToken',
    );
    const both = await awsError(() =>
      cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
    );
    assert.equal(both.name, 'InvalidParameterCombinationException');
    // DescribeAlarmsForMetric: the metric and its dimensions exactly.
    const forMetric = await cw.send(
      new DescribeAlarmsForMetricCommand({
        Namespace: 'App',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'web' }],
      }),
    );
    assert.deepEqual(forMetric.MetricAlarms?.map((x) => x.AlarmName).sort(), ['db-p99', 'web-latency']);
    const p99 = await cw.send(
      new DescribeAlarmsForMetricCommand({
        Namespace: 'App',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'web' }],
        ExtendedStatistic: 'p99',
      }),
    );
    assert.deepEqual(
      p99.MetricAlarms?.map((x) => x.AlarmName),
      ['db-p99'],
    );
    // Tags.
    assert.deepEqual(
      (await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn('web-latency') }))).Tags,
      [{ Key: 'team', Value: 'web' }],
    );
    await cw.send(
      new TagResourceCommand({ ResourceARN: arn('web-latency'), Tags: [{ Key: 'tier', Value: '1' }] }),
    );
    await cw.send(new UntagResourceCommand({ ResourceARN: arn('web-latency'), TagKeys: ['team'] }));
    assert.deepEqual(
      (await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn('web-latency') }))).Tags,
      [{ Key: 'tier', Value: '1' }],
    );
    const missing = await awsError(() =>
      cw.send(new ListTagsForResourceCommand({ ResourceARN: arn('nope') })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('SetAlarmState: history, event in the outbox, and the registered action is invoked', async () => {
    const invoked: AlarmAction[] = [];
    const unregister = t.plane.alarmActions.register('arn:aws:autoscaling:', async (a) => {
      invoked.push(a);
    });
    await put({ AlarmName: 'set-me', AlarmActions: [POLICY, `arn:aws:sns:us-east-1:${ACCOUNT}:pager`] });
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'set-me',
        StateValue: 'ALARM',
        StateReason: 'testing',
        StateReasonData: '{"k":1}',
      }),
    );
    const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['set-me'] }))).MetricAlarms?.[0];
    assert.equal(a?.StateValue, 'ALARM');
    assert.equal(a?.StateReason, 'testing');
    assert.equal(a?.StateReasonData, '{"k":1}');
    for (let i = 0; i < 100 && invoked.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    unregister();
    assert.equal(invoked.length, 1);
    assert.equal(invoked[0].arn, POLICY);
    assert.equal(invoked[0].alarmArn, arn('set-me'));
    assert.equal(invoked[0].reason, 'testing');
    const events = (await t.plane.ecs.store.list<OutboxRecord>(Kind.EventOutbox)).filter(
      (r) =>
        r.value.event.source === 'aws.cloudwatch' &&
        (r.value.event.detail as { alarmName: string }).alarmName === 'set-me',
    );
    // (The EventBridge controller may already have delivered and removed it; when present it is well formed.)
    for (const e of events) assert.equal(e.value.event['detail-type'], 'CloudWatch Alarm State Change');
    let history = { AlarmHistoryItems: [] as { HistoryItemType?: string; HistorySummary?: string }[] };
    for (let i = 0; i < 100; i++) {
      history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'set-me' }))) as typeof history;
      if (history.AlarmHistoryItems.filter((h) => h.HistoryItemType === 'Action').length === 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const kinds = history.AlarmHistoryItems.map((h) => h.HistoryItemType);
    assert.equal(kinds.at(-1), 'ConfigurationUpdate');
    assert.ok(kinds.includes('StateUpdate'));
    const summaries = history.AlarmHistoryItems.map((h) => h.HistorySummary ?? '');
    assert.ok(summaries.includes('Alarm updated from INSUFFICIENT_DATA to ALARM'));
    assert.ok(summaries.some((s) => s.startsWith(`Successfully executed action ${POLICY}`)));
    assert.ok(summaries.some((s) => s.startsWith('Failed to execute action arn:aws:sns:')));
    const ascending = await cw.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'set-me',
        ScanBy: 'TimestampAscending',
        HistoryItemType: 'StateUpdate',
        MaxRecords: 1,
      }),
    );
    assert.equal(
      ascending.AlarmHistoryItems?.[0].HistorySummary,
      'Alarm updated from INSUFFICIENT_DATA to ALARM',
    );
    const bad = await awsError(() =>
      cw.send(
        new SetAlarmStateCommand({
          AlarmName: 'set-me',
          StateValue: 'OK',
          StateReason: 'x',
          StateReasonData: '{nope',
        }),
      ),
    );
    assert.equal(bad.name, 'InvalidFormatFault');
    const gone = await awsError(() =>
      cw.send(new SetAlarmStateCommand({ AlarmName: 'nobody', StateValue: 'OK', StateReason: 'x' })),
    );
    assert.equal(gone.name, 'ResourceNotFound');
    // Disabled actions: a state change queues nothing.
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['set-me'] }));
    assert.equal(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['set-me'] }))).MetricAlarms?.[0].ActionsEnabled,
      false,
    );
  });

  it('composite alarms: rule validation, children and parents, deletion rules', async () => {
    await put({ AlarmName: 'child-a' });
    await put({ AlarmName: 'child b' });
    const rule =
      'ALARM(child-a) OR (ALARM("child b") AND NOT INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:000000000000:alarm:child-a))';
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'parent', AlarmRule: rule }));
    const out = await cw.send(
      new DescribeAlarmsCommand({ AlarmNames: ['parent'], AlarmTypes: ['CompositeAlarm'] }),
    );
    assert.equal(out.MetricAlarms, undefined);
    assert.equal(out.CompositeAlarms?.[0].AlarmRule, rule);
    const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'parent' }));
    assert.deepEqual(children.MetricAlarms?.map((a) => a.AlarmName).sort(), ['child b', 'child-a']);
    const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'child-a' }));
    assert.deepEqual(
      parents.CompositeAlarms?.map((a) => a.AlarmName),
      ['parent'],
    );
    const BAD: [string, RegExp][] = [
      ['ALARM(child-a) AND', /position/],
      ['ALARM(child-a) XOR ALARM("child b")', /unexpected "XOR"/],
      ['alarm(child-a)', /unexpected "alarm"/],
      ['(ALARM(child-a)', /expected "\)"/],
      ['ALARM(ghost)', /alarms \[ghost\] in the alarm rule do not exist/],
      ['ALARM(parent2)', /circular/],
    ];
    for (const [r, message] of BAD) {
      const e = await awsError(() =>
        cw.send(new PutCompositeAlarmCommand({ AlarmName: 'parent2', AlarmRule: r })),
      );
      assert.equal(e.name, 'ValidationException', r);
      assert.match(e.message, message, r);
    }
    assert.deepEqual(await describeNames({ AlarmNames: ['parent2'], AlarmTypes: ['CompositeAlarm'] }), []);
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'always', AlarmRule: 'TRUE' }));
    const asg = await awsError(() =>
      cw.send(
        new PutCompositeAlarmCommand({ AlarmName: 'parent3', AlarmRule: 'FALSE', AlarmActions: [POLICY] }),
      ),
    );
    assert.match(asg.message, /Auto Scaling/);
    const blocked = await awsError(() => cw.send(new DeleteAlarmsCommand({ AlarmNames: ['child-a'] })));
    assert.equal(blocked.name, 'ValidationException');
    assert.deepEqual(await describeNames({ AlarmNames: ['child-a'] }), ['child-a']);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['parent', 'child-a', 'never-existed'] }));
    assert.deepEqual(
      await describeNames({
        AlarmNames: ['parent', 'child-a'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
      [],
    );
    // Deleted alarms keep their history.
    const h = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'child-a' }));
    assert.equal(h.AlarmHistoryItems?.[0].HistorySummary, 'Alarm "child-a" deleted');
  });

  it('aws CLI: put-metric-alarm, describe-alarms, set-alarm-state', async () => {
    const env = awsCliEnv();
    const cli = (...args: string[]) =>
      run('aws', ['--endpoint-url', t.plane.endpoint, 'cloudwatch', ...args, '--output', 'json'], { env });
    await cli(
      'put-metric-alarm',
      '--alarm-name',
      'cli-cpu',
      '--namespace',
      'AWS/ECS',
      '--metric-name',
      'CPUUtilization',
      '--dimensions',
      'Name=ClusterName,Value=default',
      '--statistic',
      'Average',
      '--period',
      '60',
      '--evaluation-periods',
      '2',
      '--threshold',
      '75',
      '--comparison-operator',
      'GreaterThanThreshold',
      '--treat-missing-data',
      'notBreaching',
    );
    await cli(
      'set-alarm-state',
      '--alarm-name',
      'cli-cpu',
      '--state-value',
      'OK',
      '--state-reason',
      'by hand',
    );
    const { stdout } = await cli('describe-alarms', '--alarm-names', 'cli-cpu');
    const alarm = JSON.parse(stdout).MetricAlarms[0];
    assert.equal(alarm.AlarmName, 'cli-cpu');
    assert.equal(alarm.StateValue, 'OK');
    assert.equal(alarm.TreatMissingData, 'notBreaching');
    assert.equal(alarm.Threshold, 75);
    const err = await cli('describe-alarms', '--state-value', 'SOMETIMES').then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(err, /SOMETIMES/);
  });
});
