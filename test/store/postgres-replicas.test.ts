/**
 * Two control planes on one PostgreSQL database (`--store postgres://`): both serve the API and
 * see each other's writes; only the lease holder runs the controllers, and when it goes the other
 * replica takes the lease and starts them.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { waitFor } from '../support/agents.ts';
import { replicaHarness } from '../support/replicas.ts';

const harness = await replicaHarness('control-plane replicas on PostgreSQL');

if (harness) {
  const { planes } = harness;

  it('serves the API on every replica and runs the controllers on the lease holder only, then on the other', {
    timeout: 60_000,
  }, async () => {
    const { a, b } = await harness.twoReplicas();
    // Read-your-writes across replicas: each request waits for every commit acknowledged before it.
    for (let i = 0; i < 20; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      await writer.ecs.send(new CreateClusterCommand({ clusterName: `rw-${i}` }));
      const seen = await reader.ecs.send(new DescribeClustersCommand({ clusters: [`rw-${i}`] }));
      assert.equal(
        seen.clusters?.[0]?.status,
        'ACTIVE',
        `round ${i}: the other replica saw the new cluster at once`,
      );
    }
    await a.ecs.send(new CreateClusterCommand({ clusterName: 'shared' }));
    await b.ecs.send(new CreateClusterCommand({ clusterName: 'from-b' }));
    // The first replica took the lease: its region runs the controllers, the second's does not.
    assert.ok(a.plane.alarmEvaluations.size > 0, 'the leader evaluates alarms');
    assert.equal(b.plane.alarmEvaluations.size, 0, 'a follower runs no controllers');
    const started = performance.now();
    await a.stop();
    planes.shift();
    await waitFor(
      'the follower to take the lease and start its controllers',
      async () => (b.plane.alarmEvaluations.size > 0 ? true : undefined),
      15_000,
    );
    const failoverMs = performance.now() - started;
    console.log(`# failover after a clean stop: ${Math.round(failoverMs)} ms`);
    assert.ok(failoverMs < 10_000, `took over in ${Math.round(failoverMs)} ms`);
    const out = await b.ecs.send(new ListClustersCommand({}));
    assert.equal(out.clusterArns?.filter((arn) => /\/(shared|from-b)$/.test(arn)).length, 2);
  });
}
