/**
 * The payload hash a canonical request ends with. The verifier hashes the body it will execute;
 * `x-amz-content-sha256` may only say the same thing, or name one of the unsigned/streaming
 * modes the service allows.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { getPayloadHash, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import { type FailureContext, sigv4Error } from './errors.ts';
import { libraryRequest } from './signature.ts';
import type { PayloadMode, SignedRequest, VerifiedRequest } from './types.ts';

/** The aws-chunked mode whose chunks carry chained signatures (sigv4-streaming in the S3 docs). */
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export interface PayloadHash {
  hash: string;
  payload: VerifiedRequest['payload'];
}

/**
 * Resolves the payload hash. `declared` is the request's x-amz-content-sha256 (header, or the
 * hoisted X-Amz-Content-Sha256 query parameter of a presigned URL).
 *
 * - absent: the body's hash; a presigned URL on a service allowing unsigned payloads uses
 *   UNSIGNED-PAYLOAD instead (the S3 presigning rule).
 * - a hex hash: must equal the body's hash. S3 answers XAmzContentSHA256Mismatch; JSON services
 *   hash the body themselves, so there the signature simply does not match.
 * - UNSIGNED-PAYLOAD / STREAMING-AWS4-HMAC-SHA256-PAYLOAD: only where `mode` allows them (S3
 *   and its kin). Elsewhere, as with any other value, the signature cannot match.
 */
export async function resolvePayloadHash(
  request: SignedRequest,
  declared: string | undefined,
  mode: PayloadMode,
  ctx: FailureContext,
): Promise<PayloadHash> {
  if (declared === undefined) {
    if (ctx.via === 'query' && mode !== 'signed') return { hash: UNSIGNED_PAYLOAD, payload: 'unsigned' };
    return { hash: await bodyHash(request.body), payload: 'signed' };
  }
  if (declared === UNSIGNED_PAYLOAD && mode !== 'signed') return { hash: declared, payload: 'unsigned' };
  if (declared === STREAMING_PAYLOAD && mode === 'streaming-allowed' && ctx.via === 'header') {
    return { hash: declared, payload: 'streaming' };
  }
  const computed = await bodyHash(request.body);
  if (declared !== computed) {
    throw sigv4Error(ctx, HEX_SHA256.test(declared) ? 'content-sha' : 'mismatch', '', {
      ClientComputedContentSHA256: declared,
      S3ComputedContentSHA256: computed,
    });
  }
  return { hash: computed, payload: 'signed' };
}

/** Lower-case hex SHA-256 of the body, by the signing library. */
export function bodyHash(body: string | Uint8Array): Promise<string> {
  return getPayloadHash(libraryRequest({ body }), Sha256);
}
