/** The AWS protocol gateway: one HTTP listener for every registered service and protocol (see README.md). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Clock } from '../core/clock.ts';
import { ServiceError, describeError } from '../core/errors.ts';
import { AwsErrorCode, ProtocolError } from './errors.ts';
import { authenticate } from './authenticate.ts';
import { createDispatcher, scopeService, type Dispatch } from './dispatch.ts';
import { asServiceValidationError, notImplemented, throttled, unknownOperation } from './operation-errors.ts';
import { awsJson1_1 } from './protocols/aws-json.ts';
import type { Call, IncomingRequest, Protocol } from './protocols/protocol.ts';
import { claimingRawRoute, findRawRoute, type RawRoute, rawJsonError } from './protocols/raw-routes.ts';
import { writeResponse } from './respond.ts';
import type { RequestContext } from './service.ts';
import { type ServiceEntry, ServiceSet } from './service-set.ts';
import type { Caller, SecretLookup } from './sigv4.ts';
import type { Throttle } from './throttle.ts';
import type { Authorizer } from './authorize.ts';
import { validateInput, withoutSchema } from './validate-input.ts';
import { internalError, toWireError } from './wire-error.ts';

/** AWS services reject bodies above this size; configurable. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A non-AWS route served on the same port (e.g. `POST /moto-api/reset`). */
export interface ExtraRoute {
  method: string;
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** One answered request, for metrics: which service and operation (when known), status, time. */
export interface RequestOutcome {
  /** The service's name (`ecs`, `ecr` ...), `raw` for a raw route, `none` when no service claimed it. */
  service: string;
  /** The operation (unknown ones included); the route's prefix for raw routes; '' when none. */
  operation: string;
  status: number;
  seconds: number;
}

export interface GatewayOptions {
  /** The services, loaded or lazy (see service-set.ts). */
  services: ServiceSet | readonly ServiceEntry[];
  /** Method + path-prefix routes served by plain functions (registry, load balancers ...). */
  rawRoutes?: RawRoute[];
  secrets: SecretLookup;
  /**
   * The only region requests may be signed for; omitted, every valid AWS region name is served
   * (each request then works in the region of its signature).
   */
  region?: string;
  throttle: Throttle;
  clock: Clock;
  newRequestId: () => string;
  maxBodyBytes?: number;
  /**
   * Larger limits for operations that carry data by design, by `X-Amz-Target`
   * (`AmazonEC2ContainerRegistry_V20150921.UploadLayerPart`: a 20 MiB part, base64 in JSON).
   */
  bodyLimits?: Readonly<Record<string, number>>;
  extraRoutes?: ExtraRoute[];
  /** Told of every answered request (Prometheus metrics); must not throw. */
  onRequest?: (outcome: RequestOutcome) => void;
  /** IAM authorization of every request (authorize.ts); absent, every authenticated request is allowed. */
  authorizer?: Authorizer;
  /**
   * Awaited before a request is authenticated: cluster mode's read barrier (the replica catches up
   * with every commit acknowledged anywhere before the request arrived, so reads see them).
   */
  readBarrier?: () => Promise<void>;
  /** Told of every request whose signature checked out (IAM notes the key's last use); must not throw. */
  onAuthenticated?: (caller: Caller, now: number) => void;
  log: { error(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

/**
 * What a failure must be written as, filled in as the request goes: AWS JSON 1.1 until the
 * dispatcher has found the protocol, the raw route's writer for raw routes.
 */
interface Answering {
  protocol: Protocol;
  call: Call;
  raw?: RawRoute;
}

/**
 * Returns the `request` listener for `http.createServer`. A request goes dispatch -> SigV4 ->
 * operation -> throttle -> protocol decode -> validate -> handler -> encode; a failure anywhere is
 * written once, in the protocol's error shape (wire-error.ts).
 */
export function createGateway(options: GatewayOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const services =
    options.services instanceof ServiceSet ? options.services : new ServiceSet(options.services);
  let served = services.loaded;
  let dispatcher = createDispatcher(served);
  /**
   * Dispatches among the loaded services; a request none claims loads the lazy ones its signature
   * is scoped to (all of them when it names none), then tries again.
   */
  const dispatch = async (request: IncomingRequest): Promise<Dispatch> => {
    const found = dispatcher(request);
    if (found.type !== 'rejected' || !services.pending) return found;
    await services.loadFor(scopeService(request));
    if (services.loaded !== served) {
      served = services.loaded;
      dispatcher = createDispatcher(served);
    }
    return dispatcher(request);
  };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyLimitOf = (req: IncomingMessage): number => {
    const target = req.headers['x-amz-target'];
    const limit = typeof target === 'string' ? options.bodyLimits?.[target] : undefined;
    return Math.max(limit ?? 0, maxBody);
  };
  return (req, res) => {
    const requestId = options.newRequestId();
    res.setHeader('x-amzn-RequestId', requestId);
    const answering: Answering = { protocol: awsJson1_1, call: { requestId } };
    if (options.onRequest) {
      const started = performance.now();
      res.once('finish', () => {
        options.onRequest?.({
          service: answering.raw ? 'raw' : (answering.call.service?.name ?? 'none'),
          operation: answering.raw ? answering.raw.prefix : (answering.call.operation ?? ''),
          status: res.statusCode,
          seconds: (performance.now() - started) / 1000,
        });
      });
    }
    handle(req, res, requestId, answering).catch((error: unknown) => {
      let failure: ServiceError;
      if (error instanceof ServiceError) failure = error;
      else {
        options.log.error({ requestId, error: describeError(error) }, 'internal error');
        failure = internalError(answering.call.service);
      }
      const { protocol, call, raw } = answering;
      const wire = toWireError(failure, raw ? undefined : protocol.name, call.service);
      writeResponse(
        res,
        raw ? (raw.writeError ?? rawJsonError)(wire, requestId) : protocol.writeError(wire, call),
      );
    });
  };

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    answering: Answering,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = lowerHeaders(req);
    // Routes that pick requests by their signature (S3) come first: any path may be theirs.
    const claimed = options.rawRoutes?.some((r) => r.claims)
      ? claimingRawRoute(options.rawRoutes, {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers,
        })
      : undefined;
    if (claimed) {
      answering.raw = claimed;
      return serveRaw(req, res, claimed, url, requestId);
    }
    const extra = options.extraRoutes?.find((r) => r.method === req.method && r.path === url.pathname);
    if (extra) return extra.handle(req, res);
    // The landing text; `GET /?Action=...` is a Query call (presigned URLs are GETs).
    if (req.method === 'GET' && url.pathname === '/' && !url.searchParams.has('Action')) {
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('Longshore: the Amazon ECS API and its sibling AWS APIs. Send signed AWS requests here.\n');
      return;
    }
    const raw = findRawRoute(options.rawRoutes ?? [], req.method ?? 'GET', url.pathname);
    if (raw) {
      answering.raw = raw;
      return serveRaw(req, res, raw, url, requestId);
    }
    const request: IncomingRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: await readBody(req, bodyLimitOf(req)),
    };
    // `Content-Encoding: gzip` (the SDKs compress CloudWatch's PutMetricData over 10 KB): the
    // signature covers the bytes sent; dispatching and decoding read the inflated body.
    const decoded = inflated(request, bodyLimitOf(req));
    const found = await dispatch(decoded);
    answering.protocol = found.protocol;
    if (found.type === 'rejected') {
      answering.call.service = found.service;
      throw found.error;
    }
    const { service, operation: name } = found.call;
    Object.assign(answering.call, found.call);
    await options.readBarrier?.();
    const now = options.clock.now();
    const caller = await authenticate(request, options.secrets, {
      region: options.region,
      service: service.signingName,
      now,
    });
    options.onAuthenticated?.(caller, now);
    const operation = service.operations.get(name);
    if (!operation) {
      throw service.modelOperations.includes(name)
        ? notImplemented(service, name)
        : unknownOperation(found.protocol.name, name, service);
    }
    // One bucket per region, service and category: AWS throttles each account per Region.
    const bucket = `${caller.region}:${service.name}:${operation.throttle.category}`;
    if (!options.throttle.take(bucket, operation.throttle.bucket, now)) throw throttled(service);
    const json = found.protocol.readInput(decoded, answering.call);
    let input: Record<string, unknown>;
    try {
      input = operation.input ? validateInput(operation.input, json) : withoutSchema(json);
    } catch (error) {
      throw asServiceValidationError(error, service);
    }
    // IAM: the principal's policies (and the resource's) must allow the operation on its resources.
    await options.authorizer?.authorize({
      service,
      operation: name,
      input,
      caller,
      protocol: found.protocol.name,
      now,
      sourceIp: req.socket.remoteAddress,
      secureTransport: 'encrypted' in req.socket,
    });
    const ctx: RequestContext = { requestId, caller, now };
    options.log.debug({ requestId, service: service.name, operation: name }, 'request');
    const output = await operation.handle(input, ctx);
    writeResponse(res, found.protocol.writeOutput(output, answering.call));
  }

  /** A raw route: SigV4 when it asks for it, its body read only when it buffers. */
  async function serveRaw(
    req: IncomingMessage,
    res: ServerResponse,
    route: RawRoute,
    url: URL,
    requestId: string,
  ): Promise<void> {
    await options.readBarrier?.();
    const now = options.clock.now();
    const body = route.body === 'buffered' ? await readBody(req, maxBody) : undefined;
    if (route.auth.type === 'none') return route.handle(req, res, { requestId, now, body });
    const { type: _type, ...verify } = route.auth;
    // A claiming route (S3) signs the path exactly as sent: no dot-segment or escape normalization.
    const path = route.claims ? (req.url ?? '/').split('?')[0] : url.pathname;
    const request = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: lowerHeaders(req),
    };
    // The payload mode is always explicit here: a streamed body is unread, not empty.
    const caller = await authenticate({ ...request, body: body ?? Buffer.alloc(0) }, options.secrets, {
      ...verify,
      payload: verify.payload ?? 'signed',
      region: options.region,
      now,
    });
    options.onAuthenticated?.(caller, now);
    await options.authorizer?.authorizeRoute(route, {
      method: request.method,
      path,
      query: url.searchParams,
      headers: request.headers,
      caller,
      now,
      sourceIp: req.socket.remoteAddress,
      secureTransport: 'encrypted' in req.socket,
    });
    return route.handle(req, res, { requestId, now, caller, body });
  }
}

/** A request's body, refused (RequestEntityTooLarge) past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Bodies a gzip request may inflate to: 8 times the body limit, then RequestEntityTooLarge. */
const INFLATE_FACTOR = 8;

function inflated(request: IncomingRequest, limit: number): IncomingRequest {
  const encoding = request.headers['content-encoding'] ?? '';
  if (!/\bgzip\b/i.test(encoding) || request.body.length === 0) return request;
  const maxOutputLength = limit * INFLATE_FACTOR;
  try {
    return { ...request, body: gunzipSync(request.body, { maxOutputLength }) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxOutputLength);
    throw new ProtocolError(AwsErrorCode.SerializationException, 'The request body is not valid gzip data.');
  }
}

function tooLarge(limit: number): ServiceError {
  return new ProtocolError(
    AwsErrorCode.RequestEntityTooLarge,
    `Request body is larger than the limit of ${limit} bytes.`,
    413,
  );
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}
