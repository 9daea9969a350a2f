/**
 * Application Auto Scaling through its SDK client against the in-process control plane: scalable
 * targets (register, update semantics, describe, deregister with everything it owns), scaling
 * policies (validation, target tracking's alarms as AWS names and shapes them), scheduled actions,
 * tags, and the errors AWS answers; nothing is half-created.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  GetPredictiveScalingForecastCommand,
  ListTagsForResourceCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { getAlarm, listAlarms } from '../../src/cloudwatch/model/alarms.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const CLUSTER = 'apps';
const RESOURCE = `service/${CLUSTER}/web`;
const TARGET = {
  ServiceNamespace: 'ecs',
  ResourceId: RESOURCE,
  ScalableDimension: 'ecs:service:DesiredCount',
} as const;

describe('Application Auto Scaling API', () => {
  let t: TestPlane;
  let aas: ApplicationAutoScalingClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    aas = new ApplicationAutoScalingClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    await t.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'web:1', memory: 64 }],
      }),
    );
    for (const serviceName of ['web', 'api']) {
      await t.ecs.send(
        new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: 'web', desiredCount: 2 }),
      );
    }
  });
  after(async () => {
    aas.destroy();
    await t.stop();
  });
  const store = () => t.plane.regions.context('us-east-1').store;

  it('registers a target, updates only what a second registration names, and describes it', async () => {
    const registered = await aas.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 4, Tags: { team: 'web' } }),
    );
    assert.match(
      registered.ScalableTargetARN ?? '',
      /^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{36}$/,
    );
    const again = await aas.send(
      new RegisterScalableTargetCommand({
        ...TARGET,
        MaxCapacity: 6,
        SuspendedState: { ScheduledScalingSuspended: true },
      }),
    );
    assert.equal(again.ScalableTargetARN, registered.ScalableTargetARN);
    const { ScalableTargets } = await aas.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [RESOURCE] }),
    );
    assert.equal(ScalableTargets?.length, 1);
    const target = ScalableTargets?.[0];
    assert.equal(target?.MinCapacity, 1);
    assert.equal(target?.MaxCapacity, 6);
    assert.deepEqual(target?.SuspendedState, {
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: true,
    });
    assert.equal(
      target?.RoleARN,
      'arn:aws:iam::000000000000:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
    );
    assert.ok(target?.CreationTime instanceof Date);
    const tags = await aas.send(
      new ListTagsForResourceCommand({ ResourceARN: registered.ScalableTargetARN }),
    );
    assert.deepEqual(tags.Tags, { team: 'web' });
    // Other namespaces are known to the API; nothing of theirs is registered here.
    const none = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }));
    assert.deepEqual(none.ScalableTargets, []);
  });

  it('refuses bad registrations with the service errors', async () => {
    const missing = await awsError(() =>
      aas.send(
        new RegisterScalableTargetCommand({
          ...TARGET,
          ResourceId: `service/${CLUSTER}/nope`,
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    );
    assert.equal(missing.name, 'ValidationException');
    assert.equal(missing.message, `ECS service doesn't exist: service/${CLUSTER}/nope`);
    const noRange = await awsError(() =>
      aas.send(new RegisterScalableTargetCommand({ ...TARGET, ResourceId: `service/${CLUSTER}/api` })),
    );
    assert.equal(noRange.name, 'ValidationException');
    const inverted = await awsError(() =>
      aas.send(
        new RegisterScalableTargetCommand({
          ...TARGET,
          ResourceId: `service/${CLUSTER}/api`,
          MinCapacity: 5,
          MaxCapacity: 2,
        }),
      ),
    );
    assert.equal(inverted.name, 'ValidationException');
    assert.match(inverted.message, /Minimum capacity 5 cannot be greater than maximum capacity 2/);
    const dimension = await awsError(() =>
      aas.send(
        new RegisterScalableTargetCommand({
          ...TARGET,
          ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    );
    assert.equal(dimension.name, 'ValidationException');
    const negative = await awsError(() =>
      aas.send(
        new RegisterScalableTargetCommand({
          ...TARGET,
          ResourceId: `service/${CLUSTER}/api`,
          MinCapacity: -1,
          MaxCapacity: 2,
        }),
      ),
    );
    assert.equal(negative.name, 'ValidationException');
    const updateInverted = await awsError(() =>
      aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 9 })),
    );
    assert.equal(updateInverted.name, 'ValidationException');
    const { ScalableTargets } = await aas.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
    );
    assert.deepEqual(
      ScalableTargets?.map((s) => [s.ResourceId, s.MinCapacity, s.MaxCapacity]),
      [[RESOURCE, 1, 6]],
    );
    const predictive = await awsError(() =>
      aas.send(
        new GetPredictiveScalingForecastCommand({
          ...TARGET,
          PolicyName: 'p',
          StartTime: new Date(),
          EndTime: new Date(),
        }),
      ),
    );
    assert.equal(predictive.name, 'UnsupportedFeatureException');
  });

  it('tags targets, with the tag limits and unknown ARNs refused', async () => {
    const arn = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' })))
      .ScalableTargets?.[0]?.ScalableTargetARN;
    await aas.send(new TagResourceCommand({ ResourceARN: arn, Tags: { env: 'prod' } }));
    await aas.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    assert.deepEqual((await aas.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, {
      env: 'prod',
    });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await awsError(() => aas.send(new TagResourceCommand({ ResourceARN: arn, Tags: many })));
    assert.equal(tooMany.name, 'TooManyTagsException');
    const unknown = await awsError(() =>
      aas.send(
        new ListTagsForResourceCommand({
          ResourceARN:
            'arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target/0123456789abcdef0123456789abcdef0123',
        }),
      ),
    );
    assert.equal(unknown.name, 'ResourceNotFoundException');
  });

  it('refuses policies on unregistered targets and bad configurations, creating nothing', async () => {
    const unregistered = await awsError(() =>
      aas.send(
        new PutScalingPolicyCommand({
          ...TARGET,
          ResourceId: `service/${CLUSTER}/api`,
          PolicyName: 'p',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 50,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          },
        }),
      ),
    );
    assert.equal(unregistered.name, 'ObjectNotFoundException');
    assert.equal(
      unregistered.message,
      `No scalable target registered for service namespace: ecs, resource ID: service/${CLUSTER}/api, scalable dimension: ecs:service:DesiredCount`,
    );
    const bad: [string, Partial<PutScalingPolicyCommandInput>, RegExp][] = [
      [
        'overlapping steps',
        {
          StepScalingPolicyConfiguration: {
            AdjustmentType: 'ChangeInCapacity',
            StepAdjustments: [
              { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
              { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 },
            ],
          },
        },
        /must not overlap/,
      ],
      [
        'a gap between steps',
        {
          StepScalingPolicyConfiguration: {
            AdjustmentType: 'ChangeInCapacity',
            StepAdjustments: [
              { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
              { MetricIntervalLowerBound: 20, ScalingAdjustment: 2 },
            ],
          },
        },
        /gaps/,
      ],
      [
        'MinAdjustmentMagnitude without a percentage',
        {
          StepScalingPolicyConfiguration: {
            AdjustmentType: 'ChangeInCapacity',
            MinAdjustmentMagnitude: 2,
            StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
          },
        },
        /PercentChangeInCapacity/,
      ],
      [
        'ALBRequestCountPerTarget without its ResourceLabel',
        {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 100,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
          },
        },
        /ResourceLabel/,
      ],
      [
        'a metric type of another service',
        {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 70,
            PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
          },
        },
        /Unsupported metric type/,
      ],
      [
        'metric math with two results',
        {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 70,
            CustomizedMetricSpecification: {
              Metrics: [
                { Id: 'a', Expression: '1', ReturnData: true },
                { Id: 'b', Expression: '2', ReturnData: true },
              ],
            },
          },
        },
        /Exactly one metric data query/,
      ],
    ];
    for (const [what, config, message] of bad) {
      const error = await awsError(() =>
        aas.send(new PutScalingPolicyCommand({ ...TARGET, PolicyName: 'bad', ...config })),
      );
      assert.equal(error.name, 'ValidationException', what);
      assert.match(error.message, message, what);
    }
    const { ScalingPolicies } = await aas.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }),
    );
    assert.deepEqual(ScalingPolicies, []);
  });

  it('creates the alarms of a target tracking policy as AWS does, and deletes them with it', async () => {
    const put = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'cpu60',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          ScaleOutCooldown: 60,
          ScaleInCooldown: 120,
        },
      }),
    );
    assert.match(
      put.PolicyARN ?? '',
      /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/apps\/web:policyName\/cpu60$/,
    );
    const [high, low] = put.Alarms ?? [];
    assert.match(high?.AlarmName ?? '', /^TargetTracking-service\/apps\/web-AlarmHigh-[0-9a-f-]{36}$/);
    assert.match(low?.AlarmName ?? '', /^TargetTracking-service\/apps\/web-AlarmLow-[0-9a-f-]{36}$/);
    assert.equal(high?.AlarmARN, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${high?.AlarmName}`);
    const h = await getAlarm(store(), high?.AlarmName ?? '');
    const l = await getAlarm(store(), low?.AlarmName ?? '');
    assert.ok(h?.type === 'MetricAlarm' && l?.type === 'MetricAlarm');
    assert.deepEqual(
      [
        h.metric?.namespace,
        h.metric?.metricName,
        h.statistic,
        h.period,
        h.evaluationPeriods,
        h.datapointsToAlarm,
        h.threshold,
        h.comparisonOperator,
      ],
      ['AWS/ECS', 'CPUUtilization', 'Average', 60, 3, 3, 60, 'GreaterThanThreshold'],
    );
    assert.deepEqual(
      [...(h.metric?.dimensions ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'ClusterName', value: CLUSTER },
        { name: 'ServiceName', value: 'web' },
      ],
    );
    assert.deepEqual(
      [l.evaluationPeriods, l.datapointsToAlarm, l.threshold, l.comparisonOperator],
      [15, 15, 54, 'LessThanThreshold'],
    );
    assert.deepEqual(h.alarmActions, [put.PolicyARN]);

    // Replacing it with DisableScaleIn: new alarms, no low one, the old ones gone.
    const replaced = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'cpu60',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          DisableScaleIn: true,
        },
      }),
    );
    assert.equal(replaced.PolicyARN, put.PolicyARN);
    assert.equal(replaced.Alarms?.length, 1);
    assert.equal(await getAlarm(store(), high?.AlarmName ?? ''), undefined);
    assert.equal(await getAlarm(store(), low?.AlarmName ?? ''), undefined);

    // ALB requests per target: the target group of the ResourceLabel, Sum.
    const alb = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'requests',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 1000,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: 'app/web-lb/0123456789abcdef/targetgroup/web-tg/fedcba9876543210',
          },
        },
      }),
    );
    const albHigh = await getAlarm(store(), alb.Alarms?.[0]?.AlarmName ?? '');
    assert.ok(albHigh?.type === 'MetricAlarm');
    assert.equal(albHigh.metric?.namespace, 'AWS/ApplicationELB');
    assert.equal(albHigh.metric?.metricName, 'RequestCountPerTarget');
    assert.equal(albHigh.statistic, 'Sum');
    assert.deepEqual(albHigh.metric?.dimensions, [
      { name: 'TargetGroup', value: 'targetgroup/web-tg/fedcba9876543210' },
    ]);

    // A customized metric with metric math: the alarm holds the queries.
    const math = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'backlog',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 10,
          CustomizedMetricSpecification: {
            Metrics: [
              {
                Id: 'm1',
                MetricStat: { Metric: { Namespace: 'App', MetricName: 'QueueDepth' }, Stat: 'Sum' },
                ReturnData: false,
              },
              {
                Id: 'm2',
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/ECS',
                    MetricName: 'CPUUtilization',
                    Dimensions: [{ Name: 'ClusterName', Value: CLUSTER }],
                  },
                  Stat: 'SampleCount',
                },
                ReturnData: false,
              },
              { Id: 'e1', Expression: 'm1 / m2', Label: 'backlog per task', ReturnData: true },
            ],
          },
        },
      }),
    );
    const mathHigh = await getAlarm(store(), math.Alarms?.[0]?.AlarmName ?? '');
    assert.ok(mathHigh?.type === 'MetricAlarm');
    assert.deepEqual(
      mathHigh.metrics?.map((q) => q.Id),
      ['m1', 'm2', 'e1'],
    );

    const described = await aas.send(
      new DescribeScalingPoliciesCommand({
        ServiceNamespace: 'ecs',
        ResourceId: RESOURCE,
        PolicyNames: ['cpu60'],
      }),
    );
    assert.equal(described.ScalingPolicies?.length, 1);
    assert.equal(
      described.ScalingPolicies?.[0]?.TargetTrackingScalingPolicyConfiguration?.DisableScaleIn,
      true,
    );
    assert.equal(described.ScalingPolicies?.[0]?.Alarms?.length, 1);

    // A failing replacement leaves the policy as it was.
    const failing = await awsError(() =>
      aas.send(
        new PutScalingPolicyCommand({
          ...TARGET,
          PolicyName: 'cpu60',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 },
        }),
      ),
    );
    assert.equal(failing.name, 'ValidationException');
    assert.ok(await getAlarm(store(), replaced.Alarms?.[0]?.AlarmName ?? ''));

    await aas.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: 'requests' }));
    assert.equal(await getAlarm(store(), alb.Alarms?.[0]?.AlarmName ?? ''), undefined);
    const gone = await awsError(() =>
      aas.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: 'requests' })),
    );
    assert.equal(gone.name, 'ObjectNotFoundException');
    assert.equal(
      gone.message,
      `No scaling policy found for service namespace: ecs, resource ID: ${RESOURCE}, scalable dimension: ecs:service:DesiredCount, policy name: requests`,
    );
  });

  it('lists the alarms that invoke a step scaling policy', async () => {
    const put = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'steps',
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'PercentChangeInCapacity',
          MinAdjustmentMagnitude: 1,
          Cooldown: 60,
          MetricAggregationType: 'Maximum',
          StepAdjustments: [
            { MetricIntervalLowerBound: 10, ScalingAdjustment: 50 },
            { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 10 },
          ],
        },
      }),
    );
    assert.equal(put.Alarms, undefined);
    const { putAlarm } = await import('../../src/cloudwatch/model/alarms.ts');
    const ctx = t.plane.regions.context('us-east-1');
    await ctx.store.transact((tx) =>
      putAlarm(tx, ctx, {
        AlarmName: 'web-cpu-high',
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 70,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [put.PolicyARN ?? ''],
      }),
    );
    const described = await aas.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', PolicyNames: ['steps'] }),
    );
    const policy = described.ScalingPolicies?.[0];
    assert.deepEqual(
      policy?.Alarms?.map((a) => a.AlarmName),
      ['web-cpu-high'],
    );
    // Steps come back sorted by their lower bound.
    assert.deepEqual(policy?.StepScalingPolicyConfiguration?.StepAdjustments, [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 10 },
      { MetricIntervalLowerBound: 10, ScalingAdjustment: 50 },
    ]);
  });

  it('puts, updates, describes and deletes scheduled actions', async () => {
    const refused: [object, RegExp][] = [
      [{ Schedule: 'cron(0 9 * * *)' }, /Unsupported schedule/],
      [{ Schedule: 'rate(5 minute)' }, /Unsupported schedule/],
      [{ Schedule: 'rate(1 day)', Timezone: 'Mars/Olympus' }, /Invalid timezone/],
      [
        {
          Schedule: 'rate(1 day)',
          StartTime: new Date(2_000_000_000_000),
          EndTime: new Date(1_900_000_000_000),
        },
        /EndTime/,
      ],
      [
        { Schedule: 'rate(1 day)', ScalableTargetAction: { MinCapacity: 4, MaxCapacity: 2 } },
        /cannot be greater/,
      ],
    ];
    for (const [input, message] of refused) {
      const error = await awsError(() =>
        aas.send(
          new PutScheduledActionCommand({
            ...TARGET,
            ScheduledActionName: 'x',
            ScalableTargetAction: { MinCapacity: 1 },
            ...input,
          }),
        ),
      );
      assert.equal(error.name, 'ValidationException', JSON.stringify(input));
      assert.match(error.message, message);
    }
    await aas.send(
      new PutScheduledActionCommand({
        ...TARGET,
        ScheduledActionName: 'weekday-morning',
        Schedule: 'cron(0 8 ? * MON-FRI *)',
        Timezone: 'Europe/Paris',
        StartTime: new Date(1_900_000_000_000),
        EndTime: new Date(2_000_000_000_000),
        ScalableTargetAction: { MinCapacity: 3, MaxCapacity: 6 },
      }),
    );
    // An update without start and end times removes them and keeps the rest.
    await aas.send(
      new PutScheduledActionCommand({
        ...TARGET,
        ScheduledActionName: 'weekday-morning',
        ScalableTargetAction: { MinCapacity: 2 },
      }),
    );
    const { ScheduledActions } = await aas.send(
      new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE }),
    );
    assert.equal(ScheduledActions?.length, 1);
    const action = ScheduledActions?.[0];
    assert.equal(action?.Schedule, 'cron(0 8 ? * MON-FRI *)');
    assert.equal(action?.Timezone, 'Europe/Paris');
    assert.equal(action?.StartTime, undefined);
    assert.deepEqual(action?.ScalableTargetAction, { MinCapacity: 2 });
    assert.match(
      action?.ScheduledActionARN ?? '',
      /^arn:aws:autoscaling:us-east-1:000000000000:scheduledAction:[0-9a-f-]{36}:resource\/ecs\/service\/apps\/web:scheduledActionName\/weekday-morning$/,
    );
    await aas.send(new DeleteScheduledActionCommand({ ...TARGET, ScheduledActionName: 'weekday-morning' }));
    const gone = await awsError(() =>
      aas.send(new DeleteScheduledActionCommand({ ...TARGET, ScheduledActionName: 'weekday-morning' })),
    );
    assert.equal(gone.name, 'ObjectNotFoundException');
    const unregistered = await awsError(() =>
      aas.send(
        new PutScheduledActionCommand({
          ...TARGET,
          ResourceId: `service/${CLUSTER}/api`,
          ScheduledActionName: 'x',
          Schedule: 'at(2030-01-01T00:00:00)',
          ScalableTargetAction: { MinCapacity: 1 },
        }),
      ),
    );
    assert.equal(unregistered.name, 'ObjectNotFoundException');
  });

  it('deregisters a target with its policies, their alarms and its scheduled actions', async () => {
    await aas.send(
      new PutScheduledActionCommand({
        ...TARGET,
        ScheduledActionName: 'nightly',
        Schedule: 'cron(0 0 * * ? *)',
        ScalableTargetAction: { MaxCapacity: 2 },
      }),
    );
    const before = (await listAlarms(store())).filter((a) =>
      a.name.startsWith('TargetTracking-service/apps/web-'),
    );
    assert.ok(before.length > 0);
    await aas.send(new DeregisterScalableTargetCommand(TARGET));
    assert.deepEqual(
      (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets,
      [],
    );
    assert.deepEqual(
      (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }))).ScalingPolicies,
      [],
    );
    assert.deepEqual(
      (await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' }))).ScheduledActions,
      [],
    );
    const after = (await listAlarms(store())).filter((a) =>
      a.name.startsWith('TargetTracking-service/apps/web-'),
    );
    assert.deepEqual(after, []);
    // The user's own alarm stays.
    assert.ok(await getAlarm(store(), 'web-cpu-high'));
    const again = await awsError(() => aas.send(new DeregisterScalableTargetCommand(TARGET)));
    assert.equal(again.name, 'ObjectNotFoundException');
  });
});
