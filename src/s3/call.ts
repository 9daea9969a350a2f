/** One S3 request as the operations see it, and the helpers they share (bucket lookup, headers, answers). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProtocolError } from '../aws/errors.ts';
import type { SecretLookup, VerifiedRequest } from '../aws/sigv4.ts';
import { Kind } from '../store/store.ts';
import { s3Error, noSuchBucket } from './model/errors.ts';
import type { BucketRecord, ObjectRecord, S3Context, StoredHeaders } from './model/records.ts';
import type { S3Target } from './request-target.ts';
import { xmlDocument } from './xml.ts';

export interface S3Call {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: S3Context;
  target: S3Target;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  caller: VerifiedRequest;
  secrets: SecretLookup;
  requestId: string;
  /** Epoch ms at which the request arrived. */
  now: number;
}

/** The bucket the call names; NoSuchBucket, or S3's wrong-region answer when signed for another region. */
export async function bucketOf(call: S3Call): Promise<BucketRecord> {
  const name = call.target.bucket ?? '';
  const found = await call.ctx.store.get<BucketRecord>(Kind.S3Bucket, name);
  if (!found) throw noSuchBucket(name);
  const bucket = found.value;
  if (bucket.region !== call.caller.region) {
    const presigned = call.query.has('X-Amz-Credential');
    throw new ProtocolError(
      presigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${call.caller.region}' is wrong; expecting '${bucket.region}'`,
      400,
      { Region: bucket.region },
    );
  }
  return bucket;
}

/** The key the call names (object operations always have one). */
export const keyOf = (call: S3Call): string => call.target.key ?? '';

/** Stored headers from a PUT / CreateMultipartUpload / CopyObject (REPLACE) request. */
export function storedHeadersFrom(headers: Record<string, string>): StoredHeaders {
  const metadata: Record<string, string> = {};
  let metaSize = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const key = name.slice('x-amz-meta-'.length);
    metadata[key] = value;
    metaSize += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  // "The user-defined metadata is limited to 2 KB in size."
  if (metaSize > 2048) {
    throw s3Error(
      'InvalidArgument',
      undefined,
      'Your metadata headers exceed the maximum allowed metadata size',
    );
  }
  const optional = {
    cacheControl: headers['cache-control'],
    contentDisposition: headers['content-disposition'],
    contentEncoding: stripAwsChunked(headers['content-encoding']),
    contentLanguage: headers['content-language'],
    expires: headers.expires,
  };
  const out: StoredHeaders = { contentType: headers['content-type'] || 'application/octet-stream', metadata };
  for (const [k, v] of Object.entries(optional)) if (v) (out as unknown as Record<string, string>)[k] = v;
  return out;
}

/** `aws-chunked` is the transfer's encoding, not the object's: S3 drops it from Content-Encoding. */
function stripAwsChunked(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const rest = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v && v !== 'aws-chunked');
  return rest.length > 0 ? rest.join(',') : undefined;
}

/** The response headers of an object (GET, HEAD). */
export function objectHeaders(object: ObjectRecord, withChecksum: boolean): Record<string, string> {
  const out: Record<string, string> = {
    'content-type': object.contentType,
    etag: `"${object.etag}"`,
    'last-modified': httpDate(object.lastModified),
    'accept-ranges': 'bytes',
  };
  if (object.cacheControl) out['cache-control'] = object.cacheControl;
  if (object.contentDisposition) out['content-disposition'] = object.contentDisposition;
  if (object.contentEncoding) out['content-encoding'] = object.contentEncoding;
  if (object.contentLanguage) out['content-language'] = object.contentLanguage;
  if (object.expires) out.expires = object.expires;
  for (const [k, v] of Object.entries(object.metadata)) out[`x-amz-meta-${k}`] = v;
  if (object.parts) out['x-amz-mp-parts-count'] = String(object.parts);
  if (withChecksum && object.checksum) {
    out[`x-amz-checksum-${object.checksum.algorithm.toLowerCase()}`] = object.checksum.value;
    out['x-amz-checksum-type'] = object.checksum.type;
  }
  return out;
}

/** RFC 7231 date (`Last-Modified`). */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();

/** ISO 8601 with milliseconds, as S3's XML writes timestamps. */
export const isoDate = (ms: number): string => new Date(ms).toISOString();

/** Sends an XML answer. */
export function sendXml(
  call: S3Call,
  root: string,
  content: string,
  headers: Record<string, string> = {},
): void {
  const body = xmlDocument(root, content);
  call.res.writeHead(200, {
    ...headers,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
  });
  call.res.end(body);
}

/** Sends an empty answer. */
export function sendEmpty(call: S3Call, status: number, headers: Record<string, string> = {}): void {
  call.res.writeHead(status, { ...headers, 'content-length': 0 });
  call.res.end();
}

/** Reads a small request body (XML documents) whole, within `limit` bytes. */
export async function readSmallBody(call: S3Call, limit = 2 * 1024 * 1024): Promise<string> {
  const { requestBody } = await import('./body.ts');
  const body = requestBody(call.req, call.headers, call.caller, call.secrets);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.chunks) {
    size += chunk.length;
    if (size > limit) throw s3Error('MalformedXML');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
