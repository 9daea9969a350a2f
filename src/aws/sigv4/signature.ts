/**
 * Recomputes a SigV4 signature: the AWS signing library's canonical request, then the string to
 * sign and the signing key's HMAC chain, over exactly the headers the client signed and a payload hash the
 * verifier chose (never one taken on trust from the request).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALGORITHM_IDENTIFIER, createScope, getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import type { CredentialScope } from './scope.ts';
import type { SignedRequest } from './types.ts';
import { NodeSha256, sha256Hex } from '../../core/node-sha256.ts';
import { queryRecord as searchParamsRecord } from '../../core/sign-request.ts';

type LibraryRequest = Parameters<SignatureV4['presign']>[0];

/** A request in the library's shape, for its helpers that only read some fields. */
export function libraryRequest(fields: Partial<LibraryRequest>): LibraryRequest {
  return { method: 'GET', protocol: 'http:', hostname: '', path: '/', headers: {}, ...fields };
}

/**
 * The library's signer, opened up for its canonical request (path normalization and escaping,
 * sorted query, header block): the part of SigV4 with the subtle rules. The string to sign and
 * the HMAC chain are four lines of the spec, done here with node:crypto and a cached signing key.
 */
class Canonicalizer extends SignatureV4 {
  canonical(request: LibraryRequest, headers: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

const canonicalizer = (uriEscapePath: boolean) =>
  new Canonicalizer({
    credentials: { accessKeyId: '', secretAccessKey: '' },
    region: '',
    service: '',
    sha256: NodeSha256,
    uriEscapePath,
  });
const CANONICALIZERS = { escaped: canonicalizer(true), verbatim: canonicalizer(false) };

export interface Recompute {
  request: SignedRequest;
  /** Lower-case names from SignedHeaders / X-Amz-SignedHeaders. */
  signedHeaders: readonly string[];
  /** The hash the canonical request ends with, chosen by the payload rules (payload.ts). */
  payloadHash: string;
  amzDate: string;
  signedAt: Date;
  scope: CredentialScope;
  secretAccessKey: string;
  uriEscapePath: boolean;
}

/**
 * Derived signing keys (kSigning = HMAC chain over date, region, service, "aws4_request") by
 * access key and scope: four HMACs once per key and day instead of per request. Bounded; the oldest
 * goes first. The secret is compared on every hit, so a changed secret derives a new key.
 */
const signingKeys = new Map<string, { secret: string; key: Buffer }>();
const MAX_SIGNING_KEYS = 256;

function signingKey(secret: string, scope: CredentialScope): Buffer {
  const id = `${scope.accessKeyId}/${scope.date}/${scope.region}/${scope.service}`;
  const cached = signingKeys.get(id);
  if (cached !== undefined && cached.secret === secret) return cached.key;
  let key = hmac(`AWS4${secret}`, scope.date);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  if (cached === undefined && signingKeys.size >= MAX_SIGNING_KEYS) {
    signingKeys.delete(signingKeys.keys().next().value!);
  }
  signingKeys.set(id, { secret, key });
  return key;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The signature the client should have sent. */
export function recomputeSignature(r: Recompute): Promise<string> {
  const present: Record<string, string> = {};
  // A signed header the request lacks is canonicalized as empty, so the signature cannot match.
  for (const name of r.signedHeaders) present[name] = r.request.headers[name] ?? '';
  // Trims and folds whitespace in values as SigV4 requires; signableHeaders keeps even the names
  // the library would never sign itself (the client chose them).
  const canonicalHeaders = getCanonicalHeaders(
    libraryRequest({ headers: present }),
    undefined,
    new Set(r.signedHeaders),
  );
  const request = libraryRequest({
    method: r.request.method.toUpperCase(),
    path: r.request.path,
    query: queryRecord(r.request.query),
  });
  const canonical = (r.uriEscapePath ? CANONICALIZERS.escaped : CANONICALIZERS.verbatim).canonical(
    request,
    canonicalHeaders,
    r.payloadHash,
  );
  const stringToSign = [
    ALGORITHM_IDENTIFIER,
    r.amzDate,
    createScope(r.scope.date, r.scope.region, r.scope.service),
    sha256Hex(canonical),
  ].join('\n');
  return Promise.resolve(
    createHmac('sha256', signingKey(r.secretAccessKey, r.scope)).update(stringToSign, 'utf8').digest('hex'),
  );
}

/** The query with every value of a repeated name (the canonical query sorts and keeps them all). */
export function queryRecord(query: SignedRequest['query']): Record<string, string | string[]> {
  return query instanceof URLSearchParams ? searchParamsRecord(query) : query;
}

/** Constant-time comparison of two secrets-derived strings (signatures, session tokens). */
export function constantTimeEqual(computed: string, provided: string): boolean {
  const a = Buffer.from(computed, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
