/**
 * A service that cannot be placed must never take the control plane with it: the API keeps its
 * idle latency while the service keeps trying, the service says why in ECS's event, SIGTERM
 * exits promptly, and a restart on the same data answers at once. (Before the fix, one
 * CreateService with desiredCount 51 on an empty cluster froze the process for good.)
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { waitFor } from '../support/agents.ts';
import { ecsClient, startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { freePort, startCli } from '../support/spawn-cli.ts';
import { describe as describeService, simAgents } from './support.ts';

const HUGE = 10_000;
const UNPLACED = /was unable to place a task because no container instance met all of its requirements/;

/** p99 of `n` sequential ListClusters calls, in ms. */
async function listP99(ecs: ECSClient, n = 200): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await ecs.send(new ListClustersCommand({}));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n * 0.99)];
}

/**
 * ListClusters p99 with the service at rest and while it keeps failing to place its tasks,
 * alternated three times so that the load of whatever else runs on these 2 cores (the runner
 * runs two test files at once) falls on both alike; the best round of each is compared. Asserts
 * "within 2x of idle" with 25 ms of slack: on a 2-core CI machine running two test files at once a
 * p99 of a few milliseconds jumps by 10 ms between rounds of the same state (CI once saw 12.2 ms
 * busy against a lucky 1.9 ms at rest), while what the test guards against (a reconcile that never
 * yields, or spins) costs hundreds of milliseconds or freezes the API.
 */
async function assertApiUnaffected(
  ecs: ECSClient,
  rest: () => Promise<void>,
  retrying: () => Promise<void>,
): Promise<void> {
  const calm: number[] = [];
  const busy: number[] = [];
  for (let round = 0; round < 3; round++) {
    await rest();
    calm.push(await listP99(ecs));
    await retrying();
    busy.push(await listP99(ecs));
  }
  const [idle, hot] = [Math.min(...calm), Math.min(...busy)];
  process.stdout.write(`# ListClusters p99 ${hot.toFixed(2)} ms retrying vs ${idle.toFixed(2)} ms at rest\n`);
  assert.ok(hot <= Math.max(2 * idle, idle + 25), `p99 ${hot.toFixed(2)} ms vs idle ${idle.toFixed(2)} ms`);
}

/** Sets the service's desired count and lets a few placement passes (every 100 ms here) run. */
async function scale(ecs: ECSClient, cluster: string, desiredCount: number): Promise<void> {
  await ecs.send(new UpdateServiceCommand({ cluster, service: 'big', desiredCount }));
  await new Promise((r) => setTimeout(r, 300));
}

async function registerSmall(ecs: ECSClient): Promise<void> {
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'td',
      containerDefinitions: [{ name: 'c', image: 'longshore-test/td:latest', memory: 64 }],
    }),
  );
}

describe('a service that cannot be placed', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;

  before(async () => {
    // Placement retried every 100 ms instead of ECS's pace: the service keeps the scheduler busy.
    t = await startTestPlane({ controllers: { service: { placementRetryMs: 100 } } });
    await registerSmall(t.ecs);
    await listP99(t.ecs, 100); // warm-up
  });
  after(async () => {
    await sim?.stop();
    await t?.stop();
  });

  it('on an empty cluster: the API keeps its latency and the service says why', async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'empty' }));
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'empty',
        serviceName: 'big',
        taskDefinition: 'td:1',
        desiredCount: HUGE,
      }),
    );
    const s = await waitFor('the placement-failure event', async () => {
      const service = await describeService(t.ecs, 'empty', 'big');
      return service.events?.some((e) => UNPLACED.test(e.message ?? '')) ? service : undefined;
    });
    assert.match(s.events?.[0].message ?? '', /No Container Instances were found in your cluster/);
    assert.equal(s.runningCount, 0);
    // At rest: nothing to place. Retrying: UpdateService back to a count nothing can hold.
    await assertApiUnaffected(
      t.ecs,
      () => scale(t.ecs, 'empty', 0),
      () => scale(t.ecs, 'empty', HUGE + 1),
    );
    await scale(t.ecs, 'empty', 0); // the next test measures its own service alone
  });

  it('on a cluster that fits 10 tasks: 10 run, the API keeps its latency, the event names the closest instance', async () => {
    // One simulated instance with 640 MiB: ten 64 MiB tasks. At rest is the same cluster with the
    // ten tasks running and nothing left to place, so the comparison is like with like.
    sim = await simAgentsWithMemory(t.plane.endpoint, 'ten', 640);
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'ten',
        serviceName: 'big',
        taskDefinition: 'td:1',
        desiredCount: 10,
      }),
    );
    await waitFor(
      'ten tasks running',
      async () => (await describeService(t.ecs, 'ten', 'big')).runningCount === 10,
    );
    await t.ecs.send(new UpdateServiceCommand({ cluster: 'ten', service: 'big', desiredCount: HUGE }));
    const s = await waitFor(
      'ten tasks running and the placement-failure event',
      async () => {
        const service = await describeService(t.ecs, 'ten', 'big');
        const unplaced = service.events?.some((e) =>
          /has insufficient memory available/.test(e.message ?? ''),
        );
        return service.runningCount === 10 && unplaced ? service : undefined;
      },
      20_000,
    );
    assert.equal(s.desiredCount, HUGE);
    await assertApiUnaffected(
      t.ecs,
      () => scale(t.ecs, 'ten', 10),
      () => scale(t.ecs, 'ten', HUGE),
    );
  });
});

function simAgentsWithMemory(endpoint: string, cluster: string, memory: number): Promise<SimulatedCluster> {
  return simAgents(endpoint, cluster, 1, { instance: () => ({ memory }) });
}

describe('a process with an unplaceable service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-unplaceable-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits within 5 s of SIGTERM, and a restart answers at once', async () => {
    const port = await freePort();
    const args = ['server', '--port', String(port), '--data-dir', dataDir, '--throttle', '0'];
    const first = await startCli(args);
    const ecs = ecsClient(first.endpoint);
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: 'empty' }));
      await registerSmall(ecs);
      await ecs.send(
        new CreateServiceCommand({
          cluster: 'empty',
          serviceName: 'big',
          taskDefinition: 'td:1',
          desiredCount: HUGE,
        }),
      );
      await waitFor('the placement-failure event', async () =>
        (await describeService(ecs, 'empty', 'big')).events?.some((e) => UNPLACED.test(e.message ?? '')),
      );
      const t0 = performance.now();
      first.child.kill('SIGTERM');
      await once(first.child, 'exit');
      const exitMs = performance.now() - t0;
      process.stdout.write(`# SIGTERM -> exit ${exitMs.toFixed(0)} ms\n`);
      assert.ok(exitMs < 5_000, `SIGTERM took ${exitMs.toFixed(0)} ms`);

      const t1 = performance.now();
      const second = await startCli(args, {}, 5_000);
      const again = ecsClient(second.endpoint);
      try {
        await again.send(new ListClustersCommand({}));
        const readyMs = performance.now() - t1;
        process.stdout.write(`# restart -> first answer ${readyMs.toFixed(0)} ms\n`);
        assert.ok(readyMs < 3_000, `restart answered after ${readyMs.toFixed(0)} ms`);
        assert.equal((await describeService(again, 'empty', 'big')).desiredCount, HUGE);
        assert.doesNotMatch(second.output(), /event loop stalled/);
      } finally {
        again.destroy();
        second.child.kill('SIGTERM');
        await once(second.child, 'exit');
      }
      assert.doesNotMatch(first.output(), /event loop stalled/);
    } finally {
      ecs.destroy();
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  });
});
