/**
 * The payload hash a canonical request ends with. The verifier hashes the body it will execute;
 * `x-amz-content-sha256` may only say the same thing, or name one of the unsigned/streaming
 * modes the service allows.
 */
import { UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import { sha256Hex } from '../../core/node-sha256.ts';
import { type FailureContext, sigv4Error } from './errors.ts';
import type { PayloadMode, SignedRequest, VerifiedRequest } from './types.ts';

/** The aws-chunked mode whose chunks carry chained signatures (sigv4-streaming in the S3 docs). */
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/** aws-chunked with signed chunks and a signed trailer (x-amz-checksum-* after the last chunk). */
export const STREAMING_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
/** aws-chunked with unsigned chunks and a trailer: what the SDKs send for streams by default (CRC32). */
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

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
 *   and its kin); STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER and STREAMING-UNSIGNED-PAYLOAD-TRAILER
 *   also need `deferred` (the route decodes the body: src/s3/aws-chunked.ts). Elsewhere, as with
 *   any other value, the signature cannot match.
 * - `deferred` (a route that streams its body): a hex hash is taken as declared and the result is
 *   `deferred`; the route must hash what it reads and compare.
 */
export async function resolvePayloadHash(
  request: SignedRequest,
  declared: string | undefined,
  mode: PayloadMode,
  ctx: FailureContext,
  deferred = false,
): Promise<PayloadHash> {
  if (declared === undefined) {
    if (ctx.via === 'query' && mode !== 'signed') return { hash: UNSIGNED_PAYLOAD, payload: 'unsigned' };
    return { hash: sha256Hex(deferred ? '' : request.body), payload: deferred ? 'deferred' : 'signed' };
  }
  if (declared === UNSIGNED_PAYLOAD && mode !== 'signed') return { hash: declared, payload: 'unsigned' };
  if (mode === 'streaming-allowed' && ctx.via === 'header') {
    if (declared === STREAMING_PAYLOAD) return { hash: declared, payload: 'streaming' };
    // The trailer forms only where the route decodes the body itself (verifyChunkedBody cannot).
    if (deferred && declared === STREAMING_PAYLOAD_TRAILER) return { hash: declared, payload: 'streaming' };
    if (deferred && declared === STREAMING_UNSIGNED_TRAILER) return { hash: declared, payload: 'unsigned' };
  }
  // A body the route has not read yet: the signature covers the hash as declared; the route
  // compares it with the body's once it has read it (XAmzContentSHA256Mismatch).
  if (deferred && HEX_SHA256.test(declared)) return { hash: declared, payload: 'deferred' };
  const computed = sha256Hex(request.body);
  if (declared !== computed) {
    throw sigv4Error(ctx, HEX_SHA256.test(declared) ? 'content-sha' : 'mismatch', '', {
      ClientComputedContentSHA256: declared,
      S3ComputedContentSHA256: computed,
    });
  }
  return { hash: computed, payload: 'signed' };
}
