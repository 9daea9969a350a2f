import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListTasksCommand,
  RunTaskCommand,
  type RunTaskCommandOutput,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { countByAgent, registerFamily, simulatedCluster, waitRunning } from './support.ts';

const INSTANCES = 20;
/** 1024 MiB per instance and 512 MiB per task: room for exactly 2 x 20 = 40 tasks (CPU is ample). */
const CAPACITY = 40;
const CALLS = 100;

describe('RunTask racing on a nearly full simulated cluster', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  let ecs: ECSClient;
  before(async () => {
    t = await startTestPlane();
    sim = await simulatedCluster(
      t,
      'race',
      Array.from({ length: INSTANCES }, () => ({ memory: 1024, cpu: 8192 })),
    );
    await registerFamily(t.ecs, 'half', { memory: 512, cpu: 16 });
    // A pool as large as the burst, so all 100 calls are in flight at the server at once.
    ecs = new ECSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: { httpAgent: { keepAlive: true, maxSockets: CALLS } },
    });
  });
  after(async () => {
    ecs?.destroy();
    await sim?.stop();
    await t?.stop();
  });

  it(`places exactly ${CAPACITY} of ${CALLS} concurrent RunTask calls and never over-commits`, async () => {
    const outs: RunTaskCommandOutput[] = await Promise.all(
      Array.from({ length: CALLS }, (_, i) =>
        ecs.send(new RunTaskCommand({ cluster: 'race', taskDefinition: 'half', startedBy: `race-${i}` })),
      ),
    );
    const placed = outs.flatMap((o) => o.tasks ?? []);
    const failures = outs.flatMap((o) => o.failures ?? []);
    assert.equal(placed.length, CAPACITY);
    assert.equal(failures.length, CALLS - CAPACITY);
    for (const f of failures) assert.equal(f.reason, 'RESOURCE:MEMORY');

    const running = await waitRunning(
      t.ecs,
      'race',
      placed.map((task) => task.taskArn ?? ''),
    );
    assert.deepEqual(
      [...countByAgent(sim, running).values()],
      Array.from({ length: INSTANCES }, () => 2),
      'two tasks on every instance',
    );
    const listed = await t.ecs.send(new ListTasksCommand({ cluster: 'race', maxResults: 100 }));
    assert.equal(listed.taskArns?.length, CAPACITY);

    const described = await t.ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: 'race',
        containerInstances: sim.agents.map((a) => a.agent.containerInstanceArn),
      }),
    );
    for (const ci of described.containerInstances ?? []) {
      const memory = ci.remainingResources?.find((r) => r.name === 'MEMORY')?.integerValue;
      assert.equal(memory, 0, `${ci.containerInstanceArn} has no memory left, and none overdrawn`);
      assert.equal(ci.runningTasksCount, 2);
      assert.equal(ci.pendingTasksCount, 0);
    }
  });
});
