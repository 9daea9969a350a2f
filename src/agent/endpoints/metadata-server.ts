/**
 * Task Metadata Endpoint (v4, and v3 at the same paths) for the agent's containers.
 *
 * Where it listens: never on all interfaces. The server binds 127.0.0.1 and containers reach it
 * the way they do on ECS, at http://169.254.170.2/ through iptables rules (link-local-route.ts);
 * where the host cannot have those rules it also binds the Docker bridge's own address, which
 * every bridge-mode container can route to (start-metadata.ts chooses, and logs the choice).
 *
 * Isolation: each container's URL carries its own unguessable id; an id resolves only to its own
 * container and task, so one task cannot read another's metadata.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { describeError } from '../../core/errors.ts';
import type { ContainerState, TaskState } from '../engine/task-state.ts';
import { containerMetadata, taskMetadata } from './metadata-v4.ts';
import { relayRequest } from './api-relay.ts';
import { http } from '../http-request.ts';
import type { EndpointAnswer } from './credentials-endpoint.ts';
import { LINK_LOCAL_ADDRESS } from './link-local-route.ts';

/** The real agent's task server port; 0 picks a free port (several agents on one host). */
export const DEFAULT_METADATA_PORT = 51679;
/** The real agent's read/write timeouts on this server. */
const REQUEST_TIMEOUT_MS = 5000;

export interface MetadataSource {
  lookup(metadataId: string): { task: Readonly<TaskState>; container: Readonly<ContainerState> } | undefined;
  /**
   * The credentials behind `/v2/credentials/<id>` (ECS's container credentials shape), for an id
   * the agent gave dockerd (Docker's awslogs driver); undefined for any other id.
   */
  credentials?(id: string): ContainerCredentials | undefined;
  /**
   * Task role credentials behind `/v2/credentials/<id>`, answered only to the task that owns them
   * (credentials-endpoint.ts); undefined for an id that is not a task role's.
   */
  taskCredentials?(id: string, remoteAddress: string): Promise<EndpointAnswer | undefined>;
  stats(runtimeId: string): Promise<unknown>;
  instanceArn: string;
}

/** What `/v2/credentials/<id>` answers (the shape AWS SDKs' container credential providers read). */
export interface ContainerCredentials {
  RoleArn: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

/** Where the endpoint ended up, as start-metadata.ts chose it. */
export interface MetadataEndpointInfo {
  /** The base URL containers are given, e.g. `http://169.254.170.2`. */
  url: string;
  /** The addresses the server listens on (`127.0.0.1:51679` ...). */
  listening: string[];
  port: number;
  /** Set when the requested port was taken and a free one was picked instead. */
  requestedPort?: number;
  /** How containers reach it, in words (for the log and the CLI). */
  route: string;
}

export interface MetadataServerOptions {
  /** Port on 127.0.0.1 (and on the bridge address when that is served); 0 picks a free one. Default 51679. */
  port?: number;
  /** When `port` is taken, pick a free one instead of failing (right for a default, not for a port the user chose). */
  freePortIfTaken?: boolean;
  /** The iptables command for the 169.254.170.2 route; default `iptables` on PATH. */
  iptables?: string;
  /** Told where the endpoint ended up (the CLI prints it). */
  onListening?(info: MetadataEndpointInfo): void;
}

/** Routes 169.254.170.2 for containers behind another bridge (see link-local-route.ts). */
export interface BridgeRoutes {
  add(bridge: string): Promise<void>;
  remove(bridge: string): Promise<void>;
}

/** The first path segments the agent answers itself; any other path is relayed when a relay is set. */
const AGENT_PATHS: ReadonlySet<string> = new Set(['v1', 'v2', 'v3', 'v4']);

/** Several binds of one port: a dynamic port must also be free on the second address; retry a few. */
const DYNAMIC_PORT_TRIES = 3;

export class MetadataServer {
  readonly #source: MetadataSource;
  readonly #logger: Logger;
  #servers: Server[] = [];
  #baseUrl = '';
  readonly #cleanups: (() => Promise<void>)[] = [];
  #bridges: BridgeRoutes | undefined;
  /** The control plane that other paths are relayed to (api-relay.ts); unset: they get 404. */
  /** Where the relay sends containers' API calls: the agent's current control-plane endpoint. */
  #relay: (() => URL) | undefined;

  constructor(source: MetadataSource, logger: Logger) {
    this.#source = source;
    this.#logger = logger;
  }

  /**
   * Binds `port` on every address in `hosts` (the same port on each) and returns it. A taken port
   * fails with EADDRINUSE unless `freePortIfTaken`, which then binds a free port instead.
   */
  async listen(hosts: readonly string[], port: number, freePortIfTaken: boolean): Promise<number> {
    try {
      return await this.#listenAll(hosts, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (port !== 0 && !freePortIfTaken))
        throw error;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#listenAll(hosts, 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= DYNAMIC_PORT_TRIES)
          throw error;
      }
    }
  }

