/** SigV4 for every protocol: the Authorization header, or a presigned query string (GET ?Action=...&X-Amz-Signature=...). */
import { ServiceError } from '../core/errors.ts';
import type { IncomingRequest } from './protocols/protocol.ts';
import {
  MISMATCH_MESSAGE,
  type SecretLookup,
  type VerifiedRequest,
  type VerifyOptions,
  verifySigV4,
} from './sigv4.ts';

/**
 * Verifies `request` for a service with signing name `options.service`.
 *
 * A presigned URL may cover an empty body either way: the JS SDK v3 signer hashes it, while
 * presigners built for S3-style URLs (the Go SDK v2's presign clients, which `aws-iam-authenticator`
 * uses for its STS GetCallerIdentity tokens) write UNSIGNED-PAYLOAD. With no body there is nothing
 * the hash could protect, so a bodiless query-signed request that does not match with the body's
 * hash is tried once more unsigned. A request with a body must have it signed (JSON services).
 */
export async function authenticate(
  request: IncomingRequest,
  secrets: SecretLookup,
  options: VerifyOptions,
): Promise<VerifiedRequest> {
  const signed = { ...request, body: request.body as Uint8Array };
  try {
    return await verifySigV4(signed, secrets, options);
  } catch (error) {
    const presigned =
      request.query.has('X-Amz-Signature') &&
      request.headers.authorization === undefined &&
      request.body.length === 0;
    const mismatch = error instanceof ServiceError && error.message === MISMATCH_MESSAGE;
    if (!presigned || !mismatch || options.payload !== undefined) throw error;
    return verifySigV4(signed, secrets, { ...options, payload: 'unsigned-allowed' });
  }
}
