/**
 * Cluster mode with agents: an agent connected to one replica gets the tasks placed through
 * another, learns every live replica from its `welcome`, moves to another replica when its own
 * goes (its tasks keep running, none is started twice), and the leader marks disconnected the
 * agents of a replica that stopped heartbeating.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DescribeContainerInstancesCommand,
  type ECSClient,
  ListContainerInstancesCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { startSimulatedAgents } from '../../src/agent/simulated/start-simulated-agents.ts';
import { keys } from '../../src/ecs/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS } from '../support/control-plane.ts';
import { replicaHarness } from '../support/replicas.ts';
import { registerFamily, waitRunning } from '../simulated/support.ts';

const harness = await replicaHarness('agents on control-plane replicas');

async function instance(ecs: ECSClient, cluster: string) {
  const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster }))).containerInstanceArns ?? [];
  const out = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: arns }));
  return out.containerInstances?.[0];
}

if (harness) {
  const { server, planes } = harness;
  const { cleanups } = harness;

  it('an agent on one replica runs tasks placed through another, then moves to it when its own stops', {
    timeout: 90_000,
  }, async () => {
    const { a, b } = await harness.twoReplicas();
    // Given only replica a: b's endpoint comes in the welcome.
    const sim = await startSimulatedAgents({
      endpoint: a.plane.endpoint,
      agentEndpoints: () => [a.plane.endpoint],
      cluster: 'multi',
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      count: 1,
      profile: { startMs: 20 },
    });
    cleanups.push(() => sim.stop());
    const agent = sim.agents[0].agent;
    const connected = await instance(b.ecs, 'multi');
    assert.equal(connected?.agentConnected, true, 'replica b sees the agent connected to a');

    await registerFamily(b.ecs, 'web');
    const first = await b.ecs.send(new RunTaskCommand({ cluster: 'multi', taskDefinition: 'web', count: 2 }));
    const firstArns = (first.tasks ?? []).map((t) => t.taskArn ?? '');
    assert.equal(firstArns.length, 2, JSON.stringify(first.failures));
    // Placed through b, assigned by a's hub (the change reached it through PostgreSQL).
    await waitRunning(b.ecs, 'multi', firstArns, 15_000);

    const key = keys.containerInstance('multi', agent.containerInstanceArn.split('/').pop() ?? '');
    const session = async () =>
      (
        await b.plane.store.get<{ agentSession?: { replica: string; id: string } }>(
          Kind.ContainerInstance,
          key,
        )
      )?.value.agentSession;
    const onA = await session();
    assert.ok(onA?.replica, 'the session names the replica holding it');
    const before = await waitRunning(b.ecs, 'multi', firstArns, 5_000);

    // Replica a stops: the agent moves to b, its tasks keep running, b takes the lease.
    await a.stop();
    planes.shift();
    const moved = performance.now();
    await waitFor(
      'the agent to reconnect to replica b',
      async () => {
        const ci = await instance(b.ecs, 'multi');
        const now = await session();
        return agent.connected && ci?.agentConnected && now && now.replica !== onA.replica ? true : undefined;
      },
      20_000,
    );
    console.log(`# agent moved to the other replica in ${Math.round(performance.now() - moved)} ms`);
    // The same tasks, started once: not restarted by the move.
    const after = await waitRunning(b.ecs, 'multi', firstArns, 5_000);
    assert.deepEqual(
      after.map((t) => t.startedAt?.getTime()),
      before.map((t) => t.startedAt?.getTime()),
    );
    const second = await b.ecs.send(
      new RunTaskCommand({ cluster: 'multi', taskDefinition: 'web', count: 1 }),
    );
    const secondArns = (second.tasks ?? []).map((t) => t.taskArn ?? '');
    assert.equal(secondArns.length, 1, JSON.stringify(second.failures));
    await waitRunning(b.ecs, 'multi', secondArns, 15_000);
    // Nothing was started twice: three tasks, each RUNNING once, on the one instance.
    const all = await waitRunning(b.ecs, 'multi', [...firstArns, ...secondArns], 5_000);
    assert.equal(new Set(all.map((t) => t.taskArn)).size, 3);
  });

  it('the leader marks disconnected the agents of a replica that stopped heartbeating', {
    timeout: 60_000,
  }, async () => {
    const url = await server.createDatabase();
    const leader = await startTestPlane({ storeUrl: url });
    planes.push(leader);
    const sim = await startSimulatedAgents({
      endpoint: leader.plane.endpoint,
      cluster: 'orphans',
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      count: 1,
    });
    const arn = sim.agents[0].agent.containerInstanceArn;
    // The agent goes without a word (as with a replica killed with its sessions): its record
    // still says connected, held by a replica that never heartbeats.
    await sim.stop();
    const key = keys.containerInstance('orphans', arn.split('/').pop() ?? '');
    await leader.plane.store.transact(async (tx) => {
      const r = await tx.get<{ instance: { agentConnected: boolean }; agentSession?: object }>(
        Kind.ContainerInstance,
        key,
      );
      assert.ok(r);
      await tx.put(Kind.ContainerInstance, key, {
        ...r.value,
        instance: { ...r.value.instance, agentConnected: true },
        agentSession: { id: 'gone', replica: 'replica-that-died', address: '10.0.0.9', since: 0 },
      });
    });
    const started = performance.now();
    await waitFor(
      'the leader to mark the orphaned agent disconnected',
      async () => ((await instance(leader.ecs, 'orphans'))?.agentConnected === false ? true : undefined),
      30_000,
    );
    console.log(`# orphaned session ended after ${Math.round(performance.now() - started)} ms`);
  });
}
