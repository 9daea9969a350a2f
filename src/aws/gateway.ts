/**
 * The AWS protocol gateway: one HTTP listener that verifies SigV4, decodes AWS JSON 1.0/1.1
 * requests, dispatches them on `X-Amz-Target` to a registered service, and writes AWS-shaped
 * responses and errors. Sibling services (ECR, Logs, Events ...) plug in as more JsonServices.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.ts';
import { ApiError, describeError, ErrorType } from '../core/errors.ts';
import { writeError, writeJson } from './respond.ts';
import type { JsonService, RequestContext } from './service.ts';
import { type SecretLookup, verifySigV4 } from './sigv4.ts';
import type { Throttle } from './throttle.ts';
import { validateInput } from './validate-input.ts';

/** AWS JSON services reject bodies above this size; configurable. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A non-AWS route served on the same port (e.g. `POST /moto-api/reset`). */
export interface ExtraRoute {
  method: string;
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface GatewayOptions {
  services: JsonService[];
  secrets: SecretLookup;
  region: string;
  throttle: Throttle;
  clock: Clock;
  newRequestId: () => string;
  maxBodyBytes?: number;
  extraRoutes?: ExtraRoute[];
  log: { error(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

/** Returns the `request` listener for `http.createServer`. */
export function createGateway(options: GatewayOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const byPrefix = new Map(options.services.map((s) => [s.targetPrefix, s]));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res) => {
    const requestId = options.newRequestId();
    res.setHeader('x-amzn-RequestId', requestId);
    handle(req, res, requestId).catch((error: unknown) => {
      if (error instanceof ApiError) return writeError(res, error);
      options.log.error({ requestId, error: describeError(error) }, 'internal error');
      writeError(
        res,
        new ApiError(ErrorType.Server, 'An internal error occurred; see the Longshore log.', 500),
      );
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const extra = options.extraRoutes?.find((r) => r.method === req.method && r.path === url.pathname);
    if (extra) return extra.handle(req, res);
    if (req.method === 'GET' && url.pathname === '/') {
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('Longshore: the Amazon ECS API. POST signed AWS JSON requests here.\n');
      return;
    }
    const body = await readBody(req, maxBody);
    const target = header(req, 'x-amz-target');
    if (req.method !== 'POST' || !target) {
      throw new ApiError(
        ErrorType.UnknownOperation,
        'Longshore accepts AWS JSON requests: POST / with an X-Amz-Target header.',
        404,
      );
    }
    const dot = target.lastIndexOf('.');
    const service = byPrefix.get(target.slice(0, dot));
    if (!service) throw new ApiError(ErrorType.UnknownOperation, `Unknown target: ${target}`);
    const now = options.clock.now();
    const caller = await verifySigV4(
      {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: lowerHeaders(req),
        body,
      },
      options.secrets,
      { region: options.region, service: service.signingName, now },
    );
    const name = target.slice(dot + 1);
    const operation = service.operations.get(name);
    if (!operation) {
      if (service.modelOperations.includes(name)) {
        throw new ApiError(
          ErrorType.UnsupportedFeature,
          `Longshore does not implement ${name} yet; docs/api-coverage.md lists what it implements.`,
        );
      }
      throw new ApiError(ErrorType.UnknownOperation, `Unknown operation ${name}`);
    }
    options.throttle.take(operation.throttle.category, operation.throttle.bucket, now);
    const input = parseJson(body);
    if (operation.input) validateInput(operation.input, input);
    const ctx: RequestContext = { requestId, caller, now };
    options.log.debug({ requestId, operation: name }, 'request');
    const output = await operation.handle(input, ctx);
    writeJson(res, 200, output ?? {}, contentType(req));
  }
}

function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ApiError(ErrorType.SerializationException, 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(
      ErrorType.SerializationException,
      'Start of structure or map expected at the top of the request body.',
    );
  }
  return value as Record<string, unknown>;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
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
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): ApiError {
  return new ApiError(
    ErrorType.RequestEntityTooLarge,
    `Request body is larger than the limit of ${limit} bytes.`,
    413,
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function contentType(req: IncomingMessage): string {
  const ct = header(req, 'content-type') ?? '';
  return ct.includes('json-1.0') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}
