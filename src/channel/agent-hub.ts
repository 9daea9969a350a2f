/**
 * The control plane's side of the control channel: accepts signed WebSocket connections from
 * agents, sends each agent the assignments of its tasks whenever they change, records the
 * agents' task reports (persist, then ack), and keeps `agentConnected` truthful.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
  AGENT_CHANNEL_PATH,
  type AgentMessage,
  type ServerMessage,
  type TaskUsage,
} from '../core/agent-protocol.ts';
import { ServiceError, describeError } from '../core/errors.ts';
import { parseEcsArn } from '../core/arn.ts';
import type { SecretLookup } from '../aws/sigv4.ts';
import { verifySigV4 } from '../aws/sigv4.ts';
import type { Clock } from '../core/clock.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import type { EcsRegions } from '../ecs/model/regions.ts';
import { recordReport } from '../ecs/model/tasks/record-report.ts';
import { assignmentsFor, assignmentOf } from './assignments.ts';
import { beginAgentSession, endAgentSession, endOrphanedSessions } from './connectivity.ts';
import { REPLICA_EXPIRY_MS, type ReplicaPresence } from './replica-presence.ts';
import { rejectUpgrade } from '../aws/upgrade-error.ts';
import { ProtocolError } from '../aws/errors.ts';
import { taskFirewalls } from '../ec2/model/index.ts';
import { Kind } from '../store/store.ts';
import { realTimers } from '../core/system.ts';
import { type AgentSession, keys, type TaskRecord } from '../ecs/model/records.ts';
import { type CredentialsPeer, TaskCredentialsFeed, type TaskRoleIssuer } from './task-credentials.ts';

/** Store kinds whose changes can change a task's firewall. */
const NETWORK_KINDS: ReadonlySet<string> = new Set([Kind.SecurityGroup, Kind.NetworkInterface]);

/** What is wrong with an agent message's shape, or undefined when it is one the hub handles. */
function malformed(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return 'not an object';
  const m = message as { type?: unknown; report?: unknown; knownTasks?: unknown };
  if (m.type === 'heartbeat') return undefined;
  if (m.type === 'report') {
    const r = m.report as {
      taskArn?: unknown;
      seq?: unknown;
      lastStatus?: unknown;
      containers?: unknown;
    } | null;
    if (typeof r !== 'object' || r === null) return 'report without a report';
    if (typeof r.taskArn !== 'string' || typeof r.seq !== 'number' || typeof r.lastStatus !== 'string')
      return 'report without taskArn, seq or lastStatus';
    if (!Array.isArray(r.containers)) return 'report without containers';
    return undefined;
  }
  if (m.type === 'usage') {
    const u = m as { at?: unknown; tasks?: unknown };
    if (typeof u.at !== 'number' || !Array.isArray(u.tasks)) return 'usage without at or tasks';
    const bad = u.tasks.some(
      (t: { taskArn?: unknown; cpuUnits?: unknown; memoryMiB?: unknown } | null) =>
        typeof t !== 'object' ||
        t === null ||
        typeof t.taskArn !== 'string' ||
        typeof t.cpuUnits !== 'number' ||
        typeof t.memoryMiB !== 'number' ||
        !Number.isFinite(t.cpuUnits) ||
        !Number.isFinite(t.memoryMiB),
    );
    return bad ? 'usage with a malformed task' : undefined;
  }
  if (m.type === 'hello') {
    if (!Array.isArray(m.knownTasks)) return 'hello without knownTasks';
    const bad = m.knownTasks.some(
      (k: { taskArn?: unknown; version?: unknown } | null) =>
        typeof k !== 'object' || k === null || typeof k.taskArn !== 'string' || typeof k.version !== 'number',
    );
    return bad ? 'hello with a malformed known task' : undefined;
  }
  return `unknown message type ${JSON.stringify(m.type)}`;
}

/** How often each side proves it is alive; a connection silent for 3 intervals is dropped. */
export const HEARTBEAT_MS = 10_000;

interface Session {
  /** This connection's id, recorded on the container instance (`agentSession`). */
  id: string;
  socket: WebSocket;
  /** The address the agent connects from: its host, as the control plane reaches it. */
  remoteAddress: string;
  /** The region the agent signed for: its cluster and tasks live there. */
  ctx: EcsContext;
  cluster: string;
  instanceArn: string;
  /** Highest assignment version sent per task ARN. */
  sent: Map<string, number>;
  /** awsvpc tasks of this agent: task ARN -> ENI id, and the firewall revision last sent. */
  enis: Map<string, string>;
  firewalls: Map<string, string>;
  lastSeen: number;
  /** One firewall computation at a time per agent (so a stale one never lands last); what waits. */
  syncing: boolean;
  dirty: Set<string>;
  /** This connection as the task credentials feed sees it. */
  peer: CredentialsPeer;
}

