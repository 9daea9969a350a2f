/**
 * SigV4 signing of the agent's own requests (control channel, ECS, ECR, Secrets Manager, Parameter
 * Store, S3) with node:crypto: the headers of src/core/sign-request.ts, byte for byte (the
 * AWS signing library's canonical request, signed-header choice and header set; a test holds the
 * two equal), without loading that library, whose protocol modules would cost an idle agent
 * ~2 MiB.
 */
import { createHash, createHmac } from 'node:crypto';
import type { OutgoingRequest, SigningCredentials } from '../core/sign-request.ts';

export type { OutgoingRequest, SigningCredentials };

export interface SigningOptions {
  /**
   * Encode the path again for the canonical request (true, every service but S3); false signs it
   * as given (S3, the library's `uriEscapePath: false`).
   */
  escapePath?: boolean;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Headers the library never signs. */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);
/** Headers the signature makes; given ones are dropped first. */
const GENERATED = new Set(['authorization', 'x-amz-date', 'date']);

/**
 * The request's headers with `host`, `x-amz-date`, `x-amz-security-token` (temporary
 * credentials), `x-amz-content-sha256` (unless given) and `authorization` added.
 */
export function signRequest(
  credentials: SigningCredentials,
  region: string,
  request: OutgoingRequest,
  options: SigningOptions = {},
): Record<string, string> {
  const { url } = request;
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (!GENERATED.has(name.toLowerCase())) headers[name] = value;
  const longDate = `${new Date(request.now).toISOString().replace(/\.\d{3}Z$/, 'Z')}`.replace(/[-:]/g, '');
  const shortDate = longDate.slice(0, 8);
  const service = request.service ?? 'ecs';
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  headers['x-amz-date'] = longDate;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const given = Object.keys(headers).find((name) => name.toLowerCase() === 'x-amz-content-sha256');
  const payloadHash = given ? headers[given] : hex(request.body ?? '');
  if (!given) headers['x-amz-content-sha256'] = payloadHash;

  const canonical: Record<string, string> = {};
  for (const name of Object.keys(headers).sort()) {
    const lower = name.toLowerCase();
    if (UNSIGNABLE.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) continue;
    canonical[lower] = headers[name]
      .replace(/[\r\n]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .replace(/^ | $/g, '');
  }
  const signed = Object.keys(canonical).sort();
  const canonicalRequest = [
    request.method,
    options.escapePath === false ? url.pathname : canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    ...signed.map((name) => `${name}:${canonical[name]}`),
    '',
    signed.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${longDate}\n${scope}\n${hex(canonicalRequest)}`;
  let key: Buffer | string = `AWS4${credentials.secretAccessKey}`;
  for (const part of [shortDate, region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}

function hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** RFC 3986 encoding, as the library's escapeUri. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The path with `.` and `..` resolved and empty segments dropped, encoded once more (the URL's encoding kept). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** Sorted by encoded name; a repeated name's pairs sorted among themselves. */
function canonicalQuery(params: URLSearchParams): string {
  const byName = new Map<string, string>();
  for (const name of new Set(params.keys())) {
    if (name.toLowerCase() === 'x-amz-signature') continue;
    const key = escapeUri(name);
    const pairs = params.getAll(name).map((value) => `${key}=${escapeUri(value)}`);
    byName.set(key, pairs.sort().join('&'));
  }
  return [...byName.keys()]
    .sort()
    .map((key) => byName.get(key))
    .filter((pairs) => pairs)
    .join('&');
}
