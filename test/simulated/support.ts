/** Simulated clusters for API tests: a test control plane plus simulated agents, and small query helpers. */
import {
  DescribeTasksCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import type { SimInstanceShape } from '../../src/agent/simulated/sim-instances.ts';
import type { SimulationProfile } from '../../src/agent/simulated/sim-profile.ts';
import {
  type SimulatedCluster,
  startSimulatedAgents,
} from '../../src/agent/simulated/start-simulated-agents.ts';
import { TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

export type Shape = Partial<SimInstanceShape>;

/** Starts one simulated agent per shape in `cluster` (created if needed), all connected on return. */
export function simulatedCluster(
  t: TestPlane,
  cluster: string,
  shapes: readonly Shape[],
  profile: Partial<SimulationProfile> = { startMs: 20 },
): Promise<SimulatedCluster> {
  return startSimulatedAgents({
    endpoint: t.plane.endpoint,
    cluster,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    count: shapes.length,
    instance: (i) => shapes[i],
    profile,
  });
}

/** Index of the simulated agent a task landed on. */
export function agentIndexOf(sim: SimulatedCluster, task: Task): number {
  const found = sim.agents.find((a) => a.agent.containerInstanceArn === task.containerInstanceArn);
  if (!found) throw new Error(`task ${task.taskArn} is on an unknown instance ${task.containerInstanceArn}`);
  return found.index;
}

export async function registerFamily(
  ecs: ECSClient,
  family: string,
  container: Partial<NonNullable<RegisterTaskDefinitionCommandInput['containerDefinitions']>[number]> = {},
  extra: Partial<RegisterTaskDefinitionCommandInput> = {},
): Promise<void> {
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [{ name: family, image: `${family}:1`, memory: 256, cpu: 128, ...container }],
      ...extra,
    }),
  );
}

/** Describes tasks in batches of 100 (DescribeTasks' limit). */
export async function describeAll(ecs: ECSClient, cluster: string, arns: readonly string[]): Promise<Task[]> {
  const out: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const page = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    out.push(...(page.tasks ?? []));
  }
  return out;
}

/** Polls until every task is RUNNING; returns them as described then. */
export async function waitRunning(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  timeoutMs = 10_000,
): Promise<Task[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = await describeAll(ecs, cluster, arns);
    if (tasks.length === arns.length && tasks.every((t) => t.lastStatus === 'RUNNING')) return tasks;
    if (Date.now() > deadline) {
      const states = tasks.map((t) => t.lastStatus).join(', ');
      throw new Error(`tasks not RUNNING after ${timeoutMs} ms: ${states}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How many of `tasks` sit on each agent index. */
export function countByAgent(sim: SimulatedCluster, tasks: readonly Task[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of tasks) {
    const i = agentIndexOf(sim, t);
    out.set(i, (out.get(i) ?? 0) + 1);
  }
  return out;
}

/**
 * RunTask until it places the task: an agent's channel connects just after it registers, and until
 * then placement answers AGENT. The task's ARN; fails after `timeoutMs`.
 */
export async function runOnceConnected(
  ecs: ECSClient,
  cluster: string,
  taskDefinition: string,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition }));
    const placed = run.tasks?.[0]?.taskArn;
    if (placed) return placed;
    if (Date.now() > deadline) throw new Error(`not placed: ${JSON.stringify(run.failures)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
