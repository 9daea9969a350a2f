/**
 * aws-chunked bodies signed chunk by chunk (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, the S3 docs'
 * "Transferring Payload in Multiple Chunks"). Each chunk is
 *
 *   hex(size);chunk-signature=<64 hex>\r\n <size bytes> \r\n
 *
 * and the body ends with a 0-size chunk. Each chunk's signature signs, with the request's signing
 * key, "AWS4-HMAC-SHA256-PAYLOAD\n" + date + "\n" + scope + "\n" + previous signature + "\n" +
 * hash("") + "\n" + hash(chunk data); the first chunk's previous signature is the request's own
 * (the seed). That string is the signing library's event signature with empty event headers.
 */
import { NodeSha256 } from '../../core/node-sha256.ts';
import { SignatureV4 } from '@smithy/signature-v4';
import { lookupCredential } from './credentials.ts';
import { type FailureContext, sigv4Error } from './errors.ts';
import { constantTimeEqual } from './signature.ts';
import type { ErrorDialect, SecretLookup, VerifiedRequest } from './types.ts';

const CHUNK_HEADER = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-f]{64})$/;
const NO_EVENT_HEADERS = new Uint8Array(0);
const CRLF = Buffer.from('\r\n');

export interface ChunkedOptions {
  /** The request as verified; its `payload` must be `streaming` and its signature seeds the chain. */
  verified: VerifiedRequest;
  secrets: SecretLookup;
  /** The x-amz-decoded-content-length header, as a number: the decoded body must be that long. */
  decodedContentLength?: number;
  dialect?: ErrorDialect;
}

/**
 * Decodes an aws-chunked body and verifies every chunk's signature in order; returns the decoded
 * bytes. A wrong, reordered or dropped chunk breaks the chain (signature mismatch); a truncated or
 * malformed body, or one whose size differs from x-amz-decoded-content-length, is incomplete.
 */
export async function verifyChunkedBody(body: Uint8Array, options: ChunkedOptions): Promise<Buffer> {
  const { verified } = options;
  if (verified.payload !== 'streaming') throw new Error('verifyChunkedBody needs a streaming request');
  const ctx: FailureContext = { dialect: options.dialect ?? 's3', via: 'header' };
  const credential = lookupCredential(options.secrets, verified.accessKeyId, ctx);
  const signer = new SignatureV4({
    credentials: { accessKeyId: verified.accessKeyId, secretAccessKey: credential.secretAccessKey },
    region: verified.region,
    service: verified.service,
    sha256: NodeSha256,
  });
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const malformed = (at: number, what: string) =>
    sigv4Error(ctx, 'incomplete-body', `aws-chunked body is malformed at byte ${at}: ${what}.`);
  const chunks: Buffer[] = [];
  let prior = verified.signature;
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf(CRLF, offset);
    if (lineEnd < 0) throw malformed(offset, 'no chunk header');
    const header = CHUNK_HEADER.exec(bytes.toString('latin1', offset, lineEnd));
    if (!header) throw malformed(offset, 'expected hex-size;chunk-signature=<signature>');
    const size = Number.parseInt(header[1], 16);
    const start = lineEnd + CRLF.length;
    const end = start + size;
    if (end + CRLF.length > bytes.length || !bytes.subarray(end, end + CRLF.length).equals(CRLF)) {
      throw malformed(start, `expected ${size} bytes of data and CRLF`);
    }
    const data = bytes.subarray(start, end);
    const expected = await signer.sign(
      { headers: NO_EVENT_HEADERS, payload: data },
      { signingDate: verified.signedAt, priorSignature: prior },
    );
    if (!constantTimeEqual(expected, header[2])) throw sigv4Error(ctx, 'mismatch');
    prior = expected;
    offset = end + CRLF.length;
    if (size === 0) break;
    chunks.push(data);
  }
  if (offset !== bytes.length) throw malformed(offset, 'data after the final chunk');
  const decoded = Buffer.concat(chunks);
  const want = options.decodedContentLength;
  if (want !== undefined && decoded.length !== want) {
    throw sigv4Error(
      ctx,
      'incomplete-body',
      `Decoded ${decoded.length} bytes; x-amz-decoded-content-length is ${want}.`,
    );
  }
  return decoded;
}
