/**
 * The registry's request handler: authentication (Basic with a GetAuthorizationToken password, or a
 * signed GetDownloadUrlForLayer URL), then the OCI distribution API call. Loaded on the first
 * request under `/v2/` (registry-routes.ts), so an installation that never pushes never loads it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RawRouteContext } from '../../aws/protocols/raw-routes.ts';
import { isSignedUrl } from '../layers/download-url.ts';
import { blobStoreFor } from '../model/blob-store.ts';
import { RegistryError, repositoryOf } from '../model/images.ts';
import type { EcrContext } from '../model/records.ts';
import { authenticate, authenticateSignedUrl, challengeFor, requiredAccess } from './auth.ts';
import {
  cancelUpload,
  deleteBlob,
  finishUpload,
  getBlob,
  patchUpload,
  startUpload,
  uploadStatus,
} from './blobs.ts';
import { hasBody, type RegistryCall, send } from './call.ts';
import { writeRegistryError } from './errors.ts';
import { Collector } from './gc.ts';
import {
  deleteManifest,
  getManifest,
  listCatalog,
  listReferrers,
  listTags,
  putManifest,
} from './manifests.ts';
import { NAME_PATTERN, parseRegistryPath, type RegistryPath } from './paths.ts';

import type { RegistryRouteOptions } from './registry-routes.ts';
import { serveToken } from './token-server.ts';

export type RegistryHandle = (
  req: IncomingMessage,
  res: ServerResponse,
  route: RawRouteContext,
) => Promise<void>;

/** The handler of the `/v2/` route (any method). */
export function createRegistryHandler(
  contextFor: (region: string) => EcrContext,
  options: RegistryRouteOptions,
): RegistryHandle {
  let plane: { blobs: ReturnType<typeof blobStoreFor>; collector: Collector } | undefined;
  const dataPlane = () => {
    if (!plane) {
      const blobs = blobStoreFor(contextFor(options.home).registryDir);
      const collector = new Collector({ contextFor, home: options.home, blobs, log: options.log });
      blobs.onCollectionRequested((now) => collector.soon(now));
      plane = { blobs, collector };
    }
    return plane;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse, route: RawRouteContext): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const path = parseRegistryPath(url.pathname);
    const access = requiredAccess(path, req.method ?? 'GET');
    const mode = options.challenge ?? 'basic';
    try {
      if (path?.type === 'token') {
        serveToken(req, res, url, contextFor, options.home, route.now);
        return;
      }
      // A GetDownloadUrlForLayer URL stands in for Basic credentials, for its one blob only.
      const caller = isSignedUrl(url)
        ? {
            ctx: authenticateSignedUrl(req, url, path, contextFor, options.home, route.now),
            allows: () => false,
          }
        : authenticate(req, contextFor, options.home, route.now, access, mode);
      const { blobs, collector } = dataPlane();
      collector.tick(route.now);
      const call: RegistryCall = {
        req,
        res,
        url,
        ctx: caller.ctx,
        allows: caller.allows,
        blobs,
        collector,
        now: route.now,
        log: options.log,
      };
      if (!path)
        throw new RegistryError('UNSUPPORTED', 404, 'The requested path does not exist.', {
          path: url.pathname,
        });
      await dispatch(call, path, req.method ?? 'GET');
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      // An answer sent before the body was read: the connection cannot be reused.
      if (hasBody(req) && !req.readableEnded) res.setHeader('Connection', 'close');
      if (error.status >= 500) options.log.warn({ code: error.registryCode }, 'registry error');
      // The token endpoint asks for Basic credentials whatever the mode; elsewhere the mode's challenge.
      const host = contextFor(options.home).registryHost;
      const insufficient = Array.isArray(error.detail);
      const challenge =
        path?.type === 'token'
          ? challengeFor('basic', host, req)
          : challengeFor(mode, host, req, access, insufficient);
      writeRegistryError(res, error, challenge);
      if (!req.readableEnded) req.resume();
    }
  };
  return handle;
}

const methodNotAllowed = (method: string) =>
  new RegistryError('UNSUPPORTED', 405, 'The operation is unsupported.', { method });

async function dispatch(call: RegistryCall, path: RegistryPath, method: string): Promise<void> {
  if (path.type === 'base') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
    send(
      call.res,
      200,
      { 'Content-Type': 'application/json; charset=utf-8' },
      method === 'HEAD' ? undefined : '{}',
    );
    return;
  }
  if (path.type === 'catalog') {
    if (method !== 'GET') throw methodNotAllowed(method);
    return listCatalog(call);
  }
  if (path.type === 'token') throw methodNotAllowed(method);
  if (!NAME_PATTERN.test(path.name) || path.name.length > 256) {
    throw new RegistryError('NAME_INVALID', 400, 'invalid repository name', { name: path.name });
  }
  await repositoryOf(call.ctx, call.ctx.store, path.name);
  const head = method === 'HEAD';
  switch (path.type) {
    case 'blob':
      if (method === 'GET' || head) return getBlob(call, path.digest, head);
      if (method === 'DELETE') return deleteBlob(call, path.digest);
      break;
    case 'uploads':
      if (method === 'POST') return startUpload(call, path.name);
      break;
    case 'upload':
      if (method === 'PATCH') return patchUpload(call, path.name, path.id);
      if (method === 'PUT') return finishUpload(call, path.name, path.id);
      if (method === 'GET') return uploadStatus(call, path.name, path.id);
      if (method === 'DELETE') return cancelUpload(call, path.name, path.id);
      break;
    case 'manifest':
      if (method === 'GET' || head) return getManifest(call, path.name, path.reference, head);
      if (method === 'PUT') return putManifest(call, path.name, path.reference);
      if (method === 'DELETE') return deleteManifest(call, path.name, path.reference);
      break;
    case 'tags':
      if (method === 'GET') return listTags(call, path.name);
      break;
    case 'referrers':
      if (method === 'GET') return listReferrers(call, path.name, path.digest);
      break;
  }
  throw methodNotAllowed(method);
}
