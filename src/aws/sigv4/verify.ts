/** Entry point: verifies whichever SigV4 mechanism a request carries (Authorization header or query string). */
import { type FailureContext, sigv4Error } from './errors.ts';
import { queryRecord } from './signature.ts';
import type { SecretLookup, SignedRequest, VerifiedRequest, VerifyOptions } from './types.ts';
import { verifyHeaderAuth } from './verify-header.ts';
import { verifyPresignedSigV4 } from './verify-presigned.ts';

/**
 * Verifies `request` and returns who signed it; throws the ApiError AWS answers with.
 *
 * AWS services take SigV4 in the Authorization header or in the query string, never both:
 * DynamoDB answers InvalidSignatureException "Found both 'X-Amz-Algorithm' as a query-string param
 * and 'Authorization' as HTTP header." (recorded in mhart/dynalite). An X-Amz-Signature parameter
 * beside an Authorization header is refused the same way, since the canonical query leaves that
 * parameter out and it could be added without breaking the signature.
 *
 * The payload mode defaults to `signed` for both mechanisms here; call `verifyPresignedSigV4`
 * directly for the S3 presigning default (UNSIGNED-PAYLOAD).
 */
export function verifySigV4(
  request: SignedRequest,
  secrets: SecretLookup,
  options: VerifyOptions,
): Promise<VerifiedRequest> {
  const names = Object.keys(queryRecord(request.query));
  const inQuery = (wanted: string) => names.find((n) => n.toLowerCase() === wanted.toLowerCase());
  const queryAuth = inQuery('X-Amz-Algorithm') ?? inQuery('X-Amz-Signature');
  const resolved: VerifyOptions = { ...options, payload: options.payload ?? 'signed' };
  if (request.headers.authorization !== undefined && queryAuth !== undefined) {
    const ctx: FailureContext = { dialect: options.dialect ?? 'json', via: 'header' };
    return Promise.reject(
      sigv4Error(
        ctx,
        'both-mechanisms',
        `Found both '${queryAuth}' as a query-string param and 'Authorization' as HTTP header.`,
      ),
    );
  }
  if (queryAuth !== undefined) return verifyPresignedSigV4(request, secrets, resolved);
  return verifyHeaderAuth(request, secrets, resolved);
}
