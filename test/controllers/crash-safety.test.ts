/**
 * Crash safety: `longshore server` runs as a child process and is killed with SIGKILL at several
 * points of a rolling deployment, then restarted on the same data directory and port. The
 * simulated agents (in this process) keep running their tasks meanwhile, and are the ground truth:
 * sampled throughout, they must never hold more than maximumPercent or fewer healthy tasks than
 * minimumHealthyPercent, and at the end run exactly the desired tasks of the new revision, each
 * known to the control plane (none lost, none duplicated).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  type ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { ecsClient } from '../support/control-plane.ts';
import { type CliProcess, freePort, startCli, stopCli } from '../support/spawn-cli.ts';
import { registerTd, simAgents, waitSteady } from './support.ts';

const CLUSTER = 'crash';
const DESIRED = 10;

/** What the agents are actually running, per task definition. */
function groundTruth(sim: SimulatedCluster): {
  holding: number;
  healthy: number;
  running: Map<string, string>;
} {
  let holding = 0;
  let healthy = 0;
  const running = new Map<string, string>();
  for (const { engine } of sim.agents) {
    for (const { taskArn } of engine.knownTasks()) {
      const task = engine.task(taskArn);
      if (!task || task.status === 'STOPPED') continue;
      holding++;
      const ok =
        task.status === 'RUNNING' &&
        task.containers.every((c) => c.health === undefined || c.health === 'HEALTHY');
      if (ok && task.desired === 'RUNNING') {
        healthy++;
        running.set(taskArn, task.assignment.taskDefinitionArn);
      }
    }
  }
  return { holding, healthy, running };
}

describe('crash safety of rolling deployments (control plane killed -9)', () => {
  let dataDir: string;
  let port: number;
  let server: CliProcess;
  let sim: SimulatedCluster;
  let client: ECSClient;
  const start = async () => {
    server = await startCli(['server', '--data-dir', dataDir, '--port', String(port), '--throttle', '0']);
    client = ecsClient(server.endpoint);
  };
  /** SIGKILL, then the same data directory and port again: the agents reconnect on their own. */
  const restart = async () => {
    await stopCli(server, 'SIGKILL');
    client.destroy();
    await sleep(100);
    await start();
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'longshore-crash-'));
    port = await freePort();
    await start();
    sim = await simAgents(server.endpoint, CLUSTER, 4);
    // Health checks pass 800 ms after RUNNING: long enough for kills to land mid-rollout.
    for (const family of ['v', 'v'])
      await registerTd(client, family, { healthCheck: true, labels: { 'health-delay-ms': '800' } });
  });
  after(async () => {
    client?.destroy();
    await sim?.stop();
    if (server) await stopCli(server, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Rolls `web` to `taskDefinition`, killing the control plane at each of `points`; returns the extremes seen. */
  async function rollout(
    taskDefinition: string,
    deploymentConfiguration: { minimumHealthyPercent: number; maximumPercent: number },
    points: ((count: (td: string) => number) => Promise<void>)[],
  ): Promise<{ maxHolding: number; minHealthy: number; samples: number }> {
    const seen = { maxHolding: 0, minHealthy: Number.POSITIVE_INFINITY, samples: 0 };
    const sampling = setInterval(() => {
      const now = groundTruth(sim);
      seen.maxHolding = Math.max(seen.maxHolding, now.holding);
      seen.minHealthy = Math.min(seen.minHealthy, now.healthy);
      seen.samples++;
    }, 5);
    try {
      await client.send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: 'web',
          taskDefinition,
          deploymentConfiguration,
        }),
      );
      const count = (td: string) =>
        [...groundTruth(sim).running.values()].filter((x) => x.endsWith(td)).length;
      for (const point of points) {
        await point(count);
        await restart();
      }
      await waitSteady(client, CLUSTER, 'web', 30_000);
      await waitUntil(() => groundTruth(sim).holding === DESIRED, 10_000);
    } finally {
      clearInterval(sampling);
    }
    const truth = groundTruth(sim);
    assert.equal(truth.running.size, DESIRED);
    assert.ok(
      [...truth.running.values()].every((td) => td.endsWith(taskDefinition)),
      'a task of the old revision survived',
    );
    const listed = await client.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web', desiredStatus: 'RUNNING' }),
    );
    assert.deepEqual([...(listed.taskArns ?? [])].sort(), [...truth.running.keys()].sort());
    assert.ok(seen.samples > 100, `only ${seen.samples} samples`);
    return seen;
  }

  it('creates the service', async () => {
    await client.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition: 'v:1',
        desiredCount: DESIRED,
      }),
    );
    await waitSteady(client, CLUSTER, 'web', 20_000);
  });

  it('min 100% / max 200%: killed while starting and while stopping old tasks', async () => {
    const seen = await rollout('v:2', { minimumHealthyPercent: 100, maximumPercent: 200 }, [
      () => sleep(30),
      (count) => waitUntil(() => count('v:2') >= 1),
    ]);
    assert.ok(seen.maxHolding <= 20, `max 200% broken: ${seen.maxHolding} tasks held`);
    assert.ok(seen.minHealthy >= 10, `min 100% broken: ${seen.minHealthy} healthy`);
  });

  it('min 50% / max 150%: killed at the start, mid-way and near the end', async () => {
    const seen = await rollout('v:1', { minimumHealthyPercent: 50, maximumPercent: 150 }, [
      () => sleep(30),
      (count) => waitUntil(() => count('v:1') >= 3),
      (count) => waitUntil(() => count('v:1') >= 8),
    ]);
    assert.ok(seen.maxHolding <= 15, `max 150% broken: ${seen.maxHolding} tasks held`);
    assert.ok(seen.minHealthy >= 5, `min 50% broken: ${seen.minHealthy} healthy`);
  });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
