/**
 * Deployment alarms end to end on simulated agents: a deployment bakes while its CloudWatch alarm
 * is quiet, and fails and rolls back when the alarm goes into ALARM during the bake.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateServiceCommand, type Deployment, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { describe as describeService, registerTd, simAgents } from './support.ts';

const CLUSTER = 'alarmed';
const PERIOD = 10;

describe('deployment alarms on a service', { timeout: 120_000 }, () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  let cw: CloudWatchClient;
  before(async () => {
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 300 } } });
    sim = await simAgents(t.plane.endpoint, CLUSTER, 2);
    cw = new CloudWatchClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    await registerTd(t.ecs, 'api');
    await registerTd(t.ecs, 'api');
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'api-errors',
        Namespace: 'Test/Api',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: PERIOD,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
  });
  after(async () => {
    cw?.destroy();
    await sim?.stop();
    await t?.stop();
  });

  const primary = async (): Promise<Deployment | undefined> =>
    (await describeService(t.ecs, CLUSTER, 'api')).deployments?.find((d) => d.status === 'PRIMARY');

  it('bakes a steady deployment for the alarm window, then fails and rolls back one the alarm catches', async () => {
    const alarms = { alarmNames: ['api-errors'], enable: true, rollback: true };
    const created = await t.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'api',
        taskDefinition: 'api:1',
        desiredCount: 2,
        deploymentConfiguration: { alarms },
      }),
    );
    assert.deepEqual(created.service?.deploymentConfiguration?.alarms, alarms);
    // Steady but still IN_PROGRESS: the deployment bakes for the alarm's window plus a period (20 s).
    const baking = await waitFor('the first deployment steady', async () => {
      const d = await primary();
      return d?.runningCount === 2 ? d : undefined;
    });
    assert.equal(baking.rolloutState, 'IN_PROGRESS');
    const steadyAt = Date.now();
    const completed = await waitFor(
      'the first deployment to complete after its bake',
      async () => ((await primary())?.rolloutState === 'COMPLETED' ? Date.now() : undefined),
      30_000,
      200,
    );
    assert.ok(completed - steadyAt >= 2 * PERIOD * 1000 - 1500, `baked ${completed - steadyAt} ms`);

    await t.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'api', taskDefinition: 'api:2' }));
    const second = await waitFor('the second deployment steady and baking', async () => {
      const d = await primary();
      const service = await describeService(t.ecs, CLUSTER, 'api');
      return d?.taskDefinition?.endsWith('api:2') && d.runningCount === 2 && service.deployments?.length === 1
        ? d
        : undefined;
    });
    assert.equal(second.rolloutState, 'IN_PROGRESS');
    // The new tasks start failing: errors every second until the alarm catches the deployment.
    const errors = setInterval(() => {
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'Test/Api',
          MetricData: [{ MetricName: 'Errors', Value: 5, Timestamp: new Date(), StorageResolution: 1 }],
        }),
      ).catch(() => {});
    }, 1000);
    let service: Awaited<ReturnType<typeof describeService>>;
    try {
      service = await waitFor(
        'the rollback',
        async () => {
          const s = await describeService(t.ecs, CLUSTER, 'api');
          return s.taskDefinition?.endsWith('api:1') ? s : undefined;
        },
        45_000,
        200,
      );
    } finally {
      clearInterval(errors);
    }
    const failed = service.deployments?.find((d) => d.id === second.id);
    assert.equal(failed?.rolloutState, 'FAILED');
    assert.equal(
      failed?.rolloutStateReason,
      `ECS deployment ${second.id} failed: alarm(s) detected: api-errors.`,
    );
    const messages = (service.events ?? []).map((e) => e.message ?? '');
    assert.ok(
      messages.includes(
        `(service api) (deployment ${second.id}) deployment failed: alarm(s) detected: api-errors.`,
      ),
      messages.join('\n'),
    );
    // The alarm was already in ALARM when the rollback began: it does not fail the rollback.
    const back = await waitFor(
      'the rollback to complete',
      async () => {
        const d = await primary();
        return d?.rolloutState === 'COMPLETED' && d.runningCount === 2 ? d : undefined;
      },
      40_000,
      200,
    );
    assert.ok(back.taskDefinition?.endsWith('api:1'));
  });
});
