/**
 * SigV4 verification: parse the Authorization header, recompute the signature with the AWS
 * signing library over the headers the client signed, and compare in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError, ErrorType } from '../core/errors.ts';

/** AWS accepts requests signed up to 15 minutes before or after its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** What the verifier needs from an incoming HTTP request. */
export interface SignedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** Looks up the secret for an access key id; undefined when the key is unknown. */
export type SecretLookup = (accessKeyId: string) => string | undefined;

/** Who signed the request, once the signature checked out. */
export interface Caller {
  accessKeyId: string;
  region: string;
  service: string;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Verifies `request`; throws the ApiError AWS returns for each kind of failure. */
export async function verifySigV4(
  request: SignedRequest,
  secrets: SecretLookup,
  expected: { region: string; service: string; now: number },
): Promise<Caller> {
  const auth = parseAuthorization(request.headers.authorization);
  const amzDate = request.headers['x-amz-date'] ?? request.headers.date;
  if (!amzDate) {
    throw new ApiError(
      ErrorType.IncompleteSignature,
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    throw new ApiError(
      ErrorType.IncompleteSignature,
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`,
    );
  }
  checkSkew(signedAt, amzDate, expected.now);
  if (auth.region !== expected.region) {
    throw new ApiError(
      ErrorType.InvalidSignature,
      `Credential should be scoped to a valid region. Longshore serves '${expected.region}', not '${auth.region}'.`,
    );
  }
  if (auth.service !== expected.service) {
    throw new ApiError(
      ErrorType.InvalidSignature,
      `Credential should be scoped to correct service: '${expected.service}'.`,
    );
  }
  if (!amzDate.startsWith(auth.date)) {
    throw new ApiError(
      ErrorType.InvalidSignature,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const secret = secrets(auth.accessKeyId);
  if (secret === undefined) {
    throw new ApiError(
      ErrorType.UnrecognizedClient,
      'The security token included in the request is invalid.',
    );
  }
  const computed = await computeSignature(request, auth, secret, signedAt);
  const a = Buffer.from(computed, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(
      ErrorType.InvalidSignature,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service };
}

async function computeSignature(
  request: SignedRequest,
  auth: ParsedAuthorization,
  secret: string,
  signedAt: Date,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = request.headers[name] ?? '';
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const [hostname, port] = (request.headers.host ?? 'localhost').split(':');
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname,
      port: port ? Number(port) : undefined,
      path: request.path,
      query: request.query,
      headers,
      body: request.body,
    },
    { signingDate: signedAt, signableHeaders: new Set(auth.signedHeaders) },
  );
  const header = String(signed.headers.authorization ?? signed.headers.Authorization ?? '');
  return /Signature=([0-9a-f]+)/.exec(header)?.[1] ?? '';
}

function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) throw new ApiError(ErrorType.MissingAuthenticationToken, 'Missing Authentication Token', 403);
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw new ApiError(
      ErrorType.IncompleteSignature,
      `Unsupported AWS 'algorithm': '${algorithm}'. Longshore accepts AWS4-HMAC-SHA256 (SigV4).`,
    );
  }
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const absent = ['Credential', 'Signature', 'SignedHeaders'].filter((p) => !params.get(p));
  if (absent.length > 0) {
    const text = absent.map((p) => `Authorization header requires '${p}' parameter.`).join(' ');
    throw new ApiError(ErrorType.IncompleteSignature, `${text} Authorization=${header}`);
  }
  const scope = params.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || scope.some((s) => s === '')) {
    throw new ApiError(
      ErrorType.IncompleteSignature,
      `Credential should be scoped to a valid region, service and 'aws4_request' terminator: '${params.get('Credential')}'.`,
    );
  }
  return {
    accessKeyId: scope[0],
    date: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: params.get('SignedHeaders')!.toLowerCase().split(';'),
    signature: params.get('Signature')!,
  };
}

/** Parses `20231231T235959Z`; undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

function checkSkew(signedAt: Date, amzDate: string, now: number): void {
  const nowText = formatAmzDate(now);
  if (signedAt.getTime() < now - MAX_CLOCK_SKEW_MS) {
    throw new ApiError(
      ErrorType.InvalidSignature,
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${nowText} - 15 min.)`,
    );
  }
  if (signedAt.getTime() > now + MAX_CLOCK_SKEW_MS) {
    throw new ApiError(
      ErrorType.InvalidSignature,
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${nowText} + 15 min.)`,
    );
  }
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
