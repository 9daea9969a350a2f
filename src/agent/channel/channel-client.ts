/**
 * The agent's side of the control channel: a signed WebSocket to the control plane that
 * reconnects with exponential backoff and full jitter, delivers assignments to the task engine,
 * and resends each task's latest report until the control plane acknowledges it.
 */
import { createRequire } from 'node:module';
import type { WebSocket as WebSocketClass } from 'ws';
import { signRequest } from '../sigv4.ts';
import type {
  AgentMessage,
  ServerMessage,
  TaskAssignment,
  TaskFirewall,
  TaskReport,
  TaskUsage,
  TaskCredentialsMessage,
} from '../../core/agent-protocol.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { systemClock } from '../../core/system.ts';
import { describeError } from '../../core/errors.ts';
import type { AgentEndpoints } from './endpoints.ts';

/**
 * ws, loaded with `require`: an ESM import of a CommonJS package loads Node's export lexer, which
 * stays in memory (~0.7 MiB of an idle agent), and nothing else in the agent needs it.
 */
const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: typeof WebSocketClass };
type WebSocket = WebSocketClass;

/** Reconnect delays: 250 ms doubling to 30 s, each a random fraction of the step ("full jitter"). */
export const RECONNECT_BASE_MS = 250;
export const RECONNECT_MAX_MS = 30_000;
/** Close code the control plane uses when the container instance is not (or no longer) registered. */
export const CLOSE_NOT_REGISTERED = 4404;

