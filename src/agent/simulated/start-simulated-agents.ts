/**
 * `startSimulatedAgents`: many SIMULATED agents in one process. Each is a real `Agent` (it
 * registers through the ECS API and holds its own control-channel WebSocket) whose engine is a
 * SimulatedEngine, so the control plane cannot tell them from Docker-backed agents.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, DescribeContainerInstancesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { pino, type Logger } from 'pino';
import type { Clock, Rng } from '../../core/clock.ts';
import { AgentEndpoints } from '../channel/endpoints.ts';
import { Agent } from '../agent.ts';
import { cryptoRng } from '../engine/defaults.ts';
import type { Timers } from '../../core/timers.ts';
import type { PortRange } from '../engine/host-ports.ts';
import type { SimulationProfile } from './sim-profile.ts';
import {
  defaultSimInstance,
  SIM_RESERVED_PORTS,
  type SimInstanceShape,
  simInstanceAttributes,
} from './sim-instances.ts';
import { SimulatedEngine } from './simulated-engine.ts';

/**
 * Agents starting at once; each lane registers one agent and waits for its channel to open.
 * Handshakes must be bounded: libuv accepts one connection per event-loop iteration (libuv#3696),
 * so a control plane busy with registrations accepts sockets slowly; unbounded, connects time out
 * and retry in storms (50 unbounded lanes took 60-90 s for 5,000 agents, with 2,600 timeouts).
 * 16 lanes start 5,000 agents against an in-process control plane in about 19 s on 2 cores.
 */
export const DEFAULT_REGISTRATION_CONCURRENCY = 16;

/** How long one lane waits for its agent's socket to open before starting the next agent anyway. */
const CHANNEL_OPEN_WAIT_MS = 15_000;
const CHANNEL_POLL_MS = 2;
/** How long `startSimulatedAgents` waits for the last control channel to open. */
export const DEFAULT_CONNECT_WAIT_MS = 60_000;
/** How often it looks. */
const CONNECT_POLL_MS = 50;
/** DescribeContainerInstances takes up to 100 instances. */
const DESCRIBE_BATCH = 100;

export interface SimulatedAgentsOptions {
  endpoint: string;
  cluster: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  count: number;
  /** Parent of the agents' data directories (`agent-<index>`); default a new temporary directory. */
  dataDir?: string;
  /** Instance `index`'s shape; default `defaultSimInstance` (3 AZs, 4 instance types). */
  instance?: (index: number) => Partial<SimInstanceShape>;
  /** Every agent's simulation profile, or one per agent. */
  profile?: Partial<SimulationProfile> | ((index: number) => Partial<SimulationProfile>);
  hostPortRange?: PortRange;
  cleanupWaitMs?: number;
  /** Create the cluster first (CreateCluster is idempotent); default true. */
  createCluster?: boolean;
  concurrency?: number;
  clock?: Clock;
  timers?: Timers;
  rng?: Rng;
  log?: Logger;
  /**
   * Wait this long for every control channel to be open (placement only picks connected
   * instances); default 60 s; 0 returns as soon as all agents have registered.
   */
  waitConnectedMs?: number;
  /**
   * Cluster mode: the control-plane endpoints agent `index` connects to, in order (it starts with
   * the first, moves on when one fails); default: `endpoint` alone. Registration uses `endpoint`.
   */
  agentEndpoints?: (index: number) => readonly string[];
  /** Called after each agent has registered and connected (for progress output). */
  onStarted?(started: number): void;
}

export interface SimulatedAgent {
  index: number;
  agent: Agent;
  engine: SimulatedEngine;
  shape: SimInstanceShape;
  dataDir: string;
}

export interface SimulatedCluster {
  agents: SimulatedAgent[];
  dataDir: string;
  /** Stops every agent (the simulated tasks stop with them) and removes a temporary data directory. */
  stop(): Promise<void>;
}

