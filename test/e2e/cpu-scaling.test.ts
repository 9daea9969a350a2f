/**
 * Issues 13 and 16 on real Docker, with the fast local metrics (LONGSHORE_FAST_METRICS=1: AWS/ECS
 * datapoints every 5 s as high-resolution data, 10 s target tracking periods, cooldowns of at most
 * 10 s, alarms evaluated every second). A service whose task idles 30 s and then spins a core
 * (BusyBox `while :; do :; done` against 256 reserved CPU units) raises its AWS/ECS CPUUtilization; a
 * CloudWatch alarm on it goes into ALARM; target tracking on ECSServiceAverageCPUUtilization scales
 * the service out (a new task RUNNING) and, once the service runs an idle task definition, back in
 * (AlarmLow needs 15 of 15 ten-second datapoints: about 2.5 minutes). DescribeScalingActivities
 * explains each step. Prints the time from load start to the first scale-out (docs/performance.md,
 * "Auto scaling"). Real time, about 4 minutes; the agent's containers are removed at the end.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type ScalingActivity,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe as describeService } from '../controllers/support.ts';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const IMAGE = 'longshore-test/busybox:latest';
const haveDocker = spawnSync('docker', ['image', 'inspect', IMAGE]).status === 0;
const SERVICE = 'burn';
const IDLE_S = 30;
const DIMENSIONS = [
  { Name: 'ClusterName', Value: 'default' },
  { Name: 'ServiceName', Value: SERVICE },
];

describe('CPU load scales a service on real Docker (fast local metrics)', {
  skip: !haveDocker && `docker or ${IMAGE} is missing (scripts/build-test-images.sh)`,
}, () => {
  let saved: string | undefined;
  let t: TestPlane;
  let a: TestAgent | undefined;
  let aas: ApplicationAutoScalingClient;
  let cw: CloudWatchClient;
  before(async () => {
    saved = process.env.LONGSHORE_FAST_METRICS;
    process.env.LONGSHORE_FAST_METRICS = '1';
    t = await startTestPlane();
    const client = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    aas = new ApplicationAutoScalingClient(client);
    cw = new CloudWatchClient(client);
    // No usageSampleMs: the agent samples at the pace the control plane's welcome asks for (5 s).
    a = await startTestAgent(t, { cluster: 'default', cpu: '2048', memory: '1024' });
  });
  after(async () => {
    await t.ecs.send(new UpdateServiceCommand({ service: SERVICE, desiredCount: 0 })).catch(() => undefined);
    await t.ecs.send(new DeleteServiceCommand({ service: SERVICE, force: true })).catch(() => undefined);
    aas?.destroy();
    cw?.destroy();
    await a?.stop();
    await t?.stop();
    if (saved === undefined) delete process.env.LONGSHORE_FAST_METRICS;
    else process.env.LONGSHORE_FAST_METRICS = saved;
  });

  it('raises CPUUtilization, trips an alarm, scales out under load and back in when it stops', {
    timeout: 420_000,
  }, async () => {
    const register = async (family: string, command: string[]) =>
      (
        await t.ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            cpu: '256',
            memory: '64',
            containerDefinitions: [{ name: family, image: IMAGE, command, stopTimeout: 1 }],
          }),
        )
      ).taskDefinition?.taskDefinitionArn;
    // Idle for its first 30 s (the alarms see datapoints below the target), then a core spins.
    const burner = await register('burner', ['sh', '-c', `sleep ${IDLE_S}; while :; do :; done`]);
    const idler = await register('idler', ['sleep', '3600']);
    await t.ecs.send(
      new CreateServiceCommand({ serviceName: SERVICE, taskDefinition: burner, desiredCount: 1 }),
    );
    const target = {
      ServiceNamespace: 'ecs',
      ResourceId: `service/default/${SERVICE}`,
      ScalableDimension: 'ecs:service:DesiredCount',
    } as const;
    await aas.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 2 }));
    const policy = await aas.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'cpu50',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        },
      }),
    );
    const high = policy.Alarms?.find((x) => x.AlarmName?.includes('-AlarmHigh-'))?.AlarmName;
    const low = policy.Alarms?.find((x) => x.AlarmName?.includes('-AlarmLow-'))?.AlarmName;
    assert.ok(high && low, 'target tracking made its two alarms');
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'burn-cpu-high',
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: DIMENSIONS,
        Statistic: 'Average',
        Period: 10,
        EvaluationPeriods: 1,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );

    // Load start: IDLE_S after the burner's task started.
    const first = await waitFor('the burner task RUNNING', () => runningTasks(1), 60_000, 250);
    const loadStart = ((first[0]?.startedAt as Date | undefined)?.getTime() ?? Date.now()) + IDLE_S * 1000;

    // The alarm on the service's CPUUtilization goes into ALARM on the 10 s high-resolution datapoints.
    await waitFor(
      'burn-cpu-high in ALARM',
      async () => {
        const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['burn-cpu-high'] }));
        return out.MetricAlarms?.[0]?.StateValue === 'ALARM' ? true : undefined;
      },
      60_000,
      500,
    );
    const now = Date.now();
    const metric = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 60_000),
        EndTime: new Date(now),
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: DIMENSIONS },
              Period: 5,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    const values = metric.MetricDataResults?.[0]?.Values ?? [];
    assert.ok(values.length >= 1, 'a 5-second datapoint');
    // 256 units reserved, a spinning core capped at them: about 100 %; on a loaded box surely over 50.
    assert.ok(Math.max(...values) > 50, `CPUUtilization ${values.join(', ')}`);

    // Target tracking: AlarmHigh (3 of 3 ten-second datapoints over 50) sets the desired count to 2.
    await waitFor(
      'the first scale-out',
      async () => ((await describeService(t.ecs, 'default', SERVICE)).desiredCount === 2 ? true : undefined),
      120_000,
      200,
    );
    const seconds = (Date.now() - loadStart) / 1000;
    await waitFor('two burner tasks RUNNING', () => runningTasks(2), 60_000, 100);
    const running = (Date.now() - loadStart) / 1000;
    console.log(
      `target tracking on real Docker, fast metrics (5 s datapoints, 10 s periods): load start -> first scale-out ${seconds.toFixed(1)} s, -> new task RUNNING ${running.toFixed(1)} s`,
    );
    // Three 10-second datapoints over the target after idle ones: not sooner than 20 s.
    assert.ok(seconds >= 20, `scaled out ${seconds} s after the load started`);
    const out = await activities();
    assert.equal(out[0]?.Description, 'Setting desired count to 2.');
    assert.equal(out[0]?.Cause, `monitor alarm ${high} in state ALARM triggered policy cpu50`);
    assert.equal(out[0]?.StatusCode, 'Successful');

    // The load stops: the service runs an idle task definition; AlarmLow brings it back to 1.
    const loadStop = Date.now();
    await t.ecs.send(new UpdateServiceCommand({ service: SERVICE, taskDefinition: idler }));
    await waitFor(
      'the scale-in',
      async () => ((await describeService(t.ecs, 'default', SERVICE)).desiredCount === 1 ? true : undefined),
      300_000,
      1_000,
    );
    console.log(
      `target tracking on real Docker, fast metrics: load stop -> scale-in ${((Date.now() - loadStop) / 1000).toFixed(1)} s`,
    );
    const later = await activities();
    assert.equal(later[0]?.Description, 'Setting desired count to 1.');
    assert.equal(later[0]?.Cause, `monitor alarm ${low} in state ALARM triggered policy cpu50`);
    assert.equal(later.filter((x) => x.StatusCode === 'Successful').length, 2, JSON.stringify(later));
    await waitFor(
      'one idle task left',
      async () => {
        const s = await describeService(t.ecs, 'default', SERVICE);
        return s.runningCount === 1 && s.deployments?.length === 1 ? true : undefined;
      },
      60_000,
      500,
    );
  });

  async function runningTasks(n: number) {
    const arns = (await t.ecs.send(new ListTasksCommand({ serviceName: SERVICE, desiredStatus: 'RUNNING' })))
      .taskArns;
    if (!arns || arns.length < n) return undefined;
    const tasks = (await t.ecs.send(new DescribeTasksCommand({ tasks: arns }))).tasks ?? [];
    const running = tasks.filter((x) => x.lastStatus === 'RUNNING');
    return running.length >= n ? running : undefined;
  }

  async function activities(): Promise<ScalingActivity[]> {
    const out = await aas.send(
      new DescribeScalingActivitiesCommand({
        ServiceNamespace: 'ecs',
        ResourceId: `service/default/${SERVICE}`,
      }),
    );
    return out.ScalingActivities ?? [];
  }
});
