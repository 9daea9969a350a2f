/**
 * A service on simulated agents (simulated runtime, real API and controllers) scaled by a
 * scheduled action: the service-scaling controller runs the action at its time, the service
 * controller starts the tasks, and the activities say so; and the `aws` CLI reads what it did.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  ApplicationAutoScalingClient,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { describe as describeService, registerTd, simAgents } from '../controllers/support.ts';

const CLUSTER = 'scaled';

/** `at()` takes whole seconds in UTC. */
const atExpression = (ms: number) => `at(${new Date(ms).toISOString().slice(0, 19)})`;

describe('service scaled by a scheduled action (simulated agents)', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  let aas: ApplicationAutoScalingClient;
  before(async () => {
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 200 } } });
    sim = await simAgents(t.plane.endpoint, CLUSTER, 2);
    await registerTd(t.ecs, 'web');
    aas = new ApplicationAutoScalingClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    aas?.destroy();
    await sim?.stop();
    await t?.stop();
  });

  it('runs the action at its time and the service reaches the new minimum', async () => {
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition: 'web',
        desiredCount: 1,
      }),
    );
    const target = {
      ServiceNamespace: 'ecs',
      ResourceId: `service/${CLUSTER}/web`,
      ScalableDimension: 'ecs:service:DesiredCount',
    } as const;
    await aas.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 5 }));
    const at = Math.ceil((Date.now() + 2_000) / 1000) * 1000;
    await aas.send(
      new PutScheduledActionCommand({
        ...target,
        ScheduledActionName: 'scale-up',
        Schedule: atExpression(at),
        ScalableTargetAction: { MinCapacity: 3, MaxCapacity: 5 },
      }),
    );
    const running = await waitFor(
      'three running tasks',
      async () => {
        const s = await describeService(t.ecs, CLUSTER, 'web');
        return s.desiredCount === 3 && s.runningCount === 3 ? s : undefined;
      },
      20_000,
    );
    assert.equal(running.desiredCount, 3);
    assert.ok(Date.now() >= at, 'not before its time');

    const { stdout } = await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        t.plane.endpoint,
        'application-autoscaling',
        'describe-scaling-activities',
        '--service-namespace',
        'ecs',
        '--resource-id',
        `service/${CLUSTER}/web`,
        '--output',
        'json',
      ],
      { env: awsCliEnv(), encoding: 'utf8' },
    );
    const activities = (JSON.parse(stdout) as { ScalingActivities: Record<string, unknown>[] })
      .ScalingActivities;
    assert.deepEqual(
      activities.map((a) => [a.Description, a.Cause, a.StatusCode]),
      [
        ['Setting desired count to 3.', 'minimum capacity was set to 3', 'Successful'],
        [
          'Setting min capacity to 3 and max capacity to 5',
          'scheduled action name scale-up was triggered',
          'Successful',
        ],
      ],
    );
    const targets = await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        t.plane.endpoint,
        'application-autoscaling',
        'describe-scalable-targets',
        '--service-namespace',
        'ecs',
      ],
      { env: awsCliEnv(), encoding: 'utf8' },
    );
    const described = JSON.parse(targets.stdout) as {
      ScalableTargets: { MinCapacity: number; MaxCapacity: number }[];
    };
    assert.deepEqual(
      described.ScalableTargets.map((s) => [s.MinCapacity, s.MaxCapacity]),
      [[3, 5]],
    );
  });
});
