/**
 * An agent: registers this host as a container instance, runs the task engine, and connects the
 * engine to the control plane over the control channel. A restart re-registers as the same
 * container instance (its ARN is kept in the data directory) and re-adopts running containers.
 */
import { hostname } from 'node:os';
import type { Attribute, ECSClient } from '@aws-sdk/client-ecs';
import type { Logger } from './log.ts';
import {
  AGENT_CHANNEL_PATH,
  PORT_RANGE_ATTRIBUTE,
  type TaskAssignment,
  type TaskCredentialsMessage,
  type TaskFirewall,
  type TaskReport,
  type TaskUsage,
} from '../core/agent-protocol.ts';
import type { Rng } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import { forgetIdentity, loadIdentity, saveIdentity } from './agent-identity.ts';
import { capabilityAttributes } from './capabilities.ts';
import type { AgentEndpoints } from './channel/endpoints.ts';
import { ChannelClient } from './channel/channel-client.ts';
import { agentEcsCalls, type EcsCalls, sdkEcsCalls } from './ecs-client.ts';

export const AGENT_VERSION = '1.0.0';
/** How long `start()` waits for the first control-plane session before returning anyway. */
export const SESSION_WAIT_MS = 10_000;

/** What runs the tasks: the Docker task engine, or the simulated runtime used at scale. */
/** The ECS agent's metrics interval: task usage is sampled this often. */
export const USAGE_SAMPLE_MS = 20_000;

export interface Engine {
  start(): Promise<void>;
  stop(): Promise<void>;
  apply(assignment: TaskAssignment): Promise<void>;
  onReport(listener: (report: TaskReport) => void): () => void;
  knownTasks(): { taskArn: string; version: number }[];
  latestReports(): TaskReport[];
  acknowledge(taskArn: string, seq: number): void;
  /** An awsvpc task's security groups, resolved (the Docker engine; the simulated one has no namespaces). */
  applyFirewall?(taskArn: string, firewall: TaskFirewall, revision: string): Promise<void>;
  /** What the RUNNING tasks used since the last sample (the Docker engine; simulated tasks use nothing). */
  sampleUsage?(): Promise<TaskUsage[]>;
  /** A task role's or execution role's credentials (the Docker engine; simulated tasks have no roles). */
  setCredentials?(message: TaskCredentialsMessage): void;
  /** Tasks by the status the engine knows them in (Prometheus metrics). */
  taskCounts?(): Record<string, number>;
}

export interface AgentOptions {
  endpoint: string;
  /**
   * Several control-plane endpoints (cluster mode; `endpoint` is then their first): the channel
   * moves to the next on failure and the agent's API calls follow it.
   */
  endpoints?: AgentEndpoints;
  cluster: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dataDir: string;
  /** CPU units and MiB this instance offers. */
  cpu: number;
  memory: number;
  /** Host ports no task may bind (PORTS / PORTS_UDP). */
  reservedPorts: number[];
  reservedUdpPorts: number[];
  /** The dynamic host port range the engine allocates from, advertised for placement. */
  hostPortRange: { from: number; to: number };
  attributes: Attribute[];
  dockerVersion: string;
  rng: Rng;
  log: Logger;
  /** How often task usage is sampled and sent (default USAGE_SAMPLE_MS; tests shorten it). */
  usageSampleMs?: number;
  /** Creates the engine once the container instance ARN is known. */
  createEngine(containerInstanceArn: string): Engine;
  /**
   * An SDK client shared by many agents in one process (simulated clusters): one connection pool
   * instead of an idle keep-alive socket per agent. The agent does not destroy a client it was given.
   */
  ecs?: ECSClient;
  /**
   * The EC2 instance id to report (an Auto Scaling group's launcher sets it, so ECS can tell which
   * group's instance this is); default `i-` + a hash of the host name and data directory.
   */
  instanceId?: string;
  /** A lock on `dataDir` that the caller took for this agent; `stop()` releases it. */
  dataDirLock?: { release(): void };
}

export class Agent {
  readonly #o: AgentOptions;
  readonly #ecs: EcsCalls;
  #engine: Engine | undefined;
  #channel: ChannelClient | undefined;
  #usageTimer: NodeJS.Timeout | undefined;
  #usageSampleMs: number | undefined;
  #instanceArn = '';

  constructor(options: AgentOptions) {
    this.#o = options;
    const endpoints = options.endpoints;
    this.#ecs = options.ecs
      ? sdkEcsCalls(options.ecs)
      : agentEcsCalls({
          // The channel's current endpoint, resolved per call (it moves when a replica goes).
          endpoint: () => endpoints?.current() ?? options.endpoint,
          region: options.region,
          credentials: options.credentials,
        });
  }

