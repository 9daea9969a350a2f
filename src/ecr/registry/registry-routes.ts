/**
 * The registry data plane's one raw route: the OCI distribution API under `/v2/`, served on the
 * API's port with ECR's authentication (the gateway's SigV4 and body limit stay out of it: bodies
 * stream to disk). This file is on the start-up path, so it only declares the route: the handler
 * (registry-handler.ts and the storage behind it) loads on the first `/v2/` request.
 */
import type { RawRoute } from '../../aws/protocols/raw-routes.ts';
import type { EcrContext } from '../model/records.ts';
import { rawRegistryError } from './errors.ts';
import type { RegistryChallengeMode } from './auth.ts';
import type { RegistryHandle } from './registry-handler.ts';

export interface RegistryRouteOptions {
  /** The home region (whose context holds the installation's registry directory and token secret). */
  home: string;
  /** The challenge a 401 carries: ECR's Basic (default) or the Docker token flow's Bearer. */
  challenge?: RegistryChallengeMode;
  log: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** The `/v2/` route (any method). */
export function registryRoutes(
  contextFor: (region: string) => EcrContext,
  options: RegistryRouteOptions,
): RawRoute[] {
  let handler: Promise<RegistryHandle> | undefined;
  return [
    {
      method: '*',
      prefix: '/v2/',
      auth: { type: 'none' },
      body: 'stream',
      async handle(req, res, route) {
        handler ??= import('./registry-handler.ts').then((m) => m.createRegistryHandler(contextFor, options));
        return (await handler)(req, res, route);
      },
      writeError: rawRegistryError,
    },
  ];
}
