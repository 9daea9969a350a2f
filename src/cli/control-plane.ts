/** Assembles and starts the control plane: store, ECS handlers, gateway, HTTP listener. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createGateway, type ExtraRoute } from '../aws/gateway.ts';
import { Throttle } from '../aws/throttle.ts';
import { AgentHub } from '../channel/agent-hub.ts';
import { markAllDisconnected } from '../channel/connectivity.ts';
import { ChangeFeed } from '../core/changes.ts';
import { type ControllerOptions, ControllerManager } from '../controllers/controller-manager.ts';
import { RetentionSweeper } from '../controllers/retention/retention-sweeper.ts';
import { DEFAULT_STOPPED_TASK_RETENTION_MS, type EcsContext } from '../ecs/context.ts';
import { ecsService } from '../ecs/ecs-service.ts';
import { longshoreService } from '../longshore-api/longshore-service.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { Credentials } from './credentials.ts';
import { systemClock, systemRng } from './system.ts';

export interface ControlPlaneOptions {
  dataDir: string;
  host: string;
  port: number;
  region: string;
  accountId: string;
  credentials: Credentials;
  /** Multiplier of ECS's throttling rates; 0 turns throttling off. */
  throttle: number;
  /** Embedded mode serves `POST /moto-api/reset`. */
  embedded: boolean;
  stoppedTaskRetentionMs?: number;
  maxBodyBytes?: number;
  /** The service scheduler and its friends; `false` runs the API alone (handler tests). */
  controllers?: false | ControllerOptions;
  log: Logger;
}

export interface ControlPlane {
  endpoint: string;
  port: number;
  server: Server;
  store: Store;
  hub: AgentHub;
  ecs: EcsContext;
  controllers?: ControllerManager;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const store = SqliteStore.open(join(options.dataDir, 'longshore.db'));
  const changes = new ChangeFeed();
  const ecs: EcsContext = {
    store,
    clock: systemClock,
    rng: systemRng,
    partition: { region: options.region, accountId: options.accountId },
    config: {
      stoppedTaskRetentionMs: options.stoppedTaskRetentionMs ?? DEFAULT_STOPPED_TASK_RETENTION_MS,
      pollEndpoint: '',
    },
    changes,
  };
  const extraRoutes: ExtraRoute[] = [];
  if (options.embedded) extraRoutes.push(resetRoute(store, options.log));
  const keys = new Map([[options.credentials.accessKeyId, options.credentials.secretAccessKey]]);
  const gateway = createGateway({
    services: [ecsService(ecs), longshoreService(ecs)],
    secrets: (id) => keys.get(id),
    region: options.region,
    throttle: new Throttle(options.throttle),
    clock: systemClock,
    newRequestId: randomUUID,
    maxBodyBytes: options.maxBodyBytes,
    extraRoutes,
    log: options.log,
  });
  await markAllDisconnected(ecs);
  const hub = new AgentHub(ecs, (id) => keys.get(id), options.log);
  const server = createServer({ keepAliveTimeout: 65_000 }, gateway);
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  ecs.config.pollEndpoint = endpoint;
  const sweeper = new RetentionSweeper(store, systemClock);
  sweeper.start();
  let controllers: ControllerManager | undefined;
  if (options.controllers !== false) {
    controllers = new ControllerManager(ecs, { log: options.log, ...options.controllers });
    await controllers.start();
  }
  return {
    endpoint,
    port,
    server,
    store,
    hub,
    ecs,
    controllers,
    async close() {
      await controllers?.stop();
      await sweeper.stop();
      await hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}

/** `POST /moto-api/reset`: forget every record, as moto's server mode does (embedded mode only). */
function resetRoute(store: Store, log: Logger): ExtraRoute {
  return {
    method: 'POST',
    path: '/moto-api/reset',
    async handle(_req, res) {
      await store.clear();
      log.info('state reset through /moto-api/reset');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "ok"}');
    },
  };
}