  /** Binds the first host (port 0 picks one), then the others on the same port; all or none. */
  async #listenAll(hosts: readonly string[], port: number): Promise<number> {
    const opened: Server[] = [];
    let bound = port;
    try {
      for (const host of hosts) {
        const server = await this.#bind(host, bound);
        opened.push(server);
        bound = (server.address() as AddressInfo).port;
      }
    } catch (error) {
      await closeAll(opened);
      throw error;
    }
    this.#servers.push(...opened);
    return bound;
  }

  /** `host:port` of every listening socket. */
  addresses(): string[] {
    return this.#servers.map((server) => {
      const a = server.address() as AddressInfo;
      return `${a.address}:${a.port}`;
    });
  }

  async #bind(host: string, port: number): Promise<Server> {
    const server = http.createServer((req, res) => void this.#handle(req, res));
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }

  /** Sets the base URL containers are given, e.g. `http://169.254.170.2`. */
  advertise(baseUrl: string): void {
    this.#baseUrl = baseUrl;
  }

  /** The base URL containers are given ('' before `advertise`). */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** The link-local route's hooks for more bridges (awsvpc VPC bridges); set when the route exists. */
  routeBridges(bridges: BridgeRoutes): void {
    this.#bridges = bridges;
  }

  /** Undefined when containers reach the server some other way (no iptables route). */
  get bridgeRoutes(): BridgeRoutes | undefined {
    return this.#servers.length > 0 ? this.#bridges : undefined;
  }

  /** Runs `cleanup` when the server closes (the route rules that lead to it). */
  onClose(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  /** Relays every path that is not the agent's own to `endpoint` (the control plane), for `AWS_ENDPOINT_URL`. */
  relayTo(endpoint: string | (() => string)): void {
    // A function follows the agent's channel from replica to replica (cluster mode).
    this.#relay = typeof endpoint === 'string' ? () => new URL(endpoint) : () => new URL(endpoint());
  }

  /**
   * Environment for a task's containers: the credentials URI of its task role (the relative form
   * SDKs append to 169.254.170.2 when the agent serves port 80 there, else the full URI) and
   * AWS_ENDPOINT_URL, Longshore as containers reach it.
   */
  roleEnvironment(credentialsId: string | undefined): {
    agent: Record<string, string>;
    defaults: Record<string, string>;
  } {
    if (this.#servers.length === 0 || !this.#baseUrl) return { agent: {}, defaults: {} };
    const path = `/v2/credentials/${credentialsId}`;
    const agent: Record<string, string> = {};
    if (credentialsId) {
      if (this.#baseUrl === `http://${LINK_LOCAL_ADDRESS}`)
        agent.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = path;
      else agent.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${this.#baseUrl}${path}`;
    }
    return { agent, defaults: this.#relay ? { AWS_ENDPOINT_URL: this.#baseUrl } : {} };
  }

  /** Environment for the container with this metadata id. */
  environment(metadataId: string): Record<string, string> {
    if (this.#servers.length === 0 || !this.#baseUrl) return {};
    return {
      ECS_CONTAINER_METADATA_URI_V4: `${this.#baseUrl}/v4/${metadataId}`,
      ECS_CONTAINER_METADATA_URI: `${this.#baseUrl}/v3/${metadataId}`,
    };
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0)) await cleanup();
    await closeAll(this.#servers.splice(0));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const [, version, id, ...rest] = (req.url ?? '').split('?')[0].split('/');
      if (this.#relay && !AGENT_PATHS.has(version ?? '')) return relayRequest(this.#relay(), req, res);
      if (version === 'v2' && id === 'credentials' && rest.length === 1) {
        const remote = req.socket.remoteAddress ?? '';
        const task = req.method === 'GET' ? await this.#source.taskCredentials?.(rest[0], remote) : undefined;
        if (task) return send(res, task.status, task.body);
        const credentials = req.method === 'GET' ? this.#source.credentials?.(rest[0]) : undefined;
        // Never say whether an id exists: 404 for every unknown one, and no id in the log.
        if (!credentials) return send(res, 404, { error: 'unknown credentials' });
        return send(res, 200, credentials);
      }
      const found = (version === 'v4' || version === 'v3') && id ? this.#source.lookup(id) : undefined;
      if (req.method !== 'GET' || !found) return send(res, 404, { error: 'unknown metadata endpoint' });
      const { task, container } = found;
      const path = rest.join('/');
      const arn = this.#source.instanceArn;
      switch (path) {
        case '':
          return send(res, 200, containerMetadata(task, container, arn));
        case 'task':
          return send(res, 200, taskMetadata(task, arn, false));
        case 'taskWithTags':
          return send(res, 200, taskMetadata(task, arn, true));
        case 'stats':
          return send(res, 200, container.runtimeId ? await this.#source.stats(container.runtimeId) : {});
        case 'task/stats': {
          const entries = task.containers.filter((c) => c.runtimeId);
          const stats = await Promise.all(entries.map((c) => this.#source.stats(c.runtimeId!)));
          return send(res, 200, Object.fromEntries(entries.map((c, i) => [c.runtimeId, stats[i]])));
        }
        default:
          return send(res, 404, { error: 'unknown metadata path' });
      }
    } catch (error) {
      this.#logger.warn({ err: describeError(error), url: req.url }, 'metadata request failed');
      send(res, 500, { error: 'internal error' });
    }
  }
}

function closeAll(servers: readonly Server[]): Promise<unknown> {
  return Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
