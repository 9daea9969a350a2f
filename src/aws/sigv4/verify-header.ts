/** SigV4 in the Authorization header: parse it, apply the rules, recompute and compare. */
import { ALGORITHM_IDENTIFIER } from '@smithy/signature-v4';
import { checkSessionToken, lookupCredential } from './credentials.ts';
import { type FailureContext, sigv4Error } from './errors.ts';
import { resolvePayloadHash } from './payload.ts';
import { type CredentialScope, checkScope, checkSkew, parseAmzDate, parseCredential } from './scope.ts';
import { checkSignedHeaders, parseSignedHeaders } from './signed-headers.ts';
import { constantTimeEqual, recomputeSignature } from './signature.ts';
import type { SecretLookup, SignedRequest, VerifiedRequest, VerifyOptions } from './types.ts';

interface ParsedAuthorization {
  scope: CredentialScope & { terminator: string };
  signedHeaders: string[];
  signature: string;
}

/**
 * Verifies a request signed in its Authorization header; throws the ApiError AWS returns for each
 * failure, in the order AWS checks: header syntax, date, signed headers, scope, access key,
 * payload hash, signature, session token.
 */
export async function verifyHeaderAuth(
  request: SignedRequest,
  secrets: SecretLookup,
  options: VerifyOptions,
): Promise<VerifiedRequest> {
  const ctx: FailureContext = { dialect: options.dialect ?? 'json', via: 'header' };
  const { headers } = request;
  const amzDate = headers['x-amz-date'] ?? headers.date;
  const auth = parseAuthorization(headers.authorization, amzDate !== undefined, ctx);
  const signedAt = parseAmzDate(amzDate!, ctx);
  checkSkew(signedAt, amzDate!, options.now, ctx);
  checkSignedHeaders(headers, auth.signedHeaders, ctx);
  checkScope(auth.scope, amzDate!, options, ctx);
  const credential = lookupCredential(secrets, auth.scope.accessKeyId, ctx);
  const payload = await resolvePayloadHash(
    request,
    headers['x-amz-content-sha256'],
    options.payload ?? 'signed',
    ctx,
    options.deferBodyHash,
  );
  const computed = await recomputeSignature({
    request,
    signedHeaders: auth.signedHeaders,
    payloadHash: payload.hash,
    amzDate: amzDate!,
    signedAt,
    scope: auth.scope,
    secretAccessKey: credential.secretAccessKey,
    uriEscapePath: options.uriEscapePath ?? true,
  });
  if (!constantTimeEqual(computed, auth.signature)) throw sigv4Error(ctx, 'mismatch');
  checkSessionToken(credential, headers['x-amz-security-token'], options.now, ctx);
  const { accessKeyId, region, service } = auth.scope;
  const signer = {
    accessKeyId,
    region,
    service,
    payload: payload.payload,
    signature: auth.signature,
    signedAt,
  };
  return credential.principal ? { ...signer, principal: credential.principal } : signer;
}

/** `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` (messages as AWS words them). */
function parseAuthorization(
  header: string | undefined,
  hasDate: boolean,
  ctx: FailureContext,
): ParsedAuthorization {
  if (!header) throw sigv4Error(ctx, 'missing');
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw sigv4Error(
      ctx,
      'incomplete',
      `Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM_IDENTIFIER} for now).`,
    );
  }
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const problems = ['Credential', 'Signature', 'SignedHeaders']
    .filter((p) => !params.get(p))
    .map((p) => `Authorization header requires '${p}' parameter.`);
  if (!hasDate) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length > 0) {
    throw sigv4Error(ctx, 'incomplete', `${problems.join(' ')} Authorization=${header}`);
  }
  return {
    scope: parseCredential(params.get('Credential')!, ctx),
    signedHeaders: parseSignedHeaders(params.get('SignedHeaders')!),
    signature: params.get('Signature')!,
  };
}