export interface ChannelOptions {
  /** Control plane endpoint, e.g. http://127.0.0.1:4590 (the first of `endpoints` when they are given). */
  endpoint: string;
  /** Several endpoints (cluster mode): each reconnect tries the next; `welcome` adds the live replicas. */
  endpoints?: AgentEndpoints;
  path: string;
  cluster: string;
  containerInstanceArn: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  rng: Rng;
  /** Signing time; the system clock unless a test drives time. */
  clock?: Clock;
  onAssign(assignment: TaskAssignment): void;
  /**
   * awsvpc: a task's security groups (replacing the previous ones; a repeated revision changes
   * nothing). Optional for engines without awsvpc (the simulated one): the message is then dropped.
   */
  onFirewall?(taskArn: string, firewall: TaskFirewall, revision: string): void;
  /** A task role's or execution role's credentials (engines without roles drop them). */
  onCredentials?(message: TaskCredentialsMessage): void;
  /** What the engine knows (task ARN and assignment version), sent on every connect. */
  knownTasks(): { taskArn: string; version: number }[];
  /** The engine's latest report per task, resent on every connect (the control plane drops old seqs). */
  latestReports(): TaskReport[];
  /** The control plane has persisted the task's reports up to `seq`. */
  onAck(taskArn: string, seq: number): void;
  onConnected?(): void;
  onNotRegistered?(): void;
  /** The control plane's wanted usage sampling interval, from each `welcome` that names one. */
  onUsagePace?(sampleMs: number): void;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class ChannelClient {
  readonly #o: ChannelOptions;
  /** Latest unacknowledged report per task. */
  readonly #pending = new Map<string, TaskReport>();
  #socket: WebSocket | undefined;
  #attempt = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  /** When the control plane was last heard from (any message), by performance.now(). */
  #lastHeard = 0;
  #welcomed: () => void = () => {};
  readonly #firstWelcome: Promise<void>;

  constructor(options: ChannelOptions) {
    this.#o = options;
    this.#firstWelcome = new Promise((resolve) => {
      this.#welcomed = resolve;
    });
  }

  /**
   * Resolves once the control plane has accepted the session (its `welcome`: the instance is
   * marked connected and placement may choose it); rejects after `timeoutMs`, while reconnects go on.
   */
  waitForSession(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no control-plane session after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([this.#firstWelcome, timeout]).finally(() => clearTimeout(timer));
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#connect().catch((error: unknown) => this.#scheduleReconnect(error));
  }

  /** Queues `report` and sends it now when connected; it is resent after reconnects until acked. */
  /** Sends what the tasks used (dropped while disconnected: usage is a sample, not a record). */
  usage(at: number, tasks: TaskUsage[]): void {
    if (tasks.length > 0) this.#send({ type: 'usage', at, tasks });
  }

  report(report: TaskReport): void {
    const current = this.#pending.get(report.taskArn);
    if (current && current.seq >= report.seq) return;
    this.#pending.set(report.taskArn, report);
    this.#send({ type: 'report', report });
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const endpoint = this.#endpoint();
    const url = new URL(this.#o.path, endpoint);
    url.searchParams.set('cluster', this.#o.cluster);
    url.searchParams.set('containerInstance', this.#o.containerInstanceArn);
    const headers = this.#sign(url);
    const socket = new WebSocket(url.toString().replace(/^http/, 'ws'), {
      headers,
      handshakeTimeout: 10_000,
    });
    this.#socket = socket;
    socket.on('open', () => {
      this.#attempt = 0;
      this.#o.log.info({ endpoint }, 'control channel connected');
      this.#send({
        type: 'hello',
        containerInstanceArn: this.#o.containerInstanceArn,
        knownTasks: this.#o.knownTasks(),
      });
      for (const report of this.#o.latestReports()) this.report(report);
      for (const report of this.#pending.values()) this.#send({ type: 'report', report });
      this.#o.onConnected?.();
    });
    socket.on('message', (data) => this.#onMessage(String(data)));
    socket.on('close', (code) => {
      clearInterval(this.#heartbeat);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (code === CLOSE_NOT_REGISTERED) this.#o.onNotRegistered?.();
      this.#scheduleReconnect(new Error(`control channel closed (${code})`));
    });
    socket.on('error', (error) => this.#o.log.warn({ error: describeError(error) }, 'control channel error'));
    // A refused upgrade carries AWS's error (type and message): say it, then let the socket close
    // (which schedules the reconnect) instead of logging only "Unexpected server response".
    socket.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => {
        this.#o.log.warn(
          {
            status: res.statusCode,
            error: refusal(body),
            endpoint,
            region: this.#o.region,
          },
          'control plane refused the control channel: check the key pair, the region and the cluster',
        );
        req.destroy();
      });
    });
  }

  #onMessage(text: string): void {
    this.#lastHeard = performance.now();
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      this.#o.log.warn({}, 'control plane sent malformed JSON');
      return;
    }
    switch (message.type) {
      case 'welcome':
        this.#welcomed();
        clearInterval(this.#heartbeat);
        this.#heartbeat = setInterval(() => {
          // The control plane answers every heartbeat: silent for three intervals, the connection
          // is half-open (a partition, a replica gone without a FIN). Drop it and reconnect,
          // to another replica when there is one, instead of waiting for TCP to give up.
          const socket = this.#socket;
          if (socket && performance.now() - this.#lastHeard > 3 * message.heartbeatMs) {
            this.#o.log.warn(
              { silentMs: Math.round(performance.now() - this.#lastHeard) },
              'control plane silent; reconnecting',
            );
            socket.terminate();
            return;
          }
          this.#send({ type: 'heartbeat', at: Date.now() });
        }, message.heartbeatMs);
        this.#heartbeat.unref();
        if (typeof message.usageSampleMs === 'number' && message.usageSampleMs >= 1000)
          this.#o.onUsagePace?.(message.usageSampleMs);
        if (Array.isArray(message.replicas))
          this.#o.endpoints?.learn(message.replicas.filter((e): e is string => typeof e === 'string'));
        return;
      case 'assign':
        for (const task of message.tasks) this.#o.onAssign(task);
        return;
      case 'ack': {
        const pending = this.#pending.get(message.taskArn);
        if (pending && pending.seq <= message.seq) this.#pending.delete(message.taskArn);
        this.#o.onAck(message.taskArn, message.seq);
        return;
      }
      case 'firewall':
        if (this.#o.onFirewall) this.#o.onFirewall(message.taskArn, message.firewall, message.revision);
        else
          this.#o.log.warn(
            { taskArn: message.taskArn },
            'firewall message for an engine without awsvpc; dropped',
          );
        return;
      case 'heartbeat':
        return;
      case 'credentials':
        // Secrets inside: handed over, never logged.
        this.#o.onCredentials?.(message);
        return;
    }
  }

  #send(message: AgentMessage): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  /** The endpoint the channel uses now (the agent's other calls follow it). */
  #endpoint(): string {
    return this.#o.endpoints?.current() ?? this.#o.endpoint;
  }

  #scheduleReconnect(error: unknown): void {
    if (this.#closed) return;
    // Cluster mode: the replica failed or left; the next attempt goes to another.
    const from = this.#endpoint();
    const to = this.#o.endpoints?.next();
    if (to !== undefined && to !== from)
      this.#o.log.info({ from, to }, 'control channel moving to another endpoint');
    const step = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#attempt);
    const delay = Math.floor(this.#o.rng.next() * step);
    this.#attempt++;
    this.#o.log.warn({ error: describeError(error), retryInMs: delay }, 'control channel down; reconnecting');
    this.#retry = setTimeout(() => {
      this.#connect().catch((e: unknown) => this.#scheduleReconnect(e));
    }, delay);
  }

  /** SigV4 headers for the upgrade request, signed like any ECS call (service `ecs`). */
  #sign(url: URL): Record<string, string> {
    return signRequest(this.#o.credentials, this.#o.region, {
      method: 'GET',
      url,
      now: (this.#o.clock ?? systemClock).now(),
    });
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#retry);
    this.#socket?.close(1000, 'agent stopping');
  }
}

/** `Type: message` from an AWS JSON error body, or the body itself. */
function refusal(body: string): string {
  try {
    const parsed = JSON.parse(body) as { __type?: string; message?: string };
    return `${parsed.__type ?? 'Error'}: ${parsed.message ?? ''}`;
  } catch {
    return body.trim();
  }
}
