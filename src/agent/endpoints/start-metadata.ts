/** Starts the metadata server on the bridge gateway (see metadata-server.ts for why there). */
import type { Logger } from 'pino';
import { describeError } from '../../core/errors.ts';
import { type RetryPolicy, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import {
  DEFAULT_METADATA_PORT,
  MetadataServer,
  type MetadataServerOptions,
  type MetadataSource,
} from './metadata-server.ts';

/** Docker's default bridge gateway, advertised when the daemon cannot tell us its own. */
const FALLBACK_GATEWAY = '172.17.0.1';

export async function startMetadataServer(
  runtime: ContainerRuntime,
  options: MetadataServerOptions,
  retry: RetryPolicy,
  source: MetadataSource,
  logger: Logger,
): Promise<MetadataServer> {
  let gateway: string | undefined;
  try {
    gateway = await withRetry(() => runtime.bridgeGateway(), retry);
  } catch (error) {
    logger.warn({ err: describeError(error) }, 'bridge gateway unknown; metadata endpoint binds 0.0.0.0');
  }
  const host = options.host ?? gateway ?? '0.0.0.0';
  const advertise = options.advertiseHost ?? (host === '0.0.0.0' ? (gateway ?? FALLBACK_GATEWAY) : host);
  const server = new MetadataServer(source, logger);
  const url = await server.listen(host, options.port ?? DEFAULT_METADATA_PORT, advertise);
  logger.info({ url }, 'task metadata endpoint listening');
  return server;
}
