/**
 * Recomputes a SigV4 signature with the AWS signing library: its canonical request, string to
 * sign and signing key, over exactly the headers the client signed and a payload hash the
 * verifier chose (never one taken on trust from the request).
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ALGORITHM_IDENTIFIER, createScope, getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import type { CredentialScope } from './scope.ts';
import type { SignedRequest } from './types.ts';
import { queryRecord as searchParamsRecord } from '../../core/sign-request.ts';

type LibraryRequest = Parameters<SignatureV4['presign']>[0];

/** A request in the library's shape, for its helpers that only read some fields. */
export function libraryRequest(fields: Partial<LibraryRequest>): LibraryRequest {
  return { method: 'GET', protocol: 'http:', hostname: '', path: '/', headers: {}, ...fields };
}

/** The library's signer, opened up to sign a canonical request the verifier assembled. */
class Recomputer extends SignatureV4 {
  async signatureOf(
    request: LibraryRequest,
    headers: Record<string, string>,
    payloadHash: string,
    amzDate: string,
    scope: CredentialScope,
    signedAt: Date,
  ): Promise<string> {
    const canonical = this.createCanonicalRequest(request, headers, payloadHash);
    const credentialScope = createScope(scope.date, scope.region, scope.service);
    const stringToSign = await this.createStringToSign(
      amzDate,
      credentialScope,
      canonical,
      ALGORITHM_IDENTIFIER,
    );
    return this.sign(stringToSign, {
      signingDate: signedAt,
      signingRegion: scope.region,
      signingService: scope.service,
    });
  }
}

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

/** The signature the client should have sent. */
export function recomputeSignature(r: Recompute): Promise<string> {
  const signer = new Recomputer({
    credentials: { accessKeyId: r.scope.accessKeyId, secretAccessKey: r.secretAccessKey },
    region: r.scope.region,
    service: r.scope.service,
    sha256: Sha256,
    uriEscapePath: r.uriEscapePath,
  });
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
  return signer.signatureOf(request, canonicalHeaders, r.payloadHash, r.amzDate, r.scope, r.signedAt);
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
