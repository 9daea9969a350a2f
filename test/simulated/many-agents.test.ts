import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListContainerInstancesCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { countByAgent, registerFamily, simulatedCluster, waitRunning } from './support.ts';

/** Enough agents to exercise batched registration and one WebSocket each, small enough for CI. */
const AGENTS = 300;

describe(`${AGENTS} simulated agents in one process`, () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  before(async () => {
    t = await startTestPlane();
    // Default shapes: three AZs, four instance types.
    sim = await simulatedCluster(
      t,
      'many',
      Array.from({ length: AGENTS }, () => ({})),
    );
    await registerFamily(t.ecs, 'one-each', { memory: 64, cpu: 16 });
  });
  after(async () => {
    await sim?.stop();
    await t?.stop();
  });

  it('registers and connects every agent', async () => {
    assert.equal(t.plane.hub.connected().length, AGENTS);
    let listed = 0;
    let nextToken: string | undefined;
    do {
      const page = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'many', nextToken }));
      listed += page.containerInstanceArns?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    assert.equal(listed, AGENTS);
  });

  it('delivers one task to every agent (distinctInstance) and each reaches RUNNING', async () => {
    const outs = await Promise.all(
      Array.from({ length: AGENTS / 10 }, () =>
        t.ecs.send(
          new RunTaskCommand({
            cluster: 'many',
            taskDefinition: 'one-each',
            count: 10,
            group: 'one-each',
            placementConstraints: [{ type: 'distinctInstance' }],
            placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
          }),
        ),
      ),
    );
    assert.deepEqual(
      outs.flatMap((o) => o.failures ?? []),
      [],
    );
    const arns = outs.flatMap((o) => (o.tasks ?? []).map((task) => task.taskArn ?? ''));
    const running = await waitRunning(t.ecs, 'many', arns, 20_000);
    const perAgent = countByAgent(sim, running);
    assert.equal(perAgent.size, AGENTS);
    assert.ok([...perAgent.values()].every((n) => n === 1));
    assert.equal(
      sim.agents.reduce((n, a) => n + a.engine.activeTasks, 0),
      AGENTS,
      'every simulated engine runs its task',
    );
  });
});
