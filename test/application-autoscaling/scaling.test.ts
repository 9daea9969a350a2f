/**
 * Application Auto Scaling's decisions with an injected clock, on the control plane's store: scheduled
 * actions run by the service-scaling reconcile at their occurrences (cron in a time zone, at(),
 * rate() with start and end, missed occurrences run once, suspension); step scaling when a policy
 * is invoked (steps, adjustment types, cooldown counting the added capacity, suspension, max);
 * target tracking's proportional scale-out and the "in only if all do" rule; the alarm invoker
 * reading a real alarm's state; and the activities' wording.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  type AlarmTrigger,
  type AutoScalingContext,
  AWS_TIMING,
  executeScalingPolicy,
  keys,
  scalingPolicyInvoker,
} from '../../src/application-autoscaling/model/index.ts';
import { registerScalableTarget } from '../../src/application-autoscaling/scalable-targets.ts';
import { describeScalingActivities } from '../../src/application-autoscaling/scaling-activities.ts';
import { putScalingPolicy } from '../../src/application-autoscaling/scaling-policies.ts';
import { putScheduledAction } from '../../src/application-autoscaling/scheduled-actions.ts';
import { changeAlarmState } from '../../src/cloudwatch/model/alarm-state.ts';
import { getAlarm } from '../../src/cloudwatch/model/alarms.ts';
import { seededRng } from '../../src/core/clock.ts';
import { reconcileScalableTarget } from '../../src/controllers/service-scaling/reconcile-scalable-target.ts';
import type { ServiceRecord } from '../../src/ecs/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const CLUSTER = 'scale';
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('Application Auto Scaling decisions (injected clock)', () => {
  let t: TestPlane;
  let now = Date.UTC(2026, 0, 5, 6, 30); // Monday 5 January 2026, 06:30 UTC (07:30 in Paris)
  let ctx: AutoScalingContext;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    const region = t.plane.regions.context('us-east-1');
    ctx = {
      store: region.store,
      clock: { now: () => now },
      rng: seededRng('aas'),
      partition: region.partition,
      timing: AWS_TIMING,
    };
    await t.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'app',
        containerDefinitions: [{ name: 'app', image: 'app:1', memory: 64 }],
      }),
    );
    for (const serviceName of ['sched', 'steps', 'tt']) {
      await t.ecs.send(
        new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: 'app', desiredCount: 2 }),
      );
    }
  });
  after(() => t.stop());

  const target = (service: string) =>
    ({
      ServiceNamespace: 'ecs',
      ResourceId: `service/${CLUSTER}/${service}`,
      ScalableDimension: 'ecs:service:DesiredCount',
    }) as const;
  const keyOf = (service: string) =>
    keys.target('ecs', `service/${CLUSTER}/${service}`, 'ecs:service:DesiredCount');
  const desired = async (service: string) =>
    (await ctx.store.get<ServiceRecord>(Kind.Service, `${CLUSTER}/${service}`))?.value.service.desiredCount;
  const activities = async (service: string, includeNotScaled = false) =>
    (
      await describeScalingActivities(ctx, {
        ServiceNamespace: 'ecs',
        ResourceId: `service/${CLUSTER}/${service}`,
        IncludeNotScaledActivities: includeNotScaled,
      })
    ).ScalingActivities ?? [];
  const reconcile = (service: string) => reconcileScalableTarget(ctx, keyOf(service));

  it('runs scheduled actions at their occurrences, once each, in their time zone and bounds', async () => {
    await registerScalableTarget(ctx, { ...target('sched'), MinCapacity: 1, MaxCapacity: 10 });
    assert.deepEqual(await reconcile('sched'), {});
    assert.equal(await desired('sched'), 2);
    await putScheduledAction(ctx, {
      ...target('sched'),
      ScheduledActionName: 'morning',
      Schedule: 'cron(0 8 ? * MON-FRI *)',
      Timezone: 'Europe/Paris',
      ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 10 },
    });
    // 08:00 in Paris is 07:00 UTC in January: 30 minutes away, capped at the controller's 5 minutes.
    assert.deepEqual(await reconcile('sched'), { requeueAfterMs: 5 * MIN });
    assert.equal(await desired('sched'), 2);
    now = Date.UTC(2026, 0, 5, 7, 0);
    await reconcile('sched');
    assert.equal(await desired('sched'), 5);
    let list = await activities('sched');
    assert.deepEqual(
      list.map((a) => [a.Description, a.Cause, a.StatusCode, a.StatusMessage]),
      [
        [
          'Setting desired count to 5.',
          'minimum capacity was set to 5',
          'Successful',
          'Successfully set desired count to 5. Change successfully fulfilled by ecs.',
        ],
        [
          'Setting min capacity to 5 and max capacity to 10',
          'scheduled action name morning was triggered',
          'Successful',
          'Successfully set min capacity to 5 and max capacity to 10',
        ],
      ],
    );
    // Run again in the same minute: nothing more happens.
    now += 30_000;
    await reconcile('sched');
    assert.equal((await activities('sched')).length, 2);

    await putScheduledAction(ctx, {
      ...target('sched'),
      ScheduledActionName: 'evening',
      Schedule: 'at(2026-01-05T18:00:00)',
      ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 3 },
    });
    now = Date.UTC(2026, 0, 5, 18, 0, 5);
    await reconcile('sched');
    assert.equal(await desired('sched'), 3);
    list = await activities('sched');
    assert.equal(list[0]?.Cause, 'maximum capacity was set to 3');

    // rate(2 hours) from 20:00 until 23:00: after a pause through 20:00 and 22:00 it runs once.
    await putScheduledAction(ctx, {
      ...target('sched'),
      ScheduledActionName: 'every-2h',
      Schedule: 'rate(2 hours)',
      StartTime: Date.UTC(2026, 0, 5, 20, 0) / 1000,
      EndTime: Date.UTC(2026, 0, 5, 23, 0) / 1000,
      ScalableTargetAction: { MinCapacity: 4 },
    });
    now = Date.UTC(2026, 0, 5, 22, 30);
    const before = (await activities('sched')).length;
    await reconcile('sched');
    assert.equal(await desired('sched'), 3); // min 4 > max 3: the action fails, nothing changes
    list = await activities('sched');
    assert.equal(list.length, before + 1);
    assert.equal(list[0]?.StatusCode, 'Failed');
    assert.equal(list[0]?.Cause, 'scheduled action name every-2h was triggered');
    assert.match(
      list[0]?.StatusMessage ?? '',
      /^Failed to set min capacity to 4\. Reason: Minimum capacity 4 cannot be greater than maximum capacity 3\.$/,
    );
    now = Date.UTC(2026, 0, 6, 2, 0);
    const afterEnd = (await activities('sched')).length;
    await reconcile('sched');
    assert.equal((await activities('sched')).length, afterEnd, 'no occurrence after EndTime');

    // Suspended scheduled scaling: the occurrence passes without a change (a not scaled activity).
    await registerScalableTarget(ctx, {
      ...target('sched'),
      SuspendedState: { ScheduledScalingSuspended: true },
    });
    now = Date.UTC(2026, 0, 6, 7, 0);
    await reconcile('sched');
    assert.equal(await desired('sched'), 3);
    const all = await activities('sched', true);
    assert.equal(all[0]?.StatusMessage, 'Scheduled scaling is suspended.');
    assert.equal(
      (await activities('sched'))[0]?.Cause,
      list[0]?.Cause,
      'not scaled activities are hidden by default',
    );
  });

  it('enforces a new range once on the service', async () => {
    await registerScalableTarget(ctx, {
      ...target('sched'),
      MinCapacity: 6,
      MaxCapacity: 9,
      SuspendedState: { ScheduledScalingSuspended: false },
    });
    await reconcile('sched');
    assert.equal(await desired('sched'), 6);
    assert.equal((await activities('sched'))[0]?.Cause, 'minimum capacity was set to 6');
  });

  const trigger = (alarmName: string, threshold: number, datapoints: number[]): AlarmTrigger => ({
    alarmName,
    threshold,
    datapoints,
  });

  it('step scaling: steps by breach size, cooldown counting the added capacity, suspension and max', async () => {
    now = Date.UTC(2026, 1, 1, 12, 0);
    await registerScalableTarget(ctx, { ...target('steps'), MinCapacity: 1, MaxCapacity: 8 });
    await reconcile('steps');
    const put = await putScalingPolicy(ctx, {
      ...target('steps'),
      PolicyName: 'cpu-steps',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 60,
        StepAdjustments: [
          { MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
        ],
      },
    });
    const arn = put.PolicyARN as string;
    // Average of 55, 58, 56 is 56.3: 6.3 over 50, the [0, 10) step: +1.
    await executeScalingPolicy(ctx, arn, trigger('cpu-high', 50, [55, 58, 56]));
    assert.equal(await desired('steps'), 3);
    const first = (await activities('steps'))[0];
    assert.equal(first?.Description, 'Setting desired count to 3.');
    assert.equal(first?.Cause, 'monitor alarm cpu-high in state ALARM triggered policy cpu-steps');
    assert.equal(
      first?.StatusMessage,
      'Successfully set desired count to 3. Change successfully fulfilled by ecs.',
    );
    // 10 s later, a breach of 21 (+3): inside the cooldown the +1 counts, so 2 + 3 = 5, not 6.
    now += 10_000;
    await executeScalingPolicy(ctx, arn, trigger('cpu-high', 50, [70, 72]));
    assert.equal(await desired('steps'), 5);
    // A smaller breach in the cooldown: 2 + 1 = 3 is not more than 5, refused.
    now += 10_000;
    const refused = await executeScalingPolicy(ctx, arn, trigger('cpu-high', 50, [52]));
    assert.equal(refused?.statusCode, 'Failed');
    assert.equal(refused?.description, 'Attempting to scale due to alarm triggered');
    assert.match(refused?.statusMessage ?? '', /cooldown of 60 seconds/);
    assert.equal(await desired('steps'), 5);
    // Scale in inside the cooldown: refused; after it: -1.
    await executeScalingPolicy(ctx, arn, trigger('cpu-low', 50, [40]));
    assert.equal(await desired('steps'), 5);
    now += 61_000;
    await executeScalingPolicy(ctx, arn, trigger('cpu-low', 50, [40]));
    assert.equal(await desired('steps'), 4);

    // ExactCapacity past the maximum: clamped to 8, then AlreadyAtMaxCapacity.
    const exact = await putScalingPolicy(ctx, {
      ...target('steps'),
      PolicyName: 'burst',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ExactCapacity',
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 20 }],
      },
    });
    await executeScalingPolicy(ctx, exact.PolicyARN as string, trigger('burst', 100, [150]));
    assert.equal(await desired('steps'), 8);
    now += 400_000;
    const atMax = await executeScalingPolicy(ctx, exact.PolicyARN as string, trigger('burst', 100, [150]));
    assert.equal(atMax?.notScaledReasons?.[0]?.Code, 'AlreadyAtMaxCapacity');
    const visible = await activities('steps', true);
    assert.deepEqual(visible[0]?.NotScaledReasons, [
      { Code: 'AlreadyAtMaxCapacity', MaxCapacity: 8, CurrentCapacity: 8 },
    ]);
    assert.ok(!(await activities('steps')).some((a) => a.NotScaledReasons));

    // Dynamic scale-in suspended: refused with the reason, nothing changes.
    await registerScalableTarget(ctx, {
      ...target('steps'),
      SuspendedState: { DynamicScalingInSuspended: true },
    });
    now += 400_000;
    const suspended = await executeScalingPolicy(ctx, arn, trigger('cpu-low', 50, [10]));
    assert.equal(suspended?.statusMessage, 'Dynamic scaling in is suspended.');
    assert.equal(await desired('steps'), 8);
  });

  it('step scaling by percentage: rounding and MinAdjustmentMagnitude', async () => {
    await registerScalableTarget(ctx, {
      ...target('steps'),
      MinCapacity: 1,
      MaxCapacity: 40,
      SuspendedState: { DynamicScalingInSuspended: false },
    });
    const pct = await putScalingPolicy(ctx, {
      ...target('steps'),
      PolicyName: 'pct',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'PercentChangeInCapacity',
        MinAdjustmentMagnitude: 2,
        MetricAggregationType: 'Maximum',
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 10 }],
      },
    });
    now += 400_000;
    // 10% of 8 is 0.8 -> 1, raised to the magnitude 2: 10.
    await executeScalingPolicy(ctx, pct.PolicyARN as string, trigger('p', 50, [10, 60]));
    assert.equal(await desired('steps'), 10);
  });

  it('target tracking: proportional scale-out, in only when every policy agrees', async () => {
    now = Date.UTC(2026, 2, 1, 12, 0);
    await registerScalableTarget(ctx, { ...target('tt'), MinCapacity: 1, MaxCapacity: 20 });
    await reconcile('tt');
    const cpu = await putScalingPolicy(ctx, {
      ...target('tt'),
      PolicyName: 'cpu',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleOutCooldown: 60,
        ScaleInCooldown: 60,
      },
    });
    const memory = await putScalingPolicy(ctx, {
      ...target('tt'),
      PolicyName: 'memory',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
      },
    });
    const [cpuHigh, cpuLow] = (cpu.Alarms ?? []).map((a) => a.AlarmName as string);
    const memoryLow = memory.Alarms?.[1]?.AlarmName as string;
    // 2 tasks at 90% for a 50% target: ceil(2 * 90 / 50) = 4.
    await executeScalingPolicy(ctx, cpu.PolicyARN as string, trigger(cpuHigh as string, 50, [88, 89, 90]));
    assert.equal(await desired('tt'), 4);
    assert.equal(
      (await activities('tt'))[0]?.Cause,
      `monitor alarm ${cpuHigh} in state ALARM triggered policy cpu`,
    );
    // In the scale-out cooldown the same metric asks nothing more (ceil(2 * 90 / 50) is still 4).
    now += 20_000;
    await executeScalingPolicy(ctx, cpu.PolicyARN as string, trigger(cpuHigh as string, 50, [90]));
    assert.equal(await desired('tt'), 4);
    now += 10 * MIN;
    // CPU's low alarm fires, memory's is not in ALARM: no scale-in.
    const lowAlarms = new Map<string, AlarmTrigger>();
    const peers = async (_tx: unknown, name: string) => lowAlarms.get(name);
    const notAll = await executeScalingPolicy(
      ctx,
      cpu.PolicyARN as string,
      trigger(cpuLow as string, 45, [10]),
      peers,
    );
    assert.match(notAll?.statusMessage ?? '', /not ready to scale in/);
    assert.equal(await desired('tt'), 4);
    // Both in ALARM: CPU asks 3 (ceil(4 * 10 / 50) = 1, at most 10% or one task less), memory
    // ceil(4 * 60 / 70) = 4: the larger wins, which is no change; at 20% memory asks 3 too.
    lowAlarms.set(memoryLow, trigger(memoryLow, 63, [60]));
    const agreed = await executeScalingPolicy(
      ctx,
      cpu.PolicyARN as string,
      trigger(cpuLow as string, 45, [10]),
      peers,
    );
    assert.equal(agreed?.notScaledReasons?.[0]?.Code, 'AlreadyAtDesiredCapacity');
    assert.equal(await desired('tt'), 4);
    lowAlarms.set(memoryLow, trigger(memoryLow, 63, [20]));
    await executeScalingPolicy(ctx, cpu.PolicyARN as string, trigger(cpuLow as string, 45, [10]), peers);
    assert.equal(await desired('tt'), 3);
  });

  it('the alarm invoker runs the policy from a real alarm in ALARM', async () => {
    now += HOUR;
    const policy = await putScalingPolicy(ctx, {
      ...target('tt'),
      PolicyName: 'cpu',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      },
    });
    const high = policy.Alarms?.[0]?.AlarmName as string;
    await ctx.store.transact(async (tx) => {
      const row = await tx.get<never>(Kind.CloudWatchAlarm, high);
      const alarm = await getAlarm(tx, high);
      assert.ok(row && alarm);
      await changeAlarmState(tx, ctx, alarm, (row as { version: number }).version, {
        value: 'ALARM',
        reason:
          'Threshold Crossed: 3 datapoints [99.0 (01/03/26 13:02:00), 98.0 (01/03/26 13:01:00), 97.0 (01/03/26 13:00:00)] were greater than the threshold (50.0).',
        reasonData: JSON.stringify({
          version: '1.0',
          statistic: 'Average',
          period: 60,
          recentDatapoints: [97, 98, 99],
          threshold: 50,
        }),
      });
    });
    const invoke = scalingPolicyInvoker(() => ctx);
    const base = (await desired('tt')) as number;
    await invoke({
      arn: policy.PolicyARN as string,
      alarmName: high,
      alarmArn: '',
      newState: 'ALARM',
      reason: '',
      at: now,
    });
    assert.equal(await desired('tt'), Math.ceil((base * 99) / 50));
    // OK and INSUFFICIENT_DATA invoke nothing.
    now += HOUR;
    await invoke({
      arn: policy.PolicyARN as string,
      alarmName: high,
      alarmArn: '',
      newState: 'OK',
      reason: '',
      at: now,
    });
    assert.equal(await desired('tt'), Math.ceil((base * 99) / 50));
  });
});
