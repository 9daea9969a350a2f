/**
 * Two control planes on one PostgreSQL database (`--store postgres://`): both serve the API and
 * see each other's writes; only the lease holder runs the controllers, and when it goes the other
 * replica takes the lease and starts them.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { CreateClusterCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { sharedPostgres } from '../support/postgres.ts';

const availability = await sharedPostgres();

if ('skip' in availability) {
  it('control-plane replicas on PostgreSQL', { skip: availability.skip }, () => {});
} else {
  const server = availability.server;
  const planes: TestPlane[] = [];
  after(async () => {
    for (const p of planes) await p.stop().catch(() => {});
    await server.close();
  });

  it('serves the API on every replica and runs the controllers on the lease holder only, then on the other', {
    timeout: 60_000,
  }, async () => {
    const url = await server.createDatabase();
    const a = await startTestPlane({ storeUrl: url });
    planes.push(a);
    const b = await startTestPlane({ storeUrl: url });
    planes.push(b);
    await a.ecs.send(new CreateClusterCommand({ clusterName: 'shared' }));
    await waitFor('replica b to see the cluster', async () => {
      const out = await b.ecs.send(new ListClustersCommand({}));
      return out.clusterArns?.some((arn) => arn.endsWith('/shared')) ? true : undefined;
    });
    await b.ecs.send(new CreateClusterCommand({ clusterName: 'from-b' }));
    await waitFor('replica a to see the other cluster', async () => {
      const out = await a.ecs.send(new ListClustersCommand({}));
      return out.clusterArns?.some((arn) => arn.endsWith('/from-b')) ? true : undefined;
    });
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
