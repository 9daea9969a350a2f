/**
 * Starts the metadata server and chooses how containers reach it (see metadata-server.ts): the ECS
 * link-local route to 127.0.0.1 where the host allows it, else the Docker bridge's own address;
 * never all interfaces. The choice is logged and passed to `onListening`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import type { Logger } from '../log.ts';
import { describeError } from '../../core/errors.ts';
import { type RetryPolicy, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { DEFAULT_BRIDGE_INTERFACE, installLinkLocalRoute } from './link-local-route.ts';
import {
  DEFAULT_METADATA_PORT,
  type MetadataEndpointInfo,
  MetadataServer,
  type MetadataServerOptions,
  type MetadataSource,
} from './metadata-server.ts';

const LOOPBACK = '127.0.0.1';
/** `ip addr` answers in milliseconds. */
const IP_TIMEOUT_MS = 5_000;
const run = promisify(execFile);

export async function startMetadataServer(
  runtime: ContainerRuntime,
  options: MetadataServerOptions,
  retry: RetryPolicy,
  source: MetadataSource,
  logger: Logger,
): Promise<MetadataServer> {
  const requested = options.port ?? DEFAULT_METADATA_PORT;
  const server = new MetadataServer(source, logger);
  const port = await server.listen([LOOPBACK], requested, options.freePortIfTaken ?? false).catch((error) => {
    throw portError(error, requested);
  });
  let url: string;
  let route: string;
  try {
    const installed = await installLinkLocalRoute(port, {
      iptables: options.iptables,
      key: ownerKey(source),
    });
    server.routeBridges({ add: installed.addBridge, remove: installed.removeBridge });
    server.onClose(async () => {
      const failed = await installed.remove();
      if (failed) logger.warn({ err: failed }, 'could not remove the metadata endpoint iptables rules');
    });
    url = installed.url;
    route = installed.servesDefaultPort
      ? 'link-local 169.254.170.2 (iptables DNAT to 127.0.0.1)'
      : `link-local 169.254.170.2:${port} (iptables DNAT to 127.0.0.1; another agent serves port 80)`;
  } catch (error) {
    const bridge = await bridgeAddress(runtime, retry, logger);
    const reason = lastLine(error);
    if (bridge) {
      try {
        await server.listen([bridge], port, false);
      } catch (bindError) {
        await server.close();
        throw portError(bindError, port, bridge);
      }
      url = `http://${bridge}:${port}`;
      route = `Docker bridge address ${bridge} (no 169.254.170.2 route: ${reason})`;
    } else {
      url = `http://${LOOPBACK}:${port}`;
      route = `loopback only: bridge-mode containers cannot reach it (no 169.254.170.2 route: ${reason}; no Docker bridge address)`;
    }
  }
  server.advertise(url);
  const info: MetadataEndpointInfo = {
    url,
    listening: server.addresses(),
    port,
    route,
    ...(port !== requested && requested !== 0 ? { requestedPort: requested } : {}),
  };
  logger.info(info, 'task metadata endpoint listening');
  options.onListening?.(info);
  return server;
}

/**
 * The Docker bridge's address: its IPAM gateway when `docker network inspect bridge` has one (on
 * some engines it has none), else the IPv4 address of the docker0 interface. os.networkInterfaces()
 * leaves out an interface without carrier, which docker0 is while no container runs, so `ip` is
 * asked then.
 */
async function bridgeAddress(
  runtime: ContainerRuntime,
  retry: RetryPolicy,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const gateway = await withRetry(() => runtime.bridgeGateway(), retry);
    if (gateway) return gateway;
  } catch (error) {
    logger.warn({ err: describeError(error) }, 'cannot inspect the Docker bridge network');
  }
  const up = networkInterfaces()[DEFAULT_BRIDGE_INTERFACE]?.find((a) => a.family === 'IPv4')?.address;
  if (up) return up;
  try {
    const { stdout } = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', DEFAULT_BRIDGE_INTERFACE], {
      timeout: IP_TIMEOUT_MS,
    });
    return /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** A stable key for this agent's iptables rules: the same container instance after a restart. */
function ownerKey(source: MetadataSource): string {
  return createHash('sha256').update(source.instanceArn).digest('hex').slice(0, 12);
}

/** A failed command's message ends with its stderr: its last line says why. */
function lastLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .at(-1) ?? text
  );
}

function portError(error: unknown, port: number, host = LOOPBACK): Error {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error as Error;
  return new Error(
    `the task metadata port ${port} is in use on ${host} (another agent on this host?); choose another with --metadata-port (0 picks a free one)`,
  );
}
