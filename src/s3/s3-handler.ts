/**
 * The S3 route's handler, loaded on the first S3 request (s3-routes.ts): names the target and the
 * operation (request-target.ts), answers what Longshore does not serve, and runs the operation.
 * On first use it sweeps what a crash may have left under `<dataDir>/s3/` (blob-store.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { coverageDocPath } from '../aws/operation-errors.ts';
import type { RawRouteContext } from '../aws/protocols/raw-routes.ts';
import { describeError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import type { S3Call } from './call.ts';
import { BlobStore } from './model/blob-store.ts';
import { s3Error } from './model/errors.ts';
import type { ObjectRecord, PartRecord, S3Context } from './model/records.ts';
import { operations } from './operations.ts';
import { resolveOperation, targetOf } from './request-target.ts';
import { hostIdOf } from './s3-errors.ts';
import type { S3RouteOptions } from './s3-routes.ts';

export type S3Handle = (req: IncomingMessage, res: ServerResponse, route: RawRouteContext) => Promise<void>;

/** A blob on disk with no record this old is a crash's leftover. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

export function createS3Handler(options: S3RouteOptions): S3Handle {
  const ctx: S3Context = {
    store: options.store,
    clock: options.clock,
    rng: options.rng,
    blobs: new BlobStore(options.dir, options.rng),
    accountId: options.accountId,
    partition: options.partition ?? 'aws',
    baseHosts: options.baseHosts,
    log: options.log,
  };
  const swept = sweep(ctx).catch((error: unknown) => {
    options.log.warn({ error: describeError(error) }, 'S3 sweep after start failed');
  });
  return async (req, res, route) => {
    await swept;
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const query = new URLSearchParams(rawQuery);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    res.setHeader('x-amz-request-id', route.requestId);
    res.setHeader('x-amz-id-2', hostIdOf(route.requestId));
    const target = targetOf(headers.host, rawPath, ctx.baseHosts());
    const resolved = resolveOperation(req.method ?? 'GET', target, query, headers);
    if (resolved.type === 'unsupported') {
      throw s3Error(
        'UnsupportedFeatureException',
        undefined,
        `Longshore does not implement the S3 operation ${resolved.name} yet; see ${coverageDocPath('s3')}.`,
      );
    }
    if (resolved.type === 'method-not-allowed') {
      throw s3Error('MethodNotAllowed', { Method: req.method, ResourceType: resolved.resource });
    }
    const call: S3Call = {
      req,
      res,
      ctx,
      target,
      query,
      headers,
      caller: route.caller!,
      secrets: options.secrets,
      requestId: route.requestId,
      now: route.now,
    };
    ctx.log.debug({ requestId: route.requestId, operation: resolved.operation }, 's3 request');
    await operations[resolved.operation](call);
  };
}

/** Removes unfinished writes and content no record names (after a crash). */
async function sweep(ctx: S3Context): Promise<void> {
  const referenced = new Set<string>();
  for (const r of await ctx.store.list<ObjectRecord>(Kind.S3Object)) referenced.add(r.value.blob);
  for (const r of await ctx.store.list<PartRecord>(Kind.S3Part)) referenced.add(r.value.blob);
  const removed = await ctx.blobs.sweep(referenced, ctx.clock.now(), ORPHAN_AGE_MS);
  if (removed > 0) ctx.log.warn({ removed }, 'S3: removed files a crash left behind');
}