  get containerInstanceArn(): string {
    return this.#instanceArn;
  }

  /** The engine's tasks by known status (empty before it starts). */
  taskCounts(): Record<string, number> {
    return this.#engine?.taskCounts?.() ?? {};
  }

  get connected(): boolean {
    return this.#channel?.connected ?? false;
  }

  /**
   * Registers, then starts the engine. When the engine cannot start (its metadata port is taken,
   * Docker fails), an instance this start registered anew is deregistered again: an ACTIVE
   * instance that no agent will ever serve would attract placements. A re-registered instance
   * stays as it was (ACTIVE, agent disconnected): its tasks are still there.
   */
  async start(): Promise<void> {
    const { arn, fresh } = await this.#register();
    this.#instanceArn = arn;
    const engine = this.#o.createEngine(this.#instanceArn);
    this.#engine = engine;
    try {
      await engine.start();
    } catch (error) {
      await engine.stop().catch(() => undefined);
      if (fresh) await this.#deregisterAfterFailedStart();
      throw error;
    }
    const channel = new ChannelClient({
      endpoint: this.#o.endpoint,
      ...(this.#o.endpoints ? { endpoints: this.#o.endpoints } : {}),
      path: AGENT_CHANNEL_PATH,
      cluster: this.#o.cluster,
      containerInstanceArn: this.#instanceArn,
      region: this.#o.region,
      credentials: this.#o.credentials,
      rng: this.#o.rng,
      onAssign: (assignment) => {
        engine
          .apply(assignment)
          .catch((error: unknown) =>
            this.#o.log.error(
              { taskArn: assignment.taskArn, error: describeError(error) },
              'could not accept assignment',
            ),
          );
      },
      onCredentials: (message) => engine.setCredentials?.(message),
      knownTasks: () => engine.knownTasks(),
      latestReports: () => engine.latestReports(),
      onAck: (taskArn, seq) => engine.acknowledge(taskArn, seq),
      onFirewall: (taskArn, firewall, revision) => {
        engine
          .applyFirewall?.(taskArn, firewall, revision)
          .catch((error: unknown) =>
            this.#o.log.error({ taskArn, error: describeError(error) }, 'could not apply the task firewall'),
          );
      },
      // The control plane's pace (`--fast-metrics`), unless this agent was given its own.
      onUsagePace: (sampleMs) => {
        if (this.#o.usageSampleMs === undefined && sampleMs !== this.#usageSampleMs) {
          this.#usageSampleMs = sampleMs;
          this.#sampleUsage(engine, channel);
        }
      },
      onNotRegistered: () => {
        this.#o.log.error(
          { containerInstanceArn: this.#instanceArn },
          'the control plane no longer knows this container instance; restart the agent to register again',
        );
      },
      log: this.#o.log,
    });
    this.#channel = channel;
    engine.onReport((report) => channel.report(report));
    channel.start();
    this.#sampleUsage(engine, channel);
    // Ready means placeable: wait (bounded) until the control plane has the session.
    await channel
      .waitForSession(SESSION_WAIT_MS)
      .catch((error: unknown) =>
        this.#o.log.warn(
          { error: describeError(error) },
          'starting without a control-plane session; still trying',
        ),
      );
  }

  /**
   * Registers (or re-registers as the same instance), creating the `default` cluster as the ECS
   * agent does. `fresh` is false when it re-registered as the instance it was before.
   */
  /**
   * One ECS call; when the endpoint cannot be reached or fails (a 5xx), the next endpoint is tried,
   * once each (cluster mode: another replica answers).
   */
  async #call<T>(call: (ecs: EcsCalls) => Promise<T>): Promise<T> {
    const tries = this.#o.endpoints?.all().length ?? 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(this.#ecs);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const unreachable = status === undefined || status >= 500;
        if (!unreachable || attempt >= tries || !this.#o.endpoints) throw error;
        const to = this.#o.endpoints.next();
        this.#o.log.warn(
          { error: describeError(error), to },
          'control plane call failed; trying another endpoint',
        );
      }
    }
  }

  async #register(): Promise<{ arn: string; fresh: boolean }> {
    const o = this.#o;
    const saved = loadIdentity(o.dataDir);
    const previous = saved?.cluster === o.cluster ? saved.containerInstanceArn : undefined;
    if (o.cluster === 'default') await this.#ensureDefaultCluster();
    const send = (containerInstanceArn: string | undefined) =>
      this.#call((ecs) =>
        ecs.send('RegisterContainerInstance', {
          cluster: o.cluster,
          containerInstanceArn,
          instanceIdentityDocument: JSON.stringify({
            instanceId: o.instanceId ?? `i-${hostId(o.dataDir)}`,
            hostname: hostname(),
          }),
          totalResources: [
            { name: 'CPU', type: 'INTEGER', integerValue: o.cpu },
            { name: 'MEMORY', type: 'INTEGER', integerValue: o.memory },
            { name: 'PORTS', type: 'STRINGSET', stringSetValue: o.reservedPorts.map(String) },
            { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: o.reservedUdpPorts.map(String) },
          ],
          versionInfo: {
            agentVersion: AGENT_VERSION,
            agentHash: 'longshore',
            dockerVersion: `DockerVersion: ${o.dockerVersion}`,
          },
          attributes: [
            ...capabilityAttributes(),
            {
              name: PORT_RANGE_ATTRIBUTE,
              value: `${o.hostPortRange.from}-${o.hostPortRange.to}`,
            },
            ...o.attributes,
          ],
        }),
      );
    let out: Awaited<ReturnType<typeof send>>;
    try {
      out = await send(previous);
    } catch (error) {
      if (!previous) throw error;
      o.log.warn(
        { previous, error: describeError(error) },
        'could not re-register as the same instance; registering anew',
      );
      out = await send(undefined);
    }
    const arn = out.containerInstance?.containerInstanceArn ?? '';
    saveIdentity(o.dataDir, { cluster: o.cluster, containerInstanceArn: arn });
    o.log.info({ containerInstanceArn: arn, reregistered: arn === previous }, 'registered');
    return { arn, fresh: arn !== previous };
  }

  async #deregisterAfterFailedStart(): Promise<void> {
    const arn = this.#instanceArn;
    try {
      await this.#call((ecs) =>
        ecs.send('DeregisterContainerInstance', {
          cluster: this.#o.cluster,
          containerInstance: arn,
          force: true,
        }),
      );
      forgetIdentity(this.#o.dataDir);
      this.#o.log.info({ containerInstanceArn: arn }, 'deregistered: the agent could not start');
    } catch (error) {
      this.#o.log.error(
        { containerInstanceArn: arn, error: describeError(error) },
        'the agent could not start and could not deregister its instance either; deregister it with DeregisterContainerInstance',
      );
    }
  }

  /**
   * CreateCluster answers an ACTIVE cluster as it is, so it is called alone, as the ECS agent does:
   * the instance role's policy (AmazonEC2ContainerServiceforEC2Role) allows ecs:CreateCluster and
   * not ecs:DescribeClusters.
   */
  async #ensureDefaultCluster(): Promise<void> {
    await this.#call((ecs) => ecs.send('CreateCluster', { clusterName: 'default' }));
  }

  /**
   * Every USAGE_SAMPLE_MS (the ECS agent's 20 s metrics interval; the control plane's `welcome` may
   * ask for a shorter one), what the RUNNING tasks used goes to the control plane, which publishes
   * CloudWatch's AWS/ECS metrics from it. One sample at a time.
   */
  #sampleUsage(engine: Engine, channel: ChannelClient): void {
    const sample = engine.sampleUsage?.bind(engine);
    if (!sample) return;
    let busy = false;
    clearInterval(this.#usageTimer);
    this.#usageTimer = setInterval(
      () => {
        if (busy || !channel.connected) return;
        busy = true;
        sample()
          // Nothing RUNNING (or a simulated agent whose tasks name no usage): nothing to send.
          .then((tasks) => tasks.length > 0 && channel.usage(Date.now(), tasks))
          .catch((error: unknown) =>
            this.#o.log.warn({ error: describeError(error) }, 'sampling task usage failed'),
          )
          .finally(() => {
            busy = false;
          });
      },
      this.#o.usageSampleMs ?? this.#usageSampleMs ?? USAGE_SAMPLE_MS,
    );
    this.#usageTimer.unref();
  }

  async stop(): Promise<void> {
    try {
      clearInterval(this.#usageTimer);
      this.#channel?.close();
      await this.#engine?.stop();
      this.#ecs.destroy();
    } finally {
      this.#o.dataDirLock?.release();
    }
  }
}

/** A stable 17-hex-digit id for this agent, derived from its data directory, like an EC2 instance id. */
function hostId(dataDir: string): string {
  let h = 0n;
  for (const ch of `${hostname()}:${dataDir}`) h = (h * 131n + BigInt(ch.charCodeAt(0))) % 2n ** 68n;
  return h.toString(16).padStart(17, '0').slice(-17);
}
