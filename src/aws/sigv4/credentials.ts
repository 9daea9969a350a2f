/** Access keys and their sessions: the secret to verify with, and whether a session token is the right one. */
import { type FailureContext, sigv4Error } from './errors.ts';
import { constantTimeEqual } from './signature.ts';
import type { SecretLookup, SigningCredential } from './types.ts';

/** The credential behind `accessKeyId`; UnrecognizedClient (S3: InvalidAccessKeyId) when unknown. */
export function lookupCredential(
  secrets: SecretLookup,
  accessKeyId: string,
  ctx: FailureContext,
): SigningCredential {
  const found = secrets(accessKeyId);
  if (found === undefined) throw sigv4Error(ctx, 'unknown-key');
  return typeof found === 'string' ? { secretAccessKey: found } : found;
}

/**
 * Checked once the signature matched (the order AWS answers in, per the DynamoDB responses
 * recorded in mhart/dynalite): a session token must be presented exactly when the key has a
 * session, must be that session's token, and the session must not have expired.
 *
 * A long-term key with any X-Amz-Security-Token, or a token that is not the key's, gets
 * UnrecognizedClientException "The security token included in the request is invalid."; an
 * expired session gets ExpiredTokenException "The security token included in the request is
 * expired" (HTTP 403, the AWS Common Errors pages).
 */
export function checkSessionToken(
  credential: SigningCredential,
  presented: string | undefined,
  now: number,
  ctx: FailureContext,
): void {
  const expected = credential.sessionToken;
  if (expected === undefined) {
    if (presented !== undefined) throw sigv4Error(ctx, 'bad-token');
    return;
  }
  if (presented === undefined || !constantTimeEqual(expected, presented)) throw sigv4Error(ctx, 'bad-token');
  if (credential.expiresAt !== undefined && now >= credential.expiresAt) {
    throw sigv4Error(ctx, 'expired-token');
  }
}
