/**
 * Alarm evaluation with an injected clock over a real SQLite store: CloudWatch's missing-data
 * table (N = M = 3), M-of-N, reasons and StateReasonData, metric math alarms, composite alarms,
 * history, events in the EventBridge outbox, action invocation (registered and not) and the
 * repeat rule for Auto Scaling actions, and a restart in the middle of a state change.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AlarmActionRegistry, type AlarmAction } from '../../src/cloudwatch/model/alarm-actions.ts';
import { evaluateMetricAlarm } from '../../src/cloudwatch/model/alarm-evaluate.ts';
import { listHistory } from '../../src/cloudwatch/model/alarm-history.ts';
import type { MetricAlarmRecord } from '../../src/cloudwatch/model/alarm-records.ts';
import { getAlarm, putAlarm, putCompositeAlarm } from '../../src/cloudwatch/model/alarms.ts';
import { putMetricData } from '../../src/cloudwatch/model/metric-data.ts';
import { seededRng } from '../../src/core/clock.ts';
import { AlarmEvaluationController } from '../../src/controllers/alarm-evaluation/alarm-evaluation-controller.ts';
import type { OutboxRecord } from '../../src/events/model/publish-events.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../../src/store/store.ts';

const MIN = 60_000;
/** A fixed minute boundary: 2024-05-01T12:00:00Z. */
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const partition = { region: 'us-east-1', accountId: '000000000000' };

function harness() {
  const store = SqliteStore.open(':memory:');
  let now = T0;
  const clock = { now: () => now };
  const ctx = { partition, clock, rng: seededRng(7) };
  const actions = new AlarmActionRegistry();
  const controller = new AlarmEvaluationController({ store, ...ctx, actions, intervalMs: MIN });
  return {
    store,
    ctx,
    actions,
    controller,
    at: (ms: number) => {
      now = ms;
    },
    put: (metric: string, minute: number, value: number) =>
      putMetricData(store, [
        {
          namespace: 'Test',
          metricName: metric,
          dimensions: [],
          timestamp: T0 + minute * MIN + 1000,
          unit: 'None',
          storageResolution: 60,
          sampleCount: 1,
          sum: value,
          minimum: value,
          maximum: value,
          values: [value],
        },
      ]),
    alarm: (name: string, extra: Record<string, unknown> = {}) =>
      store.transact((tx) =>
        putAlarm(tx, ctx, {
          AlarmName: name,
          Namespace: 'Test',
          MetricName: name,
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
          Threshold: 50,
          ComparisonOperator: 'GreaterThanThreshold',
          ...extra,
        }),
      ),
  };
}

