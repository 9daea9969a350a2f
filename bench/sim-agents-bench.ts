/**
 * How many SIMULATED agents fit in one process: starts a control plane and N simulated agents in
 * this one process (each agent a real `Agent` with its own control-channel WebSocket, so both ends
 * of every socket are here: 2 file descriptors per agent against the 20,000 limit), then runs one
 * task on every agent (RunTask count 10, distinctInstance, spread over AZs) and waits for all of
 * them to report RUNNING. Baseline in the same run: the same at 500 agents; ratio is per-agent
 * start cost at N over at 500 (flat is 1.0).
 *
 *   node_modules/.bin/node bench/sim-agents-bench.ts [--agents 5000]
 */
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { startSimulatedAgents } from '../src/agent/simulated/start-simulated-agents.ts';
import { startTestPlane, TEST_CREDENTIALS } from '../test/support/control-plane.ts';
import { describeAll } from '../test/simulated/support.ts';
import { fmt } from './support.ts';

const { values } = parseArgs({ options: { agents: { type: 'string' } } });
const AGENTS = Number(values.agents ?? 5000);
const BASELINE = 500;

interface Result {
  agents: number;
  startSeconds: number;
  rssMiB: number;
  heapMiB: number;
  fds: number;
  runningSeconds: number;
}

async function countInstances(ecs: ECSClient, cluster: string): Promise<number> {
  let n = 0;
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListContainerInstancesCommand({ cluster, nextToken }));
    n += page.containerInstanceArns?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return n;
}

async function run(agents: number): Promise<Result> {
  const t = await startTestPlane();
  const cluster = `sim${agents}`;
  const started = performance.now();
  const sim = await startSimulatedAgents({
    endpoint: t.plane.endpoint,
    cluster,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    count: agents,
    profile: { startMs: 100 },
    waitConnectedMs: 180_000,
  });
  try {
    const startSeconds = (performance.now() - started) / 1000;
    const listed = await countInstances(t.ecs, cluster);
    if (listed !== agents || t.plane.hub.connected().length !== agents)
      throw new Error(
        `expected ${agents} instances, listed ${listed}, connected ${t.plane.hub.connected().length}`,
      );
    const memory = process.memoryUsage();
    const fds = readdirSync('/proc/self/fd').length;
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'one-each',
        containerDefinitions: [{ name: 'app', image: 'app:1', memory: 64, cpu: 16 }],
      }),
    );
    const placedAt = performance.now();
    const arns: string[] = [];
    // 10 calls at a time: enough to keep the control plane busy without queueing thousands.
    for (let i = 0; i < agents / 10; i += 10) {
      const outs = await Promise.all(
        Array.from({ length: Math.min(10, agents / 10 - i) }, () =>
          t.ecs.send(
            new RunTaskCommand({
              cluster,
              taskDefinition: 'one-each',
              count: 10,
              group: 'one-each',
              placementConstraints: [{ type: 'distinctInstance' }],
              placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
            }),
          ),
        ),
      );
      for (const o of outs) {
        if (o.failures?.length) throw new Error(`placement failed: ${JSON.stringify(o.failures[0])}`);
        arns.push(...(o.tasks ?? []).map((task) => task.taskArn ?? ''));
      }
    }
    for (;;) {
      const tasks = await describeAll(t.ecs, cluster, arns);
      if (tasks.every((task) => task.lastStatus === 'RUNNING')) break;
      if (performance.now() - placedAt > 120_000) throw new Error('tasks did not all reach RUNNING in 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    return {
      agents,
      startSeconds,
      rssMiB: memory.rss / 2 ** 20,
      heapMiB: memory.heapUsed / 2 ** 20,
      fds,
      runningSeconds: (performance.now() - placedAt) / 1000,
    };
  } finally {
    await sim.stop();
    await t.stop();
  }
}

const baseline = await run(BASELINE);
const measured = await run(AGENTS);
console.log('sim-agents-bench: control plane and simulated agents in one process');
console.log('agents  start s  agents/s  RSS MiB  heap MiB  fds    one task each -> all RUNNING s');
for (const r of [baseline, measured]) {
  console.log(
    `${String(r.agents).padStart(6)}  ${fmt(r.startSeconds).padStart(7)}  ${fmt(r.agents / r.startSeconds, 0).padStart(8)}  ` +
      `${fmt(r.rssMiB, 0).padStart(7)}  ${fmt(r.heapMiB, 0).padStart(8)}  ${String(r.fds).padStart(5)}  ${fmt(r.runningSeconds).padStart(6)}`,
  );
}
const perAgent = (r: Result) => r.startSeconds / r.agents;
console.log(
  `ratio per-agent start cost ${AGENTS}/${BASELINE}: ${fmt(perAgent(measured) / perAgent(baseline), 2)}; ` +
    `memory per agent ~${fmt(((measured.rssMiB - baseline.rssMiB) * 1024) / (AGENTS - BASELINE), 0)} KiB`,
);