/** Usage samples of an agent's RUNNING tasks, in the region the agent signed for (`at` epoch ms). */
export type UsageListener = (ctx: EcsContext, at: number, tasks: readonly TaskUsage[]) => void;

export interface HubLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Cluster mode: agents connect to any replica. Each session is recorded with this replica's id;
 * the leader ends sessions whose replica stopped heartbeating; a replica whose own heartbeats
 * fail lets its agents go (they reconnect to a live replica, named in every `welcome`).
 */
export interface HubReplicaOptions {
  presence: ReplicaPresence;
  leading(): boolean;
}

/** The embedded control plane is one replica; its sessions carry this id. */
export const EMBEDDED_REPLICA = 'embedded';

export class AgentHub {
  readonly #regions: EcsRegions;
  readonly #secrets: SecretLookup;
  readonly #log: HubLog;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  /** Live sessions by container instance ARN. */
  readonly #sessions = new Map<string, Session>();
  #usageListener: UsageListener | undefined;
  /** The sampling interval agents are asked for in their `welcome` (undefined: their default). */
  #usageSampleMs: number | undefined;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #timer: NodeJS.Timeout;
  /** Regions whose firewalls are about to be recomputed. */
  readonly #pendingNetwork = new Set<EcsContext>();

  /** Task and execution role credentials (task-credentials.ts); absent without IAM. */
  readonly #credentials: TaskCredentialsFeed | undefined;

  readonly #replica: HubReplicaOptions | undefined;

  constructor(
    regions: EcsRegions,
    secrets: SecretLookup,
    log: HubLog,
    roles?: TaskRoleIssuer,
    replica?: HubReplicaOptions,
  ) {
    this.#regions = regions;
    this.#replica = replica;
    this.#secrets = secrets;
    this.#log = log;
    this.#credentials = roles
      ? new TaskCredentialsFeed({
          issuer: roles,
          clock: { now: () => this.#clock.now() },
          timers: realTimers,
          alive: (taskArn) => this.#taskAlive(taskArn),
          log,
        })
      : undefined;
    regions.onRegion((ctx) => {
      this.#unsubscribe.push(
        ctx.changes.subscribe((change) => {
          if (change.kind === 'task') this.#onTaskChange(ctx, change.key);
        }),
        // A security group's rules or members changed: every awsvpc task's firewall may have.
        ctx.store.watch((batch) => {
          if (batch.gap || batch.changes.some((c) => NETWORK_KINDS.has(c.kind))) this.#onNetworkChange(ctx);
        }),
      );
    });
    this.#timer = setInterval(() => this.#sweep(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Sessions and heartbeats keep the home region's clock (every region shares it). */
  get #clock(): Clock {
    return this.#regions.context(this.#regions.home).clock;
  }

  /**
   * Told of every usage sample an agent sends (the AWS/ECS metrics publisher); must not throw.
   * `sampleMs`: how often agents are asked to sample (their `welcome`; absent: their 20 s).
   */
  onUsage(listener: UsageListener, sampleMs?: number): void {
    this.#usageListener = listener;
    this.#usageSampleMs = sampleMs;
  }

  /** How many agents are connected now. */
  get connectedAgents(): number {
    return this.#sessions.size;
  }

  /** The address the agent of `instanceArn` connects from, while it is connected (load balancer instance targets). */
  agentAddress(instanceArn: string): string | undefined {
    return this.#sessions.get(instanceArn)?.remoteAddress;
  }

