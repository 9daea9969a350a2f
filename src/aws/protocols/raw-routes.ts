/** Raw HTTP routes: a method and a path prefix served by a plain function, with SigV4 or without. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActionCheck, Scope } from '../authorization/types.ts';
import type { ErrorDialect, PayloadMode, VerifiedRequest } from '../sigv4.ts';
import type { WireError } from '../wire-error.ts';
import type { OutgoingResponse } from './protocol.ts';

/** How a raw route authenticates. */
export type RawRouteAuth =
  | { type: 'none' }
  | {
      type: 'sigv4';
      /** The signing name the credential scope must carry. */
      service: string;
      /** Default `signed`; `unsigned-allowed` or `streaming-allowed` for S3-style uploads. */
      payload?: PayloadMode;
      /** Default `json`. */
      dialect?: ErrorDialect;
      /** S3 signs the path as sent; default true (every other service normalizes it). */
      uriEscapePath?: boolean;
      /** A streamed body's declared hex hash is signed as declared and checked by the route (`deferred`). */
      deferBodyHash?: boolean;
    };

/** What a route's `claims` and `authorization` see of a request before its body is read. */
export interface RawRouteHead {
  method: string;
  /** Percent-encoded, as sent. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
}

/** What a raw route's handler gets besides the request and response. */
export interface RawRouteContext {
  requestId: string;
  /** Epoch ms at which the request arrived. */
  now: number;
  /** Who signed, for routes with SigV4. */
  caller?: VerifiedRequest;
  /** The body, read within the gateway's size limit, when the route buffers it. */
  body?: Buffer;
}

/** A route for what is HTTP but no AWS protocol: the OCI registry's `/v2/`, load balancer admin paths. */
export interface RawRoute {
  /** `GET`, `PUT` ..., or `*` for any method. */
  method: string;
  /** `/v2/` serves `/v2/` and every path under it. */
  prefix: string;
  /**
   * A route that picks its requests by more than the path (S3: every request signed for `s3`,
   * whatever its path): it serves exactly the requests it claims, before extra routes, the landing
   * page and prefix routes are considered; its `prefix` is then only a label.
   */
  claims?(request: RawRouteHead): boolean;
  auth: RawRouteAuth;
  /**
   * `buffered`: the gateway reads the body (size limit applies) and SigV4 covers it.
   * `stream`: the handler reads `req` itself; SigV4 then sees an empty body, so only requests
   * declaring UNSIGNED-PAYLOAD or an aws-chunked stream (checked with verifyChunkedBody) pass.
   */
  body: 'buffered' | 'stream';
  handle(req: IncomingMessage, res: ServerResponse, ctx: RawRouteContext): Promise<void>;
  /**
   * For SigV4 routes: the IAM action and resource a request needs (the gateway's authorizer checks
   * it before `handle`); absent, the route authorizes nothing itself.
   */
  authorization?(
    method: string,
    path: string,
    scope: Scope,
    request: RawRouteHead,
  ): ActionCheck | readonly ActionCheck[] | undefined;
  /** How failures before or inside `handle` are written; default the AWS JSON error shape. */
  writeError?(error: WireError, requestId: string): OutgoingResponse;
}

/** The route serving `method` and `path`: the longest matching prefix wins. */
export function findRawRoute(
  routes: readonly RawRoute[],
  method: string,
  path: string,
): RawRoute | undefined {
  let best: RawRoute | undefined;
  for (const route of routes) {
    if (route.claims) continue;
    if (route.method !== '*' && route.method !== method) continue;
    if (!path.startsWith(route.prefix)) continue;
    if (!best || route.prefix.length > best.prefix.length) best = route;
  }
  return best;
}

/** The first route that claims `request` (see `RawRoute.claims`). */
export function claimingRawRoute(routes: readonly RawRoute[], request: RawRouteHead): RawRoute | undefined {
  return routes.find((route) => route.claims?.(request));
}

/** The default error shape of raw routes: `{"__type", "message"}` with `x-amzn-ErrorType`. */
export function rawJsonError(error: WireError): OutgoingResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.type },
    body: JSON.stringify({ __type: error.type, message: error.message, ...error.extra }),
  };
}
