/**
 * The agent's task engine: takes TaskAssignments, runs each task with its own actor, and emits
 * TaskReports. Restart-safe: state is persisted before acting, and `start()` re-adopts the
 * containers a previous run left (running ones are never restarted).
 */
import { removeTaskOrphans } from './task-orphans.ts';
import { createHmac } from 'node:crypto';
import type { Logger } from '../log.ts';
import {
  RoleType,
  type TaskAssignment,
  type TaskCredentialsMessage,
  type TaskFirewall,
  type TaskReport,
  type TaskUsage,
} from '../../core/agent-protocol.ts';
import { answerTaskCredentials } from '../endpoints/credentials-endpoint.ts';
import { TaskCredentialsStore } from '../task-credentials.ts';
import { describeError } from '../../core/errors.ts';
import { realTimers } from '../../core/system.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { type ContainerEvent, DockerEventStream } from '../docker/events.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import type { ContainerCredentials, MetadataServer } from '../endpoints/metadata-server.ts';
import { startMetadataServer } from '../endpoints/start-metadata.ts';
import { StateStore } from '../state/state-store.ts';
import { buildContext } from './build-context.ts';
import { defaultLogger } from './defaults.ts';
import type { EngineContext } from './engine-context.ts';
import { ENGINE_DEFAULTS, type TaskEngineOptions } from './engine-options.ts';
import { Mailbox } from './mailbox.ts';
import { EcsLabel, INSTANCE_LABEL } from './naming.ts';
import { newTaskState } from './new-task.ts';
import type { TaskActor } from './task-actor.ts';
import { type DockerStats, taskUsage } from './usage-sampler.ts';
import type { ContainerState, TaskState } from './task-state.ts';

export type ReportListener = (report: TaskReport) => void;

let actorModule: Promise<typeof import('./task-actor.ts')> | undefined;

/**
 * The task actor and the steps it runs (container specs, secrets, volumes, awsvpc's pause
 * container ...), loaded with the first task: an agent without tasks does not carry them.
 */
function taskActors(): Promise<typeof import('./task-actor.ts')> {
  actorModule ??= import('./task-actor.ts');
  return actorModule;
}

/**
 * How long a cleaned-up task's ARN is remembered, so a replayed assignment does not start it again;
 * the control plane stops sending assignments for a stopped task long before.
 */
const TOMBSTONE_TTL_MS = 24 * 60 * 60_000;

/** The environment ECS sets for EC2-launched containers. */
/** Docker's awslogs driver fetches `awslogs-credentials-endpoint` from this host (port 80). */
const AWSLOGS_CREDENTIALS_HOST = 'http://169.254.170.2';

const EXECUTION_ENV = { AWS_EXECUTION_ENV: 'AWS_ECS_EC2' } as const;

