/** Helpers for service controller tests on SIMULATED agents: task definitions, waits, and an invariant sampler. */
import assert from 'node:assert/strict';
import {
  type ContainerDefinition,
  DescribeServicesCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  type SimulatedAgentsOptions,
  type SimulatedCluster,
  startSimulatedAgents,
} from '../../src/agent/simulated/start-simulated-agents.ts';
import type { TaskRecord } from '../../src/ecs/model/records.ts';
import { Kind, type Reader } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';

/** Fast simulated containers: RUNNING 100 ms after assignment, stopped 50 ms after SIGTERM. */
export const FAST = { startMs: 100, stopDelayMs: 50, healthDelayMs: 200 } as const;

export function simAgents(
  endpoint: string,
  cluster: string,
  count: number,
  extra: Partial<SimulatedAgentsOptions> = {},
): Promise<SimulatedCluster> {
  return startSimulatedAgents({
    endpoint,
    cluster,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    count,
    profile: FAST,
    cleanupWaitMs: 60_000,
    waitConnectedMs: 20_000,
    ...extra,
  });
}

/** Registers `family` with one container; `labels` are simulation overrides (`run-ms`, `exit-code`, `health`...). */
export async function registerTd(
  ecs: ECSClient,
  family: string,
  options: { labels?: Record<string, string>; healthCheck?: boolean; memory?: number; extra?: object } = {},
): Promise<string> {
  const container: ContainerDefinition = {
    name: 'app',
    image: `longshore-test/${family}:latest`,
    memory: options.memory ?? 64,
    essential: true,
    dockerLabels: Object.fromEntries(
      Object.entries(options.labels ?? {}).map(([k, v]) => [`longshore.simulation.${k}`, v]),
    ),
  };
  if (options.healthCheck)
    container.healthCheck = { command: ['CMD-SHELL', 'true'], interval: 5, retries: 2 };
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({ family, containerDefinitions: [container], ...options.extra }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

export async function describe(ecs: ECSClient, cluster: string, service: string): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  assert.equal(out.services?.length, 1, JSON.stringify(out.failures));
  return out.services![0];
}

/** What `aws ecs wait services-stable` waits for: one deployment, running == desired. */
export function isStable(s: Service): boolean {
  return s.deployments?.length === 1 && s.runningCount === s.desiredCount;
}

export function waitSteady(
  ecs: ECSClient,
  cluster: string,
  service: string,
  timeoutMs = 15_000,
): Promise<Service> {
  return waitFor(
    `${service} to reach a steady state`,
    async () => {
      const s = await describe(ecs, cluster, service);
      return isStable(s) && s.deployments?.[0].rolloutState === 'COMPLETED' ? s : undefined;
    },
    timeoutMs,
    50,
  );
}

/** The service's tasks straight from the store (every status; STOPPED too). */
export async function serviceTasks(store: Reader, cluster: string, service: string): Promise<TaskRecord[]> {
  const all = await store.list<TaskRecord>(Kind.Task, { prefix: `${cluster}/` });
  return all.map((r) => r.value).filter((t) => t.serviceName === service);
}

/** Tasks holding capacity (not STOPPED) and healthy tasks (RUNNING, desired RUNNING, HEALTHY or unchecked). */
export function counts(tasks: readonly TaskRecord[], checked: boolean): { holding: number; healthy: number } {
  const holding = tasks.filter((t) => t.task.lastStatus !== 'STOPPED').length;
  const healthy = tasks.filter(
    (t) =>
      t.task.lastStatus === 'RUNNING' &&
      t.task.desiredStatus === 'RUNNING' &&
      (!checked || t.task.healthStatus === 'HEALTHY'),
  ).length;
  return { holding, healthy };
}

/** Samples a service's task counts every `everyMs` until stopped; returns the extremes seen. */
export function sampler(
  read: () => Promise<TaskRecord[]>,
  checked: boolean,
  everyMs = 15,
): { stop(): Promise<{ maxHolding: number; minHealthy: number; samples: number }> } {
  let maxHolding = 0;
  let minHealthy = Number.POSITIVE_INFINITY;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const c = counts(await read(), checked);
      maxHolding = Math.max(maxHolding, c.holding);
      minHealthy = Math.min(minHealthy, c.healthy);
      samples++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { maxHolding, minHealthy, samples };
    },
  };
}
