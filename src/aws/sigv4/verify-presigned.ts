/**
 * SigV4 in the query string (presigned URLs): the same rules as the header form, plus
 * X-Amz-Expires. For REST and raw-HTTP routes (the registry, S3-style) and for any service that,
 * like AWS, accepts query authentication.
 */
import { ALGORITHM_IDENTIFIER, MAX_PRESIGNED_TTL } from '@smithy/signature-v4';
import { checkSessionToken, lookupCredential } from './credentials.ts';
import { type FailureContext, sigv4Error } from './errors.ts';
import { resolvePayloadHash } from './payload.ts';
import { checkScope, checkSkew, parseAmzDate, parseCredential } from './scope.ts';
import { checkSignedHeaders, parseSignedHeaders } from './signed-headers.ts';
import { constantTimeEqual, queryRecord, recomputeSignature } from './signature.ts';
import type { SecretLookup, SignedRequest, VerifiedRequest, VerifyOptions } from './types.ts';

const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
  'X-Amz-Date',
];

/**
 * Verifies a presigned request. `payload` defaults to `unsigned-allowed`: a presigned URL signs
 * UNSIGNED-PAYLOAD unless it carries X-Amz-Content-Sha256 (S3's rule); pass `signed` for services
 * that must see the body signed.
 *
 * Expiry: S3 requires X-Amz-Expires (1 s to 604800 s, one week) and answers AccessDenied "Request
 * has expired" with X-Amz-Expires, Expires and ServerTime (S3 responses quoted in
 * aws/aws-sdk-php#1333, aws/aws-sdk-js#3493). JSON services ignore X-Amz-Expires and keep the
 * 15-minute window (aws/aws-sdk-go#2167, STS); in the JSON dialect a URL must satisfy both, so a
 * shorter X-Amz-Expires still ends it early and a longer one never stretches the window.
 */
export async function verifyPresignedSigV4(
  request: SignedRequest,
  secrets: SecretLookup,
  options: VerifyOptions,
): Promise<VerifiedRequest> {
  const ctx: FailureContext = { dialect: options.dialect ?? 'json', via: 'query' };
  const query = queryRecord(request.query);
  const param = (name: string): string | undefined => {
    const value = query[name];
    return Array.isArray(value) ? undefined : value;
  };
  const required = ctx.dialect === 's3' ? [...REQUIRED, 'X-Amz-Expires'] : REQUIRED;
  const absent = required.filter((name) => !param(name));
  if (absent.length > 0) {
    const detail =
      ctx.dialect === 's3'
        ? 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'
        : `${absent.map((p) => `AWS query-string parameters must include '${p}'.`).join(' ')} Re-examine the query-string parameters.`;
    throw sigv4Error(ctx, 'incomplete', detail);
  }
  const algorithm = param('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw sigv4Error(ctx, 'incomplete', `X-Amz-Algorithm only supports "${ALGORITHM_IDENTIFIER}"`);
  }
  const amzDate = param('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate, ctx);
  checkWindow(signedAt, amzDate, param('X-Amz-Expires'), options.now, ctx);
  const signedHeaders = parseSignedHeaders(param('X-Amz-SignedHeaders')!);
  checkSignedHeaders(request.headers, signedHeaders, ctx);
  const scope = parseCredential(param('X-Amz-Credential')!, ctx);
  checkScope(scope, amzDate, options, ctx);
  const credential = lookupCredential(secrets, scope.accessKeyId, ctx);
  const declared =
    param('X-Amz-Content-Sha256') ?? param('x-amz-content-sha256') ?? request.headers['x-amz-content-sha256'];
  const payload = await resolvePayloadHash(
    request,
    declared,
    options.payload ?? 'unsigned-allowed',
    ctx,
    options.deferBodyHash,
  );
  const signature = param('X-Amz-Signature')!;
  const computed = await recomputeSignature({
    request,
    signedHeaders,
    payloadHash: payload.hash,
    amzDate,
    signedAt,
    scope,
    secretAccessKey: credential.secretAccessKey,
    uriEscapePath: options.uriEscapePath ?? true,
  });
  if (!constantTimeEqual(computed, signature)) throw sigv4Error(ctx, 'mismatch');
  const token = param('X-Amz-Security-Token') ?? request.headers['x-amz-security-token'];
  checkSessionToken(credential, token, options.now, ctx);
  const { accessKeyId, region, service } = scope;
  const signer = { accessKeyId, region, service, payload: payload.payload, signature, signedAt };
  return credential.principal ? { ...signer, principal: credential.principal } : signer;
}

/** Not before X-Amz-Date (less 15 minutes of skew), not after X-Amz-Date + X-Amz-Expires (see above). */
function checkWindow(
  signedAt: Date,
  amzDate: string,
  expiresParam: string | undefined,
  now: number,
  ctx: FailureContext,
): void {
  if (expiresParam === undefined) {
    checkSkew(signedAt, amzDate, now, ctx, 'not-yet-valid');
    return;
  }
  if (!/^\d+$/.test(expiresParam)) {
    throw sigv4Error(
      ctx,
      'incomplete',
      expiresParam.startsWith('-')
        ? 'X-Amz-Expires must be non-negative'
        : 'X-Amz-Expires should be a number',
    );
  }
  const seconds = Number(expiresParam);
  if (seconds > MAX_PRESIGNED_TTL) {
    throw sigv4Error(
      ctx,
      'incomplete',
      `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_TTL} seconds`,
    );
  }
  // Signed in the future: the same 15-minute allowance as the header form.
  if (signedAt.getTime() > now) checkSkew(signedAt, amzDate, now, ctx, 'not-yet-valid');
  const expiresAt = signedAt.getTime() + seconds * 1000;
  if (now > expiresAt) {
    throw sigv4Error(ctx, 'expired', '', {
      'X-Amz-Expires': expiresParam,
      Expires: isoSeconds(expiresAt),
      ServerTime: isoSeconds(now),
    });
  }
  if (ctx.dialect === 'json') checkSkew(signedAt, amzDate, now, ctx, 'not-yet-valid');
}

/** `2017-07-20T04:18:45Z`, as S3 writes Expires and ServerTime. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