export class TaskEngine {
  readonly #options: TaskEngineOptions;
  readonly #runtime: ContainerRuntime;
  readonly #logger: Logger;
  readonly #store: StateStore;
  readonly #actors = new Map<string, TaskActor>();
  readonly #listeners = new Set<ReportListener>();
  #ctx: EngineContext | undefined;
  #events: DockerEventStream | undefined;
  #metadata: MetadataServer | undefined;
  #cleaned: Record<string, number> = {};
  #pulled: string[] = [];
  /** Task and execution role credentials from the control plane: memory only, never logged. */
  readonly #roles = new TaskCredentialsStore();
  #reconcileTimer: unknown;
  /** Set once start() re-read Docker; later (re)connects of the event stream re-read it again. */
  #started = false;
  readonly #recordWrites = new Mailbox((error) =>
    this.#logger.error({ err: describeError(error) }, 'saving engine record failed'),
  );

  constructor(options: TaskEngineOptions) {
    this.#options = options;
    this.#runtime = options.runtime ?? new DockerRuntime();
    this.#logger = options.logger ?? defaultLogger();
    this.#store = new StateStore(options.dataDir, {
      durable: options.durableWrites ?? ENGINE_DEFAULTS.durableWrites,
    });
  }

  /** Listens to every report (already persisted when emitted). Returns an unsubscribe function. */
  onReport(listener: ReportListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Loads state, opens the Docker event stream, re-adopts the containers of every known task
   * (inspect by id, or by name for a create that was in flight), and resumes their actors.
   */
  async start(): Promise<void> {
    const o = this.#options;
    await this.#store.init();
    const record = await this.#store.loadEngine();
    this.#cleaned = record.cleanedTasks;
    this.#pulled = record.pulledImages;
    const ctx = this.#context();
    this.#ctx = ctx;
    if (o.metadataEndpoint !== false) {
      this.#metadata = await startMetadataServer(
        this.#runtime,
        o.metadataEndpoint ?? {},
        ctx.config.retry,
        {
          instanceArn: o.containerInstanceArn,
          lookup: (id) => this.#lookupMetadata(id),
          credentials: (id) => this.#awslogsCredentials(id),
          taskCredentials: (id, remote) =>
            answerTaskCredentials(
              {
                byId: (credentialsId) => this.#roles.byId(credentialsId),
                task: (taskArn) => this.#actors.get(taskArn)?.state,
                liveAddresses: (task) => this.#liveAddresses(task),
              },
              id,
              remote,
            ),
          stats: (runtimeId) => this.#runtime.containerStats(runtimeId),
        },
        this.#logger,
      );
      // AWS_ENDPOINT_URL in containers: the agent's endpoint address, relayed to the control plane.
      if (o.apiEndpoint) this.#metadata.relayTo(o.apiEndpoint);
    }
    const restored = await this.#store.loadTasks();
    if (restored.length > 0) {
      const { TaskActor } = await taskActors();
      for (const task of restored) {
        if (task.known !== 'STOPPED')
          ctx.ports.reserve(task.assignment.taskArn, task.resources?.hostPorts ?? []);
        this.#actors.set(task.assignment.taskArn, new TaskActor(ctx, this.#hooks(), task, true));
      }
    }
    // Events first: anything that happens while we re-read containers is queued, not lost.
    this.#events = new DockerEventStream({
      runtime: this.#runtime,
      labels: { [INSTANCE_LABEL]: o.containerInstanceArn },
      onEvent: (event) => this.#route(event),
      onConnected: () => {
        if (this.#started) this.#reconcileAll();
      },
      logger: this.#logger,
    });
    // With the daemon down, re-reading waits for the stream's first connect (onConnected).
    const connected = await this.#events.open();
    await Promise.all([...this.#actors.values()].map((a) => a.start(connected)));
    this.#started = true;
    if (connected) await this.#reportOrphans();
    // Task-scoped volumes and EFS access-point mounts of tasks that are gone (task-orphans.ts).
    await removeTaskOrphans(ctx, connected, this.#actors.keys());
    const every = o.reconcileIntervalMs ?? ENGINE_DEFAULTS.reconcileIntervalMs;
    const tick = () => {
      this.#reconcileAll();
      this.#reconcileTimer = ctx.timers.setTimeout(tick, every);
    };
    this.#reconcileTimer = ctx.timers.setTimeout(tick, every);
  }

  /** Idempotent by version: a repeated or older assignment changes nothing. Resolves once accepted (persisted). */
  async apply(assignment: TaskAssignment): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error('TaskEngine.apply called before start()');
    // Before anything is looked at, so that messages are handled in the order they came (see
    // applyFirewall): the wait is one microtask once the actor's module is loaded.
    const { TaskActor } = await taskActors();
    const existing = this.#actors.get(assignment.taskArn);
    if (existing) return existing.apply(assignment);
    if (this.#cleaned[assignment.taskArn] !== undefined) return;
    const actor = new TaskActor(ctx, this.#hooks(), newTaskState(assignment, ctx.rng, ctx.clock), false);
    this.#actors.set(assignment.taskArn, actor);
    await actor.start(false);
  }

  /** Stops the engine (not the containers: they keep running and are re-adopted by the next start). */
  async stop(): Promise<void> {
    this.#ctx?.timers.clearTimeout(this.#reconcileTimer);
    this.#events?.close();
    await Promise.all([...this.#actors.values()].map((a) => a.close()));
    this.#actors.clear();
    await this.#ctx?.network.close();
    await this.#metadata?.close();
  }

  /**
   * awsvpc: the task's security groups (the control plane's `firewall` message). Goes through the
   * task's actor, which persists it and applies it to the task's namespace; a repeated revision
   * changes nothing. A task this engine does not know is ignored (its assignment comes first).
   */
  async applyFirewall(taskArn: string, firewall: TaskFirewall, revision: string): Promise<void> {
    // The control plane sends a task's firewall right after its assignment, whose `apply` may still
    // be waiting for the actor's module: waiting as it does (the same promise) lets it go first.
    await taskActors();
    const actor = this.#actors.get(taskArn);
    if (!actor) {
      this.#logger.debug({ taskArn }, 'firewall for a task this agent does not run; ignored');
      return;
    }
    await actor.firewall(firewall, revision);
  }

  /**
   * A role's credentials for a task (the control plane's `credentials` message). Credentials for a
   * task this engine has already stopped are dropped.
   */
  setCredentials(message: TaskCredentialsMessage): void {
    if (this.#cleaned[message.taskArn] !== undefined) return;
    if (this.#actors.get(message.taskArn)?.state.known === 'STOPPED') return;
    this.#roles.set(message);
  }

  /** For the control channel's hello: the tasks this agent knows and their assignment versions. */
  knownTasks(): { taskArn: string; version: number }[] {
    return [...this.#actors.values()].map((a) => ({
      taskArn: a.taskArn,
      version: a.state.assignment.version,
    }));
  }

  /**
   * What each RUNNING task used, from one Docker stats call per running container (in parallel;
   * Docker takes about a second to give a CPU delta). Tasks whose stats all failed are left out.
   */
  async sampleUsage(): Promise<TaskUsage[]> {
    const running = [...this.#actors.values()]
      .map((a) => a.state)
      .filter((t) => t.known === 'RUNNING' && t.desired === 'RUNNING');
    const out = await Promise.all(
      running.map(async (task) => {
        const ids = task.containers
          .filter((c) => c.runtimeId && c.known === 'RUNNING')
          .map((c) => c.runtimeId as string);
        const stats = await Promise.all(
          ids.map((id) =>
            this.#runtime.containerStats(id).then(
              (s) => s as DockerStats,
              () => undefined,
            ),
          ),
        );
        return taskUsage(task.assignment.taskArn, stats);
      }),
    );
    return out.filter((u): u is TaskUsage => u !== undefined);
  }

  taskCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.#actors.values()) out[a.state.known] = (out[a.state.known] ?? 0) + 1;
    return out;
  }

  /** The last report of every task, to resend after a reconnect (the control plane drops seqs it has). */
  latestReports(): TaskReport[] {
    return [...this.#actors.values()].flatMap((a) => (a.state.lastReport ? [a.state.lastReport] : []));
  }

  /** Records that the control plane holds the task's reports up to `seq`. */
  acknowledge(taskArn: string, seq: number): void {
    this.#actors.get(taskArn)?.acknowledge(seq);
  }

  /** A read-only view of one task's state. */
  task(taskArn: string): Readonly<TaskState> | undefined {
    return this.#actors.get(taskArn)?.state;
  }

  #context(): EngineContext {
    return buildContext(this.#options, {
      runtime: this.#runtime,
      logger: this.#logger,
      store: this.#store,
      pulledImages: this.#pulled,
      onPulled: async (ref) => {
        this.#pulled = [...new Set([...this.#pulled, ref])];
        await this.#saveRecord();
      },
      agentEnv: (metadataId) => ({ ...EXECUTION_ENV, ...this.#metadata?.environment(metadataId) }),
      linkLocal: () => this.#metadata?.bridgeRoutes,
      awslogs: (taskArn) => {
        const o = this.#options.awslogs;
        if (!o || this.#metadata?.baseUrl !== AWSLOGS_CREDENTIALS_HOST) return undefined;
        return { endpoint: o.endpoint, credentialsUri: `/v2/credentials/${this.#awslogsId(taskArn)}` };
      },
      roles: {
        waitFor: (taskArn, roleTypes, timeoutMs) =>
          this.#roles.waitFor(taskArn, roleTypes, timeoutMs, this.#ctx?.timers ?? realTimers),
        get: (taskArn, roleType) => this.#roles.get(taskArn, roleType),
        environment: (taskArn) =>
          this.#metadata?.roleEnvironment(this.#roles.credentialsId(taskArn, RoleType.TaskApplication)) ?? {
            agent: {},
            defaults: {},
          },
        ...(this.#options.executionRole ? { clients: this.#options.executionRole } : {}),
      },
      awslogsUnavailable: () =>
        !this.#options.awslogs
          ? 'this agent was started without a CloudWatch Logs endpoint'
          : `Docker's awslogs driver fetches credentials from ${AWSLOGS_CREDENTIALS_HOST}, which this agent does not serve (its metadata endpoint is ${this.#metadata?.baseUrl || 'off'}; another agent on this host may hold port 80)`,
    });
  }

  /** The id dockerd's awslogs driver fetches the task's credentials with: unguessable, never given to a container. */
  #awslogsId(taskArn: string): string {
    const secret = this.#options.awslogs?.credentials.secretAccessKey ?? '';
    return createHmac('sha256', secret).update(`awslogs-credentials:${taskArn}`).digest('hex').slice(0, 32);
  }

  /** The credentials behind an awslogs id of a task this agent runs (not STOPPED); undefined otherwise. */
  #awslogsCredentials(id: string): ContainerCredentials | undefined {
    const o = this.#options.awslogs;
    if (!o || !/^[0-9a-f]{32}$/.test(id)) return undefined;
    for (const actor of this.#actors.values()) {
      const task = actor.state;
      if (task.known === 'STOPPED' || this.#awslogsId(task.assignment.taskArn) !== id) continue;
      // The task's execution role when it has one (Docker's driver creates and writes the log group with it).
      const execution = this.#roles.get(task.assignment.taskArn, RoleType.TaskExecution);
      if (execution) {
        return {
          RoleArn: execution.roleArn,
          AccessKeyId: execution.accessKeyId,
          SecretAccessKey: execution.secretAccessKey,
          Token: execution.sessionToken,
          Expiration: new Date(execution.expiration).toISOString(),
        };
      }
      const account = task.assignment.taskArn.split(':')[4] ?? '';
      return {
        RoleArn:
          task.assignment.taskDefinition.executionRoleArn ?? `arn:aws:iam::${account}:role/longshore-agent`,
        AccessKeyId: o.credentials.accessKeyId,
        SecretAccessKey: o.credentials.secretAccessKey,
        Token: '',
        // Docker's driver asks again before this; the agent answers as long as the task runs.
        Expiration: new Date((this.#ctx?.clock.now() ?? 0) + 6 * 60 * 60_000).toISOString(),
      };
    }
    return undefined;
  }

  /** The addresses Docker gives the task's running containers now (inspect). */
  async #liveAddresses(task: Readonly<TaskState>): Promise<string[]> {
    const ids = task.containers.flatMap((c) => (c.runtimeId ? [c.runtimeId] : []));
    const inspected = await Promise.all(
      ids.map((id) => this.#runtime.inspectContainer(id).catch(() => undefined)),
    );
    return inspected.flatMap((info) => info?.networks.map((n) => n.ipv4Address).filter(Boolean) ?? []);
  }

  #lookupMetadata(
    id: string,
  ): { task: Readonly<TaskState>; container: Readonly<ContainerState> } | undefined {
    for (const actor of this.#actors.values()) {
      const container = actor.state.containers.find((c) => c.metadataId === id);
      if (container) return { task: actor.state, container };
    }
    return undefined;
  }

  #hooks() {
    return {
      emit: (report: TaskReport) => {
        for (const listener of this.#listeners) {
          try {
            listener(report);
          } catch (error) {
            this.#logger.error({ err: describeError(error) }, 'report listener threw');
          }
        }
      },
      cleanedUp: (taskArn: string) => {
        this.#actors.delete(taskArn);
        this.#roles.remove(taskArn);
        this.#cleaned[taskArn] = this.#ctx?.clock.now() ?? 0;
        // A failed write is logged by the record mailbox.
        void this.#saveRecord();
      },
    };
  }

  /**
   * Containers labelled with this instance whose task this engine does not know (its state was
   * lost): left alone, since they may still matter to someone, but named in the log.
   */
  async #reportOrphans(): Promise<void> {
    const labelled = await this.#runtime.listContainers({
      [INSTANCE_LABEL]: this.#options.containerInstanceArn,
    });
    const orphans = labelled.filter((c) => !this.#actors.has(c.labels[EcsLabel.TaskArn] ?? ''));
    if (orphans.length > 0) {
      this.#logger.warn(
        { containers: orphans.map((c) => c.name) },
        'containers of unknown tasks left as they are',
      );
    }
  }

  #route(event: ContainerEvent): void {
    const actor = this.#actors.get(event.labels[EcsLabel.TaskArn] ?? '');
    actor?.dockerEvent(event);
  }

  #reconcileAll(): void {
    for (const actor of this.#actors.values()) {
      actor
        .reconcile()
        .catch((error) => this.#logger.warn({ err: describeError(error) }, 'reconcile failed'));
    }
  }

  /** Writes engine.json; writes are serialized, and tombstones older than a day are dropped. */
  #saveRecord(): Promise<void> {
    return this.#recordWrites.post(async () => {
      const now = this.#ctx?.clock.now() ?? 0;
      for (const [arn, at] of Object.entries(this.#cleaned))
        if (now - at > TOMBSTONE_TTL_MS) delete this.#cleaned[arn];
      await this.#store.saveEngine({ pulledImages: this.#pulled, cleanedTasks: this.#cleaned });
    });
  }
}