export async function startSimulatedAgents(o: SimulatedAgentsOptions): Promise<SimulatedCluster> {
  const ownDir = o.dataDir === undefined;
  const parent = o.dataDir ?? mkdtempSync(join(tmpdir(), 'longshore-sim-'));
  const log = o.log ?? pino({ level: 'silent' });
  // One SDK client for all agents: a shared keep-alive pool instead of an idle socket per agent
  // (5,000 of those, twice over with an in-process server, exhaust a 20,000 file-descriptor limit).
  const ecs = new ECSClient({
    endpoint: o.endpoint,
    region: o.region,
    credentials: o.credentials,
    maxAttempts: 5,
  });
  const agents: SimulatedAgent[] = [];
  const stop = async () => {
    await Promise.all(agents.map((a) => a.agent.stop()));
    ecs.destroy();
    if (ownDir) rmSync(parent, { recursive: true, force: true });
  };
  if (o.createCluster !== false) await ecs.send(new CreateClusterCommand({ clusterName: o.cluster }));
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < o.count; index = next++) {
      const started = await startOne(o, ecs, index, parent, log);
      agents.push(started);
      o.onStarted?.(agents.length);
    }
  };
  try {
    const lanes = Math.max(1, Math.min(o.concurrency ?? DEFAULT_REGISTRATION_CONCURRENCY, o.count));
    await Promise.all(Array.from({ length: lanes }, worker));
  } catch (error) {
    await stop();
    throw error;
  }
  agents.sort((a, b) => a.index - b.index);
  if (o.waitConnectedMs !== 0) {
    try {
      await waitConnected(o, ecs, agents, o.waitConnectedMs ?? DEFAULT_CONNECT_WAIT_MS);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return { agents, dataDir: parent, stop };
}

async function startOne(
  o: SimulatedAgentsOptions,
  ecs: ECSClient,
  index: number,
  parent: string,
  log: Logger,
): Promise<SimulatedAgent> {
  const shape = { ...defaultSimInstance(index, o.region), ...o.instance?.(index) };
  const dataDir = join(parent, `agent-${index}`);
  mkdirSync(dataDir, { recursive: true });
  const profile = typeof o.profile === 'function' ? o.profile(index) : o.profile;
  const range = o.hostPortRange ?? { from: 32768, to: 60999 };
  let engine: SimulatedEngine | undefined;
  const agent = new Agent({
    endpoint: o.endpoint,
    ...(o.agentEndpoints ? { endpoints: new AgentEndpoints(o.agentEndpoints(index)) } : {}),
    cluster: o.cluster,
    region: o.region,
    credentials: o.credentials,
    dataDir,
    cpu: shape.cpu,
    memory: shape.memory,
    reservedPorts: SIM_RESERVED_PORTS,
    reservedUdpPorts: [],
    hostPortRange: range,
    attributes: simInstanceAttributes(shape),
    dockerVersion: 'simulated',
    rng: o.rng ?? cryptoRng,
    log,
    ecs,
    createEngine: (containerInstanceArn) => {
      engine = new SimulatedEngine({
        containerInstanceArn,
        hostPortRange: range,
        ...(profile ? { profile } : {}),
        ...(o.clock ? { clock: o.clock } : {}),
        ...(o.timers ? { timers: o.timers } : {}),
        ...(o.rng ? { rng: o.rng } : {}),
        ...(o.cleanupWaitMs !== undefined ? { cleanupWaitMs: o.cleanupWaitMs } : {}),
        log,
      });
      return engine;
    },
  });
  await agent.start();
  if (!engine) throw new Error('the agent started without creating its engine');
  // `start` returns once registered; the channel connects in the background. Holding the lane until
  // the socket is open bounds handshakes in flight to the lanes: unbounded, they queue behind the
  // control plane's one-accept-per-iteration and time out (10 s), then retry in a storm.
  const deadline = performance.now() + CHANNEL_OPEN_WAIT_MS;
  while (!agent.connected && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, CHANNEL_POLL_MS));
  }
  return { index, agent, engine, shape, dataDir };
}

/**
 * Resolves once the control plane reports every instance as `agentConnected` (it records that
 * before it welcomes the agent, so an open socket alone is not enough). Real time, not the
 * injected clock: this waits on the network, not on the simulation.
 */
async function waitConnected(
  o: SimulatedAgentsOptions,
  ecs: ECSClient,
  agents: readonly SimulatedAgent[],
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let waiting = agents.map((a) => a.agent.containerInstanceArn);
  while (waiting.length > 0) {
    const still: string[] = [];
    for (let i = 0; i < waiting.length; i += DESCRIBE_BATCH) {
      const batch = waiting.slice(i, i + DESCRIBE_BATCH);
      const out = await ecs.send(
        new DescribeContainerInstancesCommand({ cluster: o.cluster, containerInstances: batch }),
      );
      const connected = new Set(
        (out.containerInstances ?? []).filter((c) => c.agentConnected).map((c) => c.containerInstanceArn),
      );
      still.push(...batch.filter((arn) => !connected.has(arn)));
    }
    waiting = still;
    if (waiting.length === 0) return;
    if (performance.now() > deadline)
      throw new Error(
        `${waiting.length} of ${agents.length} simulated agents did not connect within ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, CONNECT_POLL_MS));
  }
}