  /** Hook for the HTTP server's `upgrade` event; returns false when the path is not the channel's. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== AGENT_CHANNEL_PATH) return false;
    this.#authenticate(req, url).then(
      ({ ctx, cluster, instanceArn }) => {
        this.#wss.handleUpgrade(req, socket, head, (ws) => {
          const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
          this.#open(ws, ctx, cluster, instanceArn, remote).catch((error: unknown) => {
            this.#log.warn({ error: describeError(error) }, 'agent session failed');
            ws.close(1011, 'session setup failed');
          });
        });
      },
      (error: unknown) => {
        if (!(error instanceof ServiceError))
          this.#log.warn({ error: describeError(error) }, 'agent channel upgrade failed');
        rejectUpgrade(socket, error);
      },
    );
    return true;
  }

  async #authenticate(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ ctx: EcsContext; cluster: string; instanceArn: string }> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    // The whole query is signed, every value of a repeated name included: the signature then
    // covers exactly the cluster and instance read below.
    const caller = await verifySigV4(
      { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: '' },
      this.#secrets,
      { service: 'ecs', now: this.#clock.now() },
    );
    const clusters = url.searchParams.getAll('cluster');
    const instances = url.searchParams.getAll('containerInstance');
    if (clusters.length !== 1 || instances.length !== 1 || !clusters[0] || !instances[0])
      throw new ServiceError(
        'InvalidParameterException',
        'cluster and containerInstance are required, once each.',
      );
    // An agent key from a join token tied to one cluster connects for that cluster only.
    const key = this.#secrets(caller.accessKeyId);
    const only = typeof key === 'object' ? key.cluster : undefined;
    if (only !== undefined && only !== clusters[0] && !clusters[0].endsWith(`:cluster/${only}`))
      throw new ProtocolError(
        'AccessDeniedException',
        `This agent's key may only connect for cluster ${only} (its join token's); start the agent with --cluster ${only} or join with a token for ${clusters[0]}.`,
        403,
      );
    return { ctx: this.#regions.context(caller.region), cluster: clusters[0], instanceArn: instances[0] };
  }

  async #open(
    socket: WebSocket,
    ctx: EcsContext,
    cluster: string,
    instanceArn: string,
    remoteAddress: string,
  ): Promise<void> {
    // Listeners before the first await: ws drops messages nobody listens to (an agent sends its
    // hello and resends reports at once), and an 'error' event without a listener would throw.
    const early: string[] = [];
    let session: Session | undefined;
    let closed = false;
    socket.on('error', (error) =>
      this.#log.warn({ instanceArn, error: describeError(error) }, 'agent socket error'),
    );
    socket.on('message', (data) => {
      if (session) this.#onMessage(session, String(data));
      else early.push(String(data));
    });
    socket.on('close', () => {
      closed = true;
      if (session) this.#onClose(session);
    });
    const id = randomUUID();
    const replica = this.#replica?.presence.id ?? EMBEDDED_REPLICA;
    const recorded = { id, replica, address: remoteAddress, since: this.#clock.now() };
    if (!(await beginAgentSession(ctx, cluster, instanceArn, recorded))) {
      socket.close(4404, 'container instance not registered');
      return;
    }
    if (closed) {
      // Gone while we recorded it: undo (a newer connection, here or elsewhere, recorded its own id).
      await endAgentSession(ctx, cluster, instanceArn, id);
      return;
    }
    this.#sessions.get(instanceArn)?.socket.close(4000, 'replaced by a newer connection');
    const live: Session = {
      id,
      socket,
      remoteAddress,
      ctx,
      cluster,
      instanceArn,
      sent: new Map(),
      enis: new Map(),
      firewalls: new Map(),
      lastSeen: this.#clock.now(),
      syncing: false,
      dirty: new Set(),
      peer: {
        send: (message) => this.#send(live, message),
        get open() {
          return socket.readyState === WebSocket.OPEN;
        },
      },
    };
    session = live;
    this.#sessions.set(instanceArn, live);
    this.#log.info({ instanceArn }, 'agent connected');
    this.#send(live, {
      type: 'welcome',
      containerInstanceArn: instanceArn,
      heartbeatMs: HEARTBEAT_MS,
      ...(this.#usageSampleMs !== undefined ? { usageSampleMs: this.#usageSampleMs } : {}),
      ...(this.#replica ? { replicas: await this.#replicaEndpoints() } : {}),
    });
    for (const text of early.splice(0)) this.#onMessage(live, text);
    const tasks = await assignmentsFor(ctx, cluster, instanceArn);
    this.#sendAssignments(live, tasks);
  }

  #onMessage(session: Session, text: string): void {
    session.lastSeen = this.#clock.now();
    let message: AgentMessage;
    try {
      message = JSON.parse(text) as AgentMessage;
    } catch {
      this.#log.warn({ instanceArn: session.instanceArn }, 'agent sent malformed JSON');
      return;
    }
    // An authenticated agent can still send nonsense: it is logged and dropped, never thrown.
    const problem = malformed(message);
    if (problem) {
      this.#log.warn({ instanceArn: session.instanceArn, problem }, 'agent sent a malformed message');
      return;
    }
    if (message.type === 'report') {
      const { report } = message;
      // `task/CLUSTER/ID`: a Fargate task the agent hosts lives in another cluster than the agent.
      const [cluster = '', taskId = ''] = (parseEcsArn(report.taskArn)?.resource ?? '').split('/');
      recordReport(session.ctx, cluster, taskId, () => report, session.instanceArn)
        .then(() => this.#send(session, { type: 'ack', taskArn: report.taskArn, seq: report.seq }))
        .catch((error: unknown) =>
          this.#log.warn({ error: describeError(error) }, 'recording a task report failed'),
        );
    } else if (message.type === 'usage') {
      // Samples, not records: kept in memory by whoever listens (the AWS/ECS metrics publisher).
      this.#usageListener?.(session.ctx, message.at, message.tasks);
    } else if (message.type === 'heartbeat') {
      this.#send(session, { type: 'heartbeat', at: this.#clock.now() });
    } else if (message.type === 'hello') {
      // The agent lists what it knows; resend anything newer so a reconnect converges. Firewalls
      // are resent whole (a restarted agent may hold an older one).
      for (const known of message.knownTasks) session.sent.set(known.taskArn, known.version);
      session.firewalls.clear();
      assignmentsFor(session.ctx, session.cluster, session.instanceArn).then(
        (tasks) => this.#sendAssignments(session, tasks),
        (error: unknown) => this.#log.warn({ error: describeError(error) }, 'loading assignments failed'),
      );
    }
  }

  #onTaskChange(ctx: EcsContext, key: string): void {
    if (this.#sessions.size === 0) return;
    assignmentOf(ctx, key).then(
      (assignment) => {
        if (!assignment) return;
        const session = this.#sessions.get(assignment.containerInstanceArn);
        if (session) this.#sendAssignments(session, [assignment]);
      },
      (error: unknown) => this.#log.warn({ error: describeError(error) }, 'loading an assignment failed'),
    );
  }

  #sendAssignments(session: Session, tasks: Awaited<ReturnType<typeof assignmentsFor>>): void {
    const fresh = tasks.filter((t) => (session.sent.get(t.taskArn) ?? 0) < t.version);
    for (const t of fresh) session.sent.set(t.taskArn, t.version);
    if (fresh.length > 0) this.#send(session, { type: 'assign', tasks: fresh });
    const awsvpc = tasks.filter((t) => t.eni !== undefined);
    for (const t of awsvpc) session.enis.set(t.taskArn, t.eni?.networkInterfaceId ?? '');
    // After the assignment, so the agent knows the task when its firewall arrives.
    if (awsvpc.length > 0)
      this.#syncFirewalls(
        session,
        awsvpc.map((t) => t.taskArn),
      );
    // Role credentials, after the assignment too (the agent waits for them before starting the task).
    this.#credentials?.sync(session.peer, tasks);
  }

  /** Whether a task still needs its role credentials: its record exists and it is not STOPPED. */
  async #taskAlive(taskArn: string): Promise<boolean> {
    const arn = parseEcsArn(taskArn);
    const [cluster = '', taskId = ''] = (arn?.resource ?? '').split('/');
    if (!arn) return false;
    const record = await this.#regions
      .context(arn.region)
      .store.get<TaskRecord>(Kind.Task, keys.task(cluster, taskId));
    return record !== undefined && record.value.task.lastStatus !== 'STOPPED';
  }

  #onNetworkChange(ctx: EcsContext): void {
    if (this.#pendingNetwork.has(ctx)) return;
    this.#pendingNetwork.add(ctx);
    // One recomputation per burst of commits (an AuthorizeSecurityGroupIngress, a RunTask of 10).
    Promise.resolve().then(() => {
      this.#pendingNetwork.delete(ctx);
      for (const session of this.#sessions.values()) {
        if (session.ctx === ctx && session.enis.size > 0)
          this.#syncFirewalls(session, [...session.enis.keys()]);
      }
    }, undefined);
  }

  /**
   * Sends each task's current firewall when it differs from the one the agent has. Runs one at a
   * time per agent: tasks asked for meanwhile wait in `dirty` and are computed in the next round,
   * from a fresh read, so the last firewall an agent gets is always the newest.
   */
  #syncFirewalls(session: Session, taskArns: string[]): void {
    for (const arn of taskArns) session.dirty.add(arn);
    if (session.syncing) return;
    session.syncing = true;
    const run = async () => {
      while (session.dirty.size > 0) {
        const wanted = [...session.dirty].filter((arn) => session.enis.has(arn));
        session.dirty.clear();
        const firewalls = await taskFirewalls(
          session.ctx.store,
          wanted.map((arn) => session.enis.get(arn) ?? ''),
        );
        for (const taskArn of wanted) {
          const firewall = firewalls.get(session.enis.get(taskArn) ?? '');
          if (!firewall) {
            // The ENI is gone: the task stopped and its address is free.
            session.enis.delete(taskArn);
            session.firewalls.delete(taskArn);
            continue;
          }
          const revision = createHash('sha256').update(JSON.stringify(firewall)).digest('hex').slice(0, 16);
          if (session.firewalls.get(taskArn) === revision) continue;
          session.firewalls.set(taskArn, revision);
          this.#send(session, { type: 'firewall', taskArn, firewall, revision });
        }
      }
    };
    run()
      .catch((error: unknown) =>
        this.#log.warn({ error: describeError(error) }, 'computing a task firewall failed'),
      )
      .finally(() => {
        session.syncing = false;
        // Asked for between the last round and now: another round.
        if (session.dirty.size > 0) this.#syncFirewalls(session, []);
      });
  }

  #send(session: Session, message: ServerMessage): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(message));
  }

  #onClose(session: Session): void {
    this.#credentials?.close(session.peer);
    if (this.#sessions.get(session.instanceArn) !== session) return;
    this.#sessions.delete(session.instanceArn);
    this.#log.info({ instanceArn: session.instanceArn }, 'agent disconnected');
    const { ctx, cluster, instanceArn } = session;
    // Only this connection's own record: a newer one (here or on another replica) stays connected.
    endAgentSession(ctx, cluster, instanceArn, session.id).catch((error: unknown) =>
      this.#log.warn({ error: describeError(error) }, 'marking agent disconnected failed'),
    );
  }

  /** Drops sessions that stopped talking (a half-open TCP connection never sends `close`). */
  #sweep(): void {
    const deadline = this.#clock.now() - 3 * HEARTBEAT_MS;
    // A replica that cannot record its heartbeats cannot record reports either: its agents go to another.
    const letGo = this.#replica !== undefined && !this.#replica.presence.healthy();
    for (const session of this.#sessions.values()) {
      if (session.socket.readyState === WebSocket.CLOSED) this.#onClose(session);
      else if (letGo) session.socket.close(4001, 'this replica lost its store; reconnect to another');
      else if (session.lastSeen < deadline) session.socket.terminate();
    }
    if (this.#replica?.leading()) this.#endOrphans(this.#replica.presence);
  }

  /** The leader ends the sessions of replicas that stopped heartbeating (killed, cut off). */
  #endOrphans(presence: ReplicaPresence): void {
    presence
      .live()
      .then(async (live) => {
        const ids = new Set(live.map((r) => r.id));
        const now = this.#clock.now();
        // A session younger than the expiry may belong to a replica whose first heartbeat is on its way.
        const alive = (s: AgentSession) => ids.has(s.replica) || now - s.since < REPLICA_EXPIRY_MS;
        for (const ctx of this.#regions.all()) {
          const ended = await endOrphanedSessions(ctx, alive);
          if (ended > 0)
            this.#log.warn(
              { region: ctx.partition.region, agents: ended },
              'agents of a replica that stopped heartbeating marked disconnected',
            );
        }
      })
      .catch((error: unknown) =>
        this.#log.warn({ error: describeError(error) }, 'ending orphaned agent sessions failed'),
      );
  }

  /** Where agents may reconnect: every live replica, this one first. */
  async #replicaEndpoints(): Promise<string[]> {
    const presence = this.#replica?.presence;
    if (!presence) return [];
    const live = await presence.live().catch(() => []);
    const mine = live.filter((r) => r.id === presence.id).map((r) => r.endpoint);
    return [...new Set([...mine, ...live.map((r) => r.endpoint)])];
  }

  /** Connected container instance ARNs. */
  connected(): string[] {
    return [...this.#sessions.keys()];
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#credentials?.closeAll();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const s of this.#sessions.values()) s.socket.terminate();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
