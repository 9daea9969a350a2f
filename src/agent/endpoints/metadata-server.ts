/**
 * Task Metadata Endpoint (v4, and v3 at the same paths) for the agent's containers.
 *
 * Where it listens: one HTTP server on the host, bound to the gateway address of Docker's default
 * bridge (docker0, e.g. 172.17.0.1). A bridge-mode container has its own network namespace, so the
 * host's 127.0.0.1 is not reachable from it (the real agent bridges that gap with an iptables DNAT
 * from 169.254.170.2 plus route_localnet); the bridge gateway is the host address every bridge
 * container can route to, and host-mode containers reach it too since docker0 is a local
 * interface. When no bridge gateway is known the server binds 0.0.0.0.
 *
 * Isolation: each container's URL carries its own unguessable id; an id resolves only to its own
 * container and task, so one task cannot read another's metadata.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { describeError } from '../../core/errors.ts';
import type { ContainerState, TaskState } from '../engine/task-state.ts';
import { containerMetadata, taskMetadata } from './metadata-v4.ts';

/** The real agent's task server port; 0 picks a free port (several agents on one host). */
export const DEFAULT_METADATA_PORT = 51679;
/** The real agent's read/write timeouts on this server. */
const REQUEST_TIMEOUT_MS = 5000;

export interface MetadataSource {
  lookup(metadataId: string): { task: Readonly<TaskState>; container: Readonly<ContainerState> } | undefined;
  stats(runtimeId: string): Promise<unknown>;
  instanceArn: string;
}

export interface MetadataServerOptions {
  /** Address to bind; default: the bridge gateway, else 0.0.0.0. */
  host?: string;
  port?: number;
  /** Host name containers use in the URL; default: the bound address (the gateway when bound to 0.0.0.0). */
  advertiseHost?: string;
}

export class MetadataServer {
  readonly #source: MetadataSource;
  readonly #logger: Logger;
  #server: Server | undefined;
  #baseUrl = '';

  constructor(source: MetadataSource, logger: Logger) {
    this.#source = source;
    this.#logger = logger;
  }

  /** Binds and returns the base URL containers are given, e.g. `http://172.17.0.1:51679`. */
  async listen(host: string, port: number, advertiseHost: string): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
    const bound = (server.address() as AddressInfo).port;
    this.#baseUrl = `http://${advertiseHost}:${bound}`;
    return this.#baseUrl;
  }

  /** Environment for the container with this metadata id. */
  environment(metadataId: string): Record<string, string> {
    if (!this.#server) return {};
    return {
      ECS_CONTAINER_METADATA_URI_V4: `${this.#baseUrl}/v4/${metadataId}`,
      ECS_CONTAINER_METADATA_URI: `${this.#baseUrl}/v3/${metadataId}`,
    };
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const [, version, id, ...rest] = (req.url ?? '').split('?')[0].split('/');
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

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
