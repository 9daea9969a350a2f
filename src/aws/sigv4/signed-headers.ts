/**
 * Which headers a signature must cover. A header outside SignedHeaders can be changed in transit
 * without breaking the signature, so the ones that carry meaning must be inside it.
 */
import { type FailureContext, sigv4Error } from './errors.ts';

/**
 * The rules, and where they come from:
 * - `host`: AWS answers "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
 *   (InvalidSignatureException on JSON services; recorded DynamoDB answers in mhart/dynalite, and
 *   aws/aws-sdk-php#2469 for the current wording).
 * - the date header in use (`x-amz-date`, or `date` without it), `x-amz-security-token`,
 *   `x-amz-content-sha256` and every other `x-amz-*` header: the SigV4 canonical-request rules
 *   (AWS General Reference, "Create a canonical request": the CanonicalHeaders list must include
 *   host and "any x-amz-* headers that you plan to include in your request"). S3 enforces this with
 *   AccessDenied "There were headers present in the request which were not signed" and a
 *   HeadersNotSigned element (S3 error responses quoted in aws_client#364, Paw-AWSSignature4#4).
 * - `X-Amz-Target` on a JSON-protocol service: AWS publishes no answer for an unsigned target, and
 *   every AWS SDK signs it (smithy's signer signs all headers but a fixed unsignable list; botocore
 *   skips only user-agent, expect and x-amzn-trace-id). It names the operation, so an unsigned one
 *   would let a captured request be replayed as another operation. It falls under the x-amz-* rule
 *   above and gets the same InvalidSignatureException shape as the Host rule.
 */
export function checkSignedHeaders(
  headers: Record<string, string>,
  signed: readonly string[],
  ctx: FailureContext,
): void {
  const covered = new Set(signed);
  const missing: string[] = [];
  if (!covered.has('host')) missing.push('host');
  if (headers['x-amz-date'] === undefined && headers.date !== undefined && !covered.has('date')) {
    missing.push('date');
  }
  const unsigned: string[] = [];
  for (const name in headers) {
    if (name.startsWith('x-amz-') && !covered.has(name)) unsigned.push(name);
  }
  if (missing.length === 0 && unsigned.length === 0) return;
  missing.push(...unsigned.sort());
  const detail = missing
    .map((name) =>
      name === 'host'
        ? "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        : `'${displayName(name)}' must be a 'SignedHeader' in the AWS Authorization.`,
    )
    .join(' ');
  throw sigv4Error(ctx, 'unsigned-header', detail, { HeadersNotSigned: missing.join(', ') });
}

/** `x-amz-security-token` -> `X-Amz-Security-Token`, as AWS spells header names in messages. */
function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** Parses a SignedHeaders list: lower case, `;`-separated, no empty names. */
export function parseSignedHeaders(value: string): string[] {
  return value
    .toLowerCase()
    .split(';')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
