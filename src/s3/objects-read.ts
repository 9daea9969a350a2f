/**
 * GetObject and HeadObject: conditional requests (If-Match, If-None-Match, If-Modified-Since,
 * If-Unmodified-Since, with the precedence RFC 7232 and the S3 docs give), one byte range (206 with
 * Content-Range; 416 InvalidRange past the end; a malformed or multi-range header is ignored, as S3
 * does), `response-*` overrides, and the stored checksum when `x-amz-checksum-mode: ENABLED` asks
 * for it on a whole-object read.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kind } from '../store/store.ts';
import { bucketOf, keyOf, objectHeaders, type S3Call } from './call.ts';
import { noSuchKey, s3Error } from './model/errors.ts';
import { objectKey, type ObjectRecord } from './model/records.ts';

/** The object's record; NoSuchKey when absent. */
export async function objectOf(call: S3Call, bucket: string, key: string): Promise<ObjectRecord> {
  const found = await call.ctx.store.get<ObjectRecord>(Kind.S3Object, objectKey(bucket, key));
  if (!found) throw noSuchKey(key);
  return found.value;
}

const etagMatches = (header: string, etag: string): boolean =>
  header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === `"${etag}"` || t === etag);

const parseDate = (value: string | undefined): number | undefined => {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/** Throws PreconditionFailed (412) or NotModified (304) when the request's conditions say so. */
export function checkConditions(headers: Record<string, string>, object: ObjectRecord): void {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  // Last-Modified has second precision on the wire.
  const modified = Math.floor(object.lastModified / 1000) * 1000;
  const ifUnmodifiedSince = parseDate(headers['if-unmodified-since']);
  const ifModifiedSince = parseDate(headers['if-modified-since']);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, object.etag)) throw s3Error('PreconditionFailed', { Condition: 'If-Match' });
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw s3Error('PreconditionFailed', { Condition: 'If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, object.etag)) throw s3Error('NotModified');
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    throw s3Error('NotModified');
  }
}

/** One byte range `[start, end]` (inclusive) of an object of `size`; undefined: the whole object. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw invalidRange(header, size);
  return { start, end };
}

const invalidRange = (header: string, size: number) =>
  s3Error('InvalidRange', { RangeRequested: header, ActualObjectSize: size });

/** `response-content-type` ... query overrides of GET's headers. */
const OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export async function getObject(call: S3Call, head = false): Promise<void> {
  const bucket = await bucketOf(call);
  const key = keyOf(call);
  for (let attempt = 0; ; attempt++) {
    const object = await objectOf(call, bucket.name, key);
    checkConditions(call.headers, object);
    const partNumber = call.query.get('partNumber');
    if (partNumber !== null && partNumber !== '1') {
      throw s3Error('InvalidPartNumber');
    }
    const range = parseRange(call.headers.range, object.size);
    const whole = range === undefined || (range.start === 0 && range.end === object.size - 1);
    const headers = objectHeaders(
      object,
      whole && call.headers['x-amz-checksum-mode']?.toUpperCase() === 'ENABLED',
    );
    for (const [param, header] of Object.entries(OVERRIDES)) {
      const value = call.query.get(param);
      if (value !== null) headers[header] = value;
    }
    const length = range ? range.end - range.start + 1 : object.size;
    headers['content-length'] = String(length);
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
    if (head) {
      call.res.writeHead(range ? 206 : 200, headers);
      call.res.end();
      return;
    }
    if (length === 0) {
      call.res.writeHead(200, headers);
      call.res.end();
      return;
    }
    let stream: Readable;
    try {
      stream = await call.ctx.blobs.read(object.blob, range?.start ?? 0, range?.end ?? object.size - 1);
    } catch (error) {
      // Replaced between the record read and the open: read the record again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 3) continue;
      throw error;
    }
    call.res.writeHead(range ? 206 : 200, headers);
    await pipeline(stream, call.res);
    return;
  }
}

export const headObject = (call: S3Call): Promise<void> => getObject(call, true);
