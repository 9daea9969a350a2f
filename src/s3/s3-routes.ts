/**
 * S3 on the API's port: one raw route claiming every request signed for `s3` (any path:
 * `/bucket/key` path-style or `/key` on `bucket.<host>` virtual-hosted-style). The gateway checks
 * SigV4 (S3's dialect: the path as sent, UNSIGNED-PAYLOAD, aws-chunked, a signed body's hash
 * checked once read) and IAM (the check comes from the request's operation, before the body is
 * read); bodies stream to disk. This file is on the start-up path: the handler loads on the first
 * S3 request.
 */
import type { RawRoute, RawRouteHead } from '../aws/protocols/raw-routes.ts';
import { s3Checks } from '../aws/authorization/s3-actions.ts';
import type { SecretLookup } from '../aws/sigv4.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { parseCopySource, resolveOperation, targetOf } from './request-target.ts';
import { writeS3Error } from './s3-errors.ts';
import type { S3Handle } from './s3-handler.ts';

export interface S3RouteOptions {
  /** The root store (buckets are global). */
  store: Store;
  clock: Clock;
  rng: Rng;
  /** `<dataDir>/s3`. */
  dir: string;
  accountId: string;
  partition?: string;
  /** Aws-chunked bodies' chunk signatures are checked with the signer's secret. */
  secrets: SecretLookup;
  /** Host names `<bucket>.<host>` is virtual-hosted-style under, besides `localhost` and `*.s3.*`. */
  baseHosts(): readonly string[];
  log: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

/** The signing name a request's credential scope carries. */
function scopeServiceOf(request: RawRouteHead): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(request.headers.authorization ?? '')?.[1] ??
    request.query.get('X-Amz-Credential') ??
    '';
  return credential.split('/')[3];
}

/** The route serving S3. */
export function s3Routes(options: S3RouteOptions): RawRoute[] {
  let handler: Promise<S3Handle> | undefined;
  return [
    {
      method: '*',
      prefix: '/',
      // S3 never sends X-Amz-Target: a JSON-protocol call signed for s3 by mistake is its own
      // service's to refuse (InvalidSignatureException), as AWS's endpoints would.
      claims: (request) => scopeServiceOf(request) === 's3' && request.headers['x-amz-target'] === undefined,
      auth: {
        type: 'sigv4',
        service: 's3',
        payload: 'streaming-allowed',
        dialect: 's3',
        uriEscapePath: false,
        deferBodyHash: true,
      },
      body: 'stream',
      async handle(req, res, route) {
        handler ??= import('./s3-handler.ts').then((m) => m.createS3Handler(options));
        return (await handler)(req, res, route);
      },
      authorization(method, path, scope, request) {
        const target = targetOf(request.headers.host, path, options.baseHosts());
        const resolved = resolveOperation(method, target, request.query, request.headers);
        if (resolved.type !== 'operation') return undefined;
        const copy = request.headers['x-amz-copy-source'];
        const source = copy ? parseCopySource(copy) : undefined;
        return s3Checks(
          {
            operation: resolved.operation,
            ...(target.bucket !== undefined ? { bucket: target.bucket } : {}),
            ...(target.key !== undefined ? { key: target.key } : {}),
            query: request.query,
            ...(source ? { copySource: source } : {}),
          },
          scope,
        );
      },
      writeError: writeS3Error,
    },
  ];
}
