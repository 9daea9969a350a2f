/**
 * Target tracking end to end with the shortened local periods (LONGSHORE_AUTOSCALING_PERIOD_SECONDS=10,
 * alarms evaluated every second): CPU at 90% for a 50% target is written to the metric store every
 * second (high resolution, as an agent's samples would be) from "load start"; the policy's AlarmHigh needs 3 of 3 ten-second datapoints, CloudWatch
 * invokes the policy, and the service's desired count goes from 1 to 2. Prints the time from load
 * start to the scale-out (docs/performance.md, "Auto scaling"). Real time, about 35 seconds.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { putMetricData } from '../../src/cloudwatch/model/metric-data.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { describe as describeService } from '../controllers/support.ts';

const ENV = { LONGSHORE_AUTOSCALING_PERIOD_SECONDS: '10', LONGSHORE_ALARM_EVALUATION_MS: '1000' } as const;
const saved: Record<string, string | undefined> = {};
let t: TestPlane;
let aas: ApplicationAutoScalingClient;

before(async () => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  t = await startTestPlane({ controllers: false });
  const client = {
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  };
  aas = new ApplicationAutoScalingClient(client);
});
after(async () => {
  aas.destroy();
  await t.stop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

it('scales out within seconds of a CPU load with the shortened periods', { timeout: 120_000 }, async () => {
  await t.ecs.send(new CreateClusterCommand({ clusterName: 'load' }));
  await t.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'burn',
      containerDefinitions: [{ name: 'burn', image: 'burn:1', memory: 64 }],
    }),
  );
  await t.ecs.send(
    new CreateServiceCommand({
      cluster: 'load',
      serviceName: 'burn',
      taskDefinition: 'burn',
      desiredCount: 1,
    }),
  );
  const target = {
    ServiceNamespace: 'ecs',
    ResourceId: 'service/load/burn',
    ScalableDimension: 'ecs:service:DesiredCount',
  } as const;
  await aas.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 10 }));
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
  // The service ran idle (5% CPU) for the minute before: the alarm has datapoints that do not breach.
  const store = t.plane.regions.context('us-east-1').store;
  const idleUntil = Date.now();
  await putMetricData(
    store,
    Array.from({ length: 60 }, (_, i) => cpu(idleUntil - (60 - i) * 1000, 5)),
  );
  const loadStart = Date.now();
  let stop = false;
  const load = (async () => {
    while (!stop) {
      await putMetricData(store, [cpu(Date.now(), 90)]);
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  try {
    await waitFor(
      'the first scale-out',
      async () => ((await describeService(t.ecs, 'load', 'burn')).desiredCount === 2 ? true : undefined),
      90_000,
      200,
    );
  } finally {
    stop = true;
    await load;
  }
  const seconds = (Date.now() - loadStart) / 1000;
  console.log(
    `target tracking, shortened periods (10 s, alarms evaluated every 1 s): load start -> first scale-out ${seconds.toFixed(1)} s`,
  );
  // Three 10-second datapoints cannot breach sooner than 20 s after the first one starts.
  assert.ok(seconds >= 20, `scaled out after ${seconds} s`);
  const { ScalingActivities } = await aas.send(
    new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: target.ResourceId }),
  );
  const high = policy.Alarms?.[0]?.AlarmName;
  assert.equal(ScalingActivities?.[0]?.Cause, `monitor alarm ${high} in state ALARM triggered policy cpu50`);
  assert.equal(ScalingActivities?.[0]?.Description, 'Setting desired count to 2.');
});

/** One high-resolution AWS/ECS CPUUtilization sample of the service (AWS/ is reserved to AWS: written as the publisher writes it). */
function cpu(timestamp: number, value: number) {
  return {
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensions: [
      { name: 'ClusterName', value: 'load' },
      { name: 'ServiceName', value: 'burn' },
    ],
    timestamp,
    unit: 'Percent',
    sampleCount: 1,
    sum: value,
    minimum: value,
    maximum: value,
    storageResolution: 1,
  };
}
