/**
 * A streaming decoder for `Content-Encoding: aws-chunked` bodies, the three forms S3 takes:
 *
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD           hex(size);chunk-signature=<sig>\r\n data \r\n ... 0;chunk-signature=<sig>\r\n\r\n
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER   same, then trailers and x-amz-trailer-signature:<sig>\r\n\r\n
 *   STREAMING-UNSIGNED-PAYLOAD-TRAILER           hex(size)\r\n data \r\n ... 0\r\n x-amz-checksum-crc32:<b64>\r\n\r\n
 *
 * Unlike `aws/sigv4/chunked.ts` (whole bodies in memory), this decodes as bytes arrive so large
 * uploads never sit in memory: signed chunks are held only until their signature is checked
 * (chained from the request's seed signature by the signing library, as chunked.ts does), unsigned
 * data passes straight through. The trailer signature signs "AWS4-HMAC-SHA256-TRAILER\n" + date +
 * "\n" + scope + "\n" + the last chunk's signature + "\n" + hex(sha256 of the "name:value\n" lines).
 */
import { createHash } from 'node:crypto';
import { NodeSha256 } from '../core/node-sha256.ts';
import { SignatureV4 } from '@smithy/signature-v4';
import { ProtocolError } from '../aws/errors.ts';
import { formatAmzDate } from '../aws/sigv4/scope.ts';
import { constantTimeEqual } from '../aws/sigv4/signature.ts';
import type { VerifiedRequest } from '../aws/sigv4.ts';
import { s3Error } from './model/errors.ts';

const CRLF = Buffer.from('\r\n');
const MAX_LINE = 4096;
/** A signed chunk is held whole until checked; S3 clients send 8 KiB-8 MiB. */
const MAX_SIGNED_CHUNK = 64 * 1024 * 1024;
const SIGNED_HEADER = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-f]{64})$/;
const UNSIGNED_HEADER = /^([0-9a-fA-F]{1,16})(;[^\r\n]*)?$/;
const NO_EVENT_HEADERS = new Uint8Array(0);

export interface ChunkSigning {
  verified: VerifiedRequest;
  secretAccessKey: string;
}

export interface ChunkedOptions {
  /** Chunk signatures to check (the signed forms), or undefined for unsigned chunks. */
  signing?: ChunkSigning;
  /** Whether trailers follow the last chunk. */
  trailer: boolean;
  /** Filled with the trailers (names lower-cased) once the body is decoded. */
  trailers: Map<string, string>;
}

const malformed = (detail: string) =>
  s3Error('IncompleteBody', undefined, `The aws-chunked body is malformed: ${detail}.`);
const mismatch = () =>
  new ProtocolError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );

/** Decodes `source`, yielding the payload's bytes; throws the S3 error on a bad chunk or signature. */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  options: ChunkedOptions,
): AsyncGenerator<Buffer> {
  const signer = options.signing
    ? new SignatureV4({
        credentials: {
          accessKeyId: options.signing.verified.accessKeyId,
          secretAccessKey: options.signing.secretAccessKey,
        },
        region: options.signing.verified.region,
        service: options.signing.verified.service,
        sha256: NodeSha256,
      })
    : undefined;
  let prior = options.signing?.verified.signature ?? '';
  let buffer = Buffer.alloc(0);
  let state: 'header' | 'data' | 'data-end' | 'trailer' | 'done' = 'header';
  let remaining = 0;
  let expectedSignature = '';
  let held: Buffer[] = [];
  const trailerLines: string[] = [];

  const verifyChunk = async (data: Buffer) => {
    if (!signer) return;
    const signingDate = options.signing!.verified.signedAt;
    const expected = await signer.sign(
      { headers: NO_EVENT_HEADERS, payload: data },
      { signingDate, priorSignature: prior },
    );
    if (!constantTimeEqual(expected, expectedSignature)) throw mismatch();
    prior = expected;
  };

  const step = async function* (): AsyncGenerator<Buffer> {
    for (;;) {
      if (state === 'header' || state === 'trailer') {
        const end = buffer.indexOf(CRLF);
        if (end < 0) {
          if (buffer.length > MAX_LINE) throw malformed('a line is too long');
          return;
        }
        const line = buffer.toString('latin1', 0, end);
        buffer = buffer.subarray(end + CRLF.length);
        if (state === 'trailer') {
          if (line === '') {
            await finishTrailer();
            state = 'done';
            return;
          }
          trailerLines.push(line);
          continue;
        }
        const match = (signer ? SIGNED_HEADER : UNSIGNED_HEADER).exec(line);
        if (!match) throw malformed(`bad chunk header '${line.slice(0, 80)}'`);
        remaining = Number.parseInt(match[1], 16);
        expectedSignature = signer ? match[2] : '';
        if (signer && remaining > MAX_SIGNED_CHUNK) throw malformed('a signed chunk is too large');
        if (remaining === 0) {
          await verifyChunk(Buffer.alloc(0));
          state = options.trailer ? 'trailer' : 'data-end';
          if (!options.trailer) remaining = -1;
          continue;
        }
        state = 'data';
        held = [];
        continue;
      }
      if (state === 'data') {
        if (buffer.length === 0) return;
        const take = Math.min(remaining, buffer.length);
        const piece = buffer.subarray(0, take);
        buffer = buffer.subarray(take);
        remaining -= take;
        if (signer) held.push(piece);
        else yield piece;
        if (remaining === 0) {
          if (signer) {
            const data = Buffer.concat(held);
            held = [];
            await verifyChunk(data);
            yield data;
          }
          state = 'data-end';
        }
        continue;
      }
      if (state === 'data-end') {
        if (buffer.length < CRLF.length) return;
        if (!buffer.subarray(0, CRLF.length).equals(CRLF)) throw malformed('a chunk is longer than its size');
        buffer = buffer.subarray(CRLF.length);
        // remaining -1 marks the CRLF after the final chunk of a body without trailers.
        state = remaining === -1 ? 'done' : 'header';
        continue;
      }
      if (state === 'done') {
        if (buffer.length > 0) throw malformed('data after the final chunk');
        return;
      }
    }
  };

  const finishTrailer = async () => {
    const lines: string[] = [];
    let signature: string | undefined;
    for (const line of trailerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed(`bad trailer '${line.slice(0, 80)}'`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') signature = value;
      else {
        options.trailers.set(name, value);
        lines.push(`${name}:${value}\n`);
      }
    }
    if (!signer) return;
    if (!signature) throw malformed('the trailer signature is missing');
    const { verified } = options.signing!;
    const amzDate = formatAmzDate(verified.signedAt.getTime());
    const scope = `${amzDate.slice(0, 8)}/${verified.region}/${verified.service}/aws4_request`;
    const hash = createHash('sha256').update(lines.join('')).digest('hex');
    const expected = await signer.sign(`AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${prior}\n${hash}`, {
      signingDate: verified.signedAt,
    });
    if (!constantTimeEqual(expected, signature)) throw mismatch();
  };

  for await (const chunk of source) {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    yield* step();
  }
  yield* step();
  // `step` moves the state; TypeScript cannot see that through the generator.
  const reached = state as string;
  if (reached === 'trailer' && buffer.length === 0 && trailerLines.length > 0) {
    // Some clients end the trailer without the closing empty line.
    await finishTrailer();
    state = 'done';
  }
  if ((state as string) !== 'done') throw malformed('the body ended before its final chunk');
}
