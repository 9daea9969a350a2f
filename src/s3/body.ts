/**
 * A PUT or POST body as S3 takes it, checked while it streams to disk: plain (signed with its
 * SHA-256, which the gateway could not check before the body was read, or UNSIGNED-PAYLOAD) or
 * aws-chunked (aws-chunked.ts). Along the way it is hashed for the ETag (MD5), for
 * x-amz-content-sha256, for Content-MD5 and for the checksum the client declared (header, trailer or
 * `x-amz-sdk-checksum-algorithm`); every mismatch fails the write before any record names it.
 */
import { createHash } from 'node:crypto';
import { lookupCredential } from '../aws/sigv4/credentials.ts';
import type { SecretLookup, VerifiedRequest } from '../aws/sigv4.ts';
import { decodeAwsChunked } from './aws-chunked.ts';
import {
  algorithmOf,
  checksumHeader,
  type Hasher,
  newHasher,
  validChecksumValue,
} from './model/checksums.ts';
import { s3Error } from './model/errors.ts';
import type { ChecksumAlgorithm, StoredChecksum } from './model/records.ts';

/** What the body turned out to be, once it has been read whole. */
export interface BodyFacts {
  size: number;
  /** Hex MD5 (the ETag of a single-part object). */
  md5: string;
  checksum?: StoredChecksum;
}

export interface RequestBody {
  /** The payload's bytes; iterating it runs the checks (they throw at the end). */
  chunks: AsyncIterable<Buffer>;
  /** Valid once `chunks` has been read to the end. */
  facts(): BodyFacts;
}

const STREAMING = /^STREAMING-/;

/** The checksum algorithm a request declares, and its value when given in a header. */
export function declaredChecksum(
  headers: Record<string, string>,
): { algorithm: ChecksumAlgorithm; value?: string } | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (
      !name.startsWith('x-amz-checksum-') ||
      name === 'x-amz-checksum-type' ||
      name === 'x-amz-checksum-algorithm'
    )
      continue;
    const algorithm = algorithmOf(name);
    if (algorithm) return { algorithm, value };
  }
  const trailer = headers['x-amz-trailer'];
  const fromTrailer = trailer ? algorithmOf(trailer.trim()) : undefined;
  if (fromTrailer) return { algorithm: fromTrailer };
  const named = headers['x-amz-sdk-checksum-algorithm'] ?? headers['x-amz-checksum-algorithm'];
  if (named) {
    const algorithm = algorithmOf(named);
    if (!algorithm)
      throw s3Error(
        'InvalidRequest',
        undefined,
        `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]`,
      );
    return { algorithm };
  }
  return undefined;
}

/** The body of `req` as `caller` signed it. */
export function requestBody(
  source: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  caller: VerifiedRequest,
  secrets: SecretLookup,
  /** The checksum to compute when the request declares none (a multipart upload's algorithm). */
  defaultAlgorithm?: ChecksumAlgorithm,
): RequestBody {
  const declaredSha = headers['x-amz-content-sha256'] ?? '';
  const chunked = STREAMING.test(declaredSha);
  const declared =
    declaredChecksum(headers) ?? (defaultAlgorithm ? { algorithm: defaultAlgorithm } : undefined);
  if (declared?.value !== undefined && !validChecksumValue(declared.algorithm, declared.value)) {
    throw s3Error(
      'InvalidRequest',
      undefined,
      `Value for ${checksumHeader(declared.algorithm)} header is invalid.`,
    );
  }
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16)
    throw s3Error('InvalidDigest', { 'Content-MD5': contentMd5 });
  const decodedLength = headers['x-amz-decoded-content-length'];
  if (chunked && decodedLength === undefined && !/TRAILER$/.test(declaredSha))
    throw s3Error('MissingContentLength');
  const trailers = new Map<string, string>();
  const md5 = createHash('md5');
  const sha = caller.payload === 'deferred' ? createHash('sha256') : undefined;
  const checksum: Hasher | undefined = declared ? newHasher(declared.algorithm) : undefined;
  let size = 0;
  let facts: BodyFacts | undefined;
  const decoded = chunked
    ? decodeAwsChunked(source, {
        trailer: /TRAILER$/.test(declaredSha),
        trailers,
        ...(caller.payload === 'streaming'
          ? {
              signing: {
                verified: caller,
                secretAccessKey: lookupCredential(secrets, caller.accessKeyId, {
                  dialect: 's3',
                  via: 'header',
                }).secretAccessKey,
              },
            }
          : {}),
      })
    : source;
  async function* run(): AsyncGenerator<Buffer> {
    for await (const piece of decoded) {
      const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
      size += chunk.length;
      md5.update(chunk);
      sha?.update(chunk);
      checksum?.update(chunk);
      yield chunk;
    }
    if (chunked && decodedLength !== undefined && Number(decodedLength) !== size) {
      throw s3Error(
        'IncompleteBody',
        undefined,
        `Decoded ${size} bytes; x-amz-decoded-content-length is ${decodedLength}.`,
      );
    }
    if (sha) {
      const computed = sha.digest('hex');
      if (computed !== declaredSha) {
        throw s3Error('XAmzContentSHA256Mismatch', {
          ClientComputedContentSHA256: declaredSha,
          S3ComputedContentSHA256: computed,
        });
      }
    }
    const md5Bytes = md5.digest();
    if (contentMd5 !== undefined && md5Bytes.toString('base64') !== contentMd5) {
      throw s3Error('BadDigest', {
        ExpectedDigest: contentMd5,
        CalculatedDigest: md5Bytes.toString('base64'),
      });
    }
    let stored: StoredChecksum | undefined;
    if (declared && checksum) {
      const computed = checksum.digest();
      const given = declared.value ?? trailers.get(checksumHeader(declared.algorithm));
      if (given !== undefined && given !== computed) {
        throw s3Error(
          'BadDigest',
          undefined,
          `The ${declared.algorithm} you specified did not match the calculated checksum.`,
        );
      }
      stored = { algorithm: declared.algorithm, value: computed, type: 'FULL_OBJECT' };
    }
    facts = { size, md5: md5Bytes.toString('hex'), ...(stored ? { checksum: stored } : {}) };
  }
  return {
    chunks: run(),
    facts() {
      if (!facts) throw new Error('the body has not been read to the end');
      return facts;
    },
  };
}