describe('alarm evaluation', () => {
  const stores: SqliteStore[] = [];
  after(async () => {
    for (const s of stores) await s.close();
  });

  // CloudWatch's "how alarm state is evaluated when data is missing" table: EvaluationPeriods and
  // DatapointsToAlarm 3, five periods oldest first (X breaching, 0 not breaching, - missing).
  const TABLE: [string, Record<string, string>][] = [
    ['0 - X - X', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['0 - - - -', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['- - - - -', { missing: 'INSUFFICIENT_DATA', ignore: 'kept', breaching: 'ALARM', notBreaching: 'OK' }],
    ['0 X X - X', { missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' }],
    ['- - X - -', { missing: 'ALARM', ignore: 'kept', breaching: 'ALARM', notBreaching: 'OK' }],
  ];
  for (const [row, expected] of TABLE)
    for (const [treat, want] of Object.entries(expected))
      it(`${row} with ${treat}: ${want}`, () => {
        const now = T0 + 5 * MIN + 30_000;
        const points = row
          .split(' ')
          .flatMap((c, i) =>
            c === '-' ? [] : [{ timestamp: T0 + i * MIN, value: c === 'X' ? 100 : 0, sampleCount: 1 }],
          );
        const alarm = metricAlarm({ treatMissingData: treat as MetricAlarmRecord['treatMissingData'] });
        const change = evaluateMetricAlarm(alarm, points, now);
        assert.equal(change?.value ?? 'kept', want);
      });

  it('M of N: 2 of 3 breaching datapoints alarm, with the reason CloudWatch writes', () => {
    const alarm = metricAlarm({ datapointsToAlarm: 2, state: { ...metricAlarm().state, value: 'OK' } });
    const now = T0 + 3 * MIN + 10_000;
    const points = [
      { timestamp: T0, value: 99.5, sampleCount: 1 },
      { timestamp: T0 + MIN, value: 10, sampleCount: 1 },
      { timestamp: T0 + 2 * MIN, value: 60, sampleCount: 1 },
    ];
    const change = evaluateMetricAlarm(alarm, points, now);
    assert.equal(change?.value, 'ALARM');
    assert.equal(
      change?.reason,
      'Threshold Crossed: 2 out of the last 3 datapoints [60.0 (01/05/24 12:02:00), 99.5 (01/05/24 12:00:00)] were greater than the threshold (50.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    const data = JSON.parse(change?.reasonData ?? '{}');
    assert.equal(data.version, '1.0');
    assert.equal(data.queryDate, '2024-05-01T12:03:10.000+0000');
    assert.equal(data.startDate, '2024-05-01T12:00:00.000+0000');
    assert.deepEqual(data.recentDatapoints, [99.5, 10, 60]);
    assert.equal(data.statistic, 'Maximum');
    assert.match(change?.reasonData ?? '', /"threshold":50\.0/);
    // One good datapoint of the three is not enough to leave ALARM (needs 3 - 2 + 1 = 2).
    const back = evaluateMetricAlarm(
      { ...alarm, state: { ...alarm.state, value: 'ALARM' } },
      [...points.slice(0, 2), { timestamp: T0 + 2 * MIN, value: 1, sampleCount: 1 }],
      now,
    );
    assert.equal(back?.value, 'OK');
    assert.match(
      back?.reason ?? '',
      /2 out of the last 3 datapoints .* were not greater than the threshold \(50\.0\) \(minimum 2 datapoints for ALARM -> OK transition\)/,
    );
  });

  it('controller: data -> ALARM -> OK with history, events and actions', async () => {
    const h = harness();
    stores.push(h.store);
    const invoked: AlarmAction[] = [];
    h.actions.register('arn:aws:autoscaling:', async (a) => {
      invoked.push(a);
    });
    const policy =
      'arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:abc:resource/ecs/service/c/s:policyName/up';
    const sns = 'arn:aws:sns:us-east-1:000000000000:ops';
    await h.alarm('cpu', { AlarmActions: [policy, sns], OKActions: [sns] });
    for (const m of [0, 1, 2]) await h.put('cpu', m, 90);
    h.at(T0 + 3 * MIN + 5000);
    const first = await h.controller.evaluate('cpu');
    assert.equal(first.type === 'evaluated' && first.changed, true);
    let alarm = await getAlarm(h.store, 'cpu');
    assert.equal(alarm?.state.value, 'ALARM');
    assert.equal(alarm?.pendingActions.length, 2);
    // The event went to the outbox in the state change's transaction.
    const outbox = await h.store.list<OutboxRecord>(Kind.EventOutbox);
    assert.equal(outbox.length, 1);
    const event = outbox[0].value.event;
    assert.equal(event['detail-type'], 'CloudWatch Alarm State Change');
    assert.equal(event.source, 'aws.cloudwatch');
    assert.deepEqual(event.resources, ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu']);
    const detail = event.detail as {
      alarmName: string;
      state: { value: string };
      previousState: { value: string };
    };
    assert.equal(detail.alarmName, 'cpu');
    assert.equal(detail.state.value, 'ALARM');
    assert.equal(detail.previousState.value, 'INSUFFICIENT_DATA');
    // Next pass: the pending actions run (autoscaling invoked, SNS has no invoker: a failed Action item).
    assert.equal((await h.controller.evaluate('cpu')).type, 'actions');
    assert.equal(invoked.length, 1);
    assert.equal(invoked[0].arn, policy);
    assert.equal(invoked[0].newState, 'ALARM');
    assert.equal(invoked[0].alarmName, 'cpu');
    const actionItems = (await listHistory(h.store, 'cpu')).filter((i) => i.type === 'Action');
    assert.deepEqual(actionItems.map((i) => i.summary.split(' ')[0]).sort(), ['Failed', 'Successfully']);
    assert.match(
      actionItems.find((i) => i.summary.startsWith('Failed'))?.summary ?? '',
      /^Failed to execute action arn:aws:sns:/,
    );
    // Still ALARM a minute later: the Auto Scaling action is invoked again, SNS is not.
    await h.put('cpu', 3, 95);
    h.at(T0 + 4 * MIN + 5000);
    await h.controller.evaluate('cpu');
    assert.equal(invoked.length, 2);
    // Data recovers: three good minutes -> OK.
    for (const m of [4, 5, 6]) await h.put('cpu', m, 10);
    h.at(T0 + 7 * MIN + 5000);
    await h.controller.evaluate('cpu');
    alarm = await getAlarm(h.store, 'cpu');
    assert.equal(alarm?.state.value, 'OK');
    const states = (await listHistory(h.store, 'cpu'))
      .filter((i) => i.type === 'StateUpdate')
      .map((i) => i.summary);
    assert.deepEqual(states, [
      'Alarm updated from INSUFFICIENT_DATA to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
    assert.equal((await h.store.list(Kind.EventOutbox)).length, 2);
  });

  it('disabled actions are not queued', async () => {
    const h = harness();
    stores.push(h.store);
    await h.alarm('quiet', {
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:ops'],
      ActionsEnabled: false,
    });
    for (const m of [0, 1, 2]) await h.put('quiet', m, 90);
    h.at(T0 + 3 * MIN);
    await h.controller.evaluate('quiet');
    const alarm = await getAlarm(h.store, 'quiet');
    assert.equal(alarm?.state.value, 'ALARM');
    assert.equal(alarm?.pendingActions.length, 0);
  });

  it('metric math alarm: the ReturnData expression is compared', async () => {
    const h = harness();
    stores.push(h.store);
    await h.store.transact((tx) =>
      putAlarm(tx, h.ctx, {
        AlarmName: 'ratio',
        Metrics: [
          {
            Id: 'e',
            ReturnData: false,
            MetricStat: { Metric: { Namespace: 'Test', MetricName: 'errors' }, Period: 60, Stat: 'Sum' },
          },
          {
            Id: 'r',
            ReturnData: false,
            MetricStat: { Metric: { Namespace: 'Test', MetricName: 'requests' }, Period: 60, Stat: 'Sum' },
          },
          { Id: 'rate', Expression: '100 * e / r', Label: 'error rate' },
        ],
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await h.put('errors', 0, 10);
    await h.put('requests', 0, 100);
    h.at(T0 + MIN + 1000);
    await h.controller.evaluate('ratio');
    const alarm = await getAlarm(h.store, 'ratio');
    assert.equal(alarm?.state.value, 'ALARM');
    assert.match(
      alarm?.state.reason ?? '',
      /\[10\.0 \(01\/05\/24 12:00:00\)\] was greater than or equal to the threshold \(5\.0\)/,
    );
  });

  it('composite alarm follows its children and is re-evaluated when one changes', async () => {
    const h = harness();
    stores.push(h.store);
    await h.alarm('a', { EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    await h.alarm('b', { EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    await h.store.transact((tx) =>
      putCompositeAlarm(tx, h.ctx, { AlarmName: 'both', AlarmRule: 'ALARM(a) AND NOT OK("b")' }),
    );
    h.controller.start();
    await h.put('a', 0, 90);
    await h.put('b', 0, 90);
    h.at(T0 + MIN + 1000);
    await h.controller.resync();
    for (let i = 0; i < 20 && (await getAlarm(h.store, 'both'))?.state.value !== 'ALARM'; i++)
      await h.controller.idle();
    const both = await getAlarm(h.store, 'both');
    assert.equal(both?.state.value, 'ALARM');
    assert.match(
      both?.state.reason ?? '',
      /^arn:aws:cloudwatch:us-east-1:000000000000:alarm:[ab] transitioned to ALARM at Wednesday 01 May, 2024 12:01:01 UTC$/,
    );
    const data = JSON.parse(both?.state.reasonData ?? '{}');
    // ALARM(a) is the leaf that holds; NOT OK(b) holds by b's absence from OK.
    assert.deepEqual(
      data.triggeringAlarms.map((t: { arn: string }) => t.arn),
      ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:a'],
    );
    // b recovers: the composite goes OK through the change feed alone.
    await h.put('b', 1, 1);
    h.at(T0 + 2 * MIN + 1000);
    await h.controller.evaluate('b');
    for (let i = 0; i < 20 && (await getAlarm(h.store, 'both'))?.state.value !== 'OK'; i++)
      await h.controller.idle();
    assert.equal((await getAlarm(h.store, 'both'))?.state.value, 'OK');
    await h.controller.stop();
  });

  it('survives a restart between the state change and its actions', async () => {
    const h = harness();
    stores.push(h.store);
    await h.alarm('r', {
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      AlarmActions: ['arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:x'],
    });
    await h.put('r', 0, 90);
    h.at(T0 + MIN + 1000);
    await h.controller.evaluate('r');
    // "Crash": a new controller on the same store finds the pending action and invokes it once.
    const invoked: string[] = [];
    const registry = new AlarmActionRegistry();
    registry.register('arn:aws:autoscaling:', async (a) => {
      invoked.push(a.arn);
    });
    const fresh = new AlarmEvaluationController({
      store: h.store,
      ...h.ctx,
      actions: registry,
      intervalMs: MIN,
    });
    await fresh.evaluate('r');
    await fresh.evaluate('r');
    assert.equal(invoked.length, 1);
    assert.equal((await getAlarm(h.store, 'r'))?.pendingActions.length, 0);
    assert.equal((await getAlarm(h.store, 'r'))?.state.value, 'ALARM');
  });
});

function metricAlarm(extra: Partial<MetricAlarmRecord> = {}): MetricAlarmRecord {
  return {
    type: 'MetricAlarm',
    name: 'a',
    arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:a',
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    configurationUpdatedAt: T0,
    state: { value: 'INSUFFICIENT_DATA', reason: '', updatedAt: T0, transitionedAt: T0 },
    tags: [],
    pendingActions: [],
    metric: { namespace: 'Test', metricName: 'a', dimensions: [] },
    statistic: 'Maximum',
    period: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 50,
    comparisonOperator: 'GreaterThanThreshold',
    ...extra,
  };
}
