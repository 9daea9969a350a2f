/**
 * PutObject, CopyObject, DeleteObject and DeleteObjects. A new object's content is a durable file
 * before its record is committed (blob-store.ts); the record replaces the old one in one
 * transaction, and the old content is unlinked after the commit. Conditional writes
 * (If-None-Match: *, If-Match) are checked in that transaction.
 */
import { createHash } from 'node:crypto';
import { link, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Tx } from '../store/store.ts';
import { Kind } from '../store/store.ts';
import { requestBody } from './body.ts';
import {
  bucketOf,
  isoDate,
  keyOf,
  readSmallBody,
  type S3Call,
  sendEmpty,
  sendXml,
  storedHeadersFrom,
} from './call.ts';
import { noSuchBucket, noSuchKey, s3Error } from './model/errors.ts';
import { checkKey } from './model/names.ts';
import { objectKey, type ObjectRecord, type S3Context } from './model/records.ts';
import { checkConditions, objectOf } from './objects-read.ts';
import { parseCopySource } from './request-target.ts';
import { childrenNamed, child, parseXml, tag, text } from './xml.ts';

/** S3's single-PUT limit: 5 GiB. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** Conditional-write headers of a PUT, checked against the object the commit replaces. */
function checkWriteConditions(
  headers: Record<string, string>,
  key: string,
  existing: ObjectRecord | undefined,
): void {
  const ifNoneMatch = headers['if-none-match'];
  if (
    ifNoneMatch !== undefined &&
    existing &&
    (ifNoneMatch.trim() === '*' || ifNoneMatch.includes(`"${existing.etag}"`))
  ) {
    throw s3Error('PreconditionFailed', { Condition: 'If-None-Match' });
  }
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!existing) throw noSuchKey(key);
    const tags = ifMatch.split(',').map((t) => t.trim());
    if (!tags.includes(`"${existing.etag}"`) && !tags.includes(existing.etag) && !tags.includes('*')) {
      throw s3Error('PreconditionFailed', { Condition: 'If-Match' });
    }
  }
}

/**
 * Commits `record` (its blob already durable); the blob is removed when the commit fails, the
 * replaced object's after it succeeds.
 */
export async function commitObject(
  ctx: S3Context,
  record: ObjectRecord,
  check?: (tx: Tx, existing: ObjectRecord | undefined) => Promise<void> | void,
): Promise<void> {
  let replaced: string | undefined;
  try {
    await ctx.store.transact(async (tx) => {
      if (!(await tx.get(Kind.S3Bucket, record.bucket))) throw noSuchBucket(record.bucket);
      const existing = await tx.get<ObjectRecord>(Kind.S3Object, objectKey(record.bucket, record.key));
      await check?.(tx, existing?.value);
      await tx.put(Kind.S3Object, objectKey(record.bucket, record.key), record);
      replaced = existing?.value.blob;
    });
  } catch (error) {
    await ctx.blobs.remove([record.blob]);
    throw error;
  }
  if (replaced && replaced !== record.blob) await ctx.blobs.remove([replaced]);
}

/** The headers PUT-like answers carry for a stored object. */
export function writeAnswerHeaders(
  record: Pick<ObjectRecord, 'etag' | 'checksum' | 'size'>,
): Record<string, string> {
  const out: Record<string, string> = { etag: `"${record.etag}"` };
  if (record.checksum) {
    out[`x-amz-checksum-${record.checksum.algorithm.toLowerCase()}`] = record.checksum.value;
    out['x-amz-checksum-type'] = record.checksum.type;
  }
  return out;
}

export async function putObject(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const key = keyOf(call);
  checkKey(key);
  const stored = storedHeadersFrom(call.headers);
  const declaredLength = call.headers['content-length'];
  const chunked = /^STREAMING-/.test(call.headers['x-amz-content-sha256'] ?? '');
  if (declaredLength === undefined && !chunked) throw s3Error('MissingContentLength');
  const size = Number(call.headers['x-amz-decoded-content-length'] ?? declaredLength ?? 0);
  if (size > MAX_PUT_BYTES) {
    throw s3Error('EntityTooLarge', { ProposedSize: size, MaxSizeAllowed: MAX_PUT_BYTES });
  }
  // A write that cannot succeed fails before its body is stored.
  if (call.headers['if-none-match'] !== undefined || call.headers['if-match'] !== undefined) {
    const existing = await call.ctx.store.get<ObjectRecord>(Kind.S3Object, objectKey(bucket.name, key));
    checkWriteConditions(call.headers, key, existing?.value);
  }
  const body = requestBody(call.req, call.headers, call.caller, call.secrets);
  const blob = await call.ctx.blobs.write(body.chunks);
  const facts = body.facts();
  const record: ObjectRecord = {
    ...stored,
    bucket: bucket.name,
    key,
    blob: blob.id,
    size: facts.size,
    etag: facts.md5,
    lastModified: call.now,
    ...(facts.checksum ? { checksum: facts.checksum } : {}),
  };
  await commitObject(call.ctx, record, (_tx, existing) => checkWriteConditions(call.headers, key, existing));
  sendEmpty(call, 200, writeAnswerHeaders(record));
}

export async function copyObject(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const key = keyOf(call);
  checkKey(key);
  const source = parseCopySource(call.headers['x-amz-copy-source'] ?? '');
  if (!source) {
    throw s3Error('InvalidArgument', { ArgumentName: 'x-amz-copy-source' }, 'Invalid copy source object key');
  }
  if (!(await call.ctx.store.get(Kind.S3Bucket, source.bucket))) throw noSuchBucket(source.bucket);
  const from = await objectOf(call, source.bucket, source.key);
  checkConditions(
    {
      ...(call.headers['x-amz-copy-source-if-match']
        ? { 'if-match': call.headers['x-amz-copy-source-if-match'] }
        : {}),
      ...(call.headers['x-amz-copy-source-if-none-match']
        ? { 'if-none-match': call.headers['x-amz-copy-source-if-none-match'] }
        : {}),
      ...(call.headers['x-amz-copy-source-if-modified-since']
        ? { 'if-modified-since': call.headers['x-amz-copy-source-if-modified-since'] }
        : {}),
      ...(call.headers['x-amz-copy-source-if-unmodified-since']
        ? { 'if-unmodified-since': call.headers['x-amz-copy-source-if-unmodified-since'] }
        : {}),
    },
    from,
  );
  const replace = (call.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
  if (source.bucket === bucket.name && source.key === key && !replace) {
    throw s3Error(
      'InvalidRequest',
      undefined,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  // The copy shares the source's bytes: a hard link under a new id (content files never change).
  const id = call.ctx.rng.hex(16);
  await call.ctx.blobs.ready();
  await mkdir(dirname(call.ctx.blobs.path(id)), { recursive: true });
  await link(call.ctx.blobs.path(from.blob), call.ctx.blobs.path(id)).catch(
    (error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? noSuchKey(source.key) : error;
    },
  );
  let etag = from.etag;
  if (from.parts) {
    const md5 = createHash('md5');
    for await (const chunk of await call.ctx.blobs.read(id)) md5.update(chunk as Buffer);
    etag = md5.digest('hex');
  }
  const headers = replace
    ? storedHeadersFrom(call.headers)
    : {
        contentType: from.contentType,
        metadata: from.metadata,
        ...(from.cacheControl ? { cacheControl: from.cacheControl } : {}),
        ...(from.contentDisposition ? { contentDisposition: from.contentDisposition } : {}),
        ...(from.contentEncoding ? { contentEncoding: from.contentEncoding } : {}),
        ...(from.contentLanguage ? { contentLanguage: from.contentLanguage } : {}),
        ...(from.expires ? { expires: from.expires } : {}),
      };
  const record: ObjectRecord = {
    ...headers,
    bucket: bucket.name,
    key,
    blob: id,
    size: from.size,
    etag,
    lastModified: call.now,
    ...(from.checksum?.type === 'FULL_OBJECT' ? { checksum: from.checksum } : {}),
  };
  await commitObject(call.ctx, record);
  const checksum = record.checksum
    ? text(`Checksum${record.checksum.algorithm}`, record.checksum.value) +
      text('ChecksumType', record.checksum.type)
    : '';
  sendXml(
    call,
    'CopyObjectResult',
    text('ETag', `"${etag}"`) + text('LastModified', isoDate(call.now)) + checksum,
    {
      'x-amz-copy-source-version-id': 'null',
    },
  );
}

export async function deleteObject(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const key = keyOf(call);
  const removed = await removeObjects(call.ctx, bucket.name, [key]);
  await call.ctx.blobs.remove(removed);
  sendEmpty(call, 204);
}

/** Removes the objects of `keys` in one transaction; returns their content ids (unlink after). */
async function removeObjects(ctx: S3Context, bucket: string, keys: readonly string[]): Promise<string[]> {
  return ctx.store.transact(async (tx) => {
    const blobs: string[] = [];
    for (const key of keys) {
      const existing = await tx.get<ObjectRecord>(Kind.S3Object, objectKey(bucket, key));
      if (!existing) continue;
      await tx.remove(Kind.S3Object, objectKey(bucket, key));
      blobs.push(existing.value.blob);
    }
    return blobs;
  });
}

export async function deleteObjects(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const doc = parseXml(await readSmallBody(call));
  if (doc.name !== 'Delete') throw s3Error('MalformedXML');
  const quiet = child(doc, 'Quiet')?.text.trim().toLowerCase() === 'true';
  const objects = childrenNamed(doc, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw s3Error('MalformedXML');
  const keys: string[] = [];
  const errors: string[] = [];
  for (const object of objects) {
    const key = child(object, 'Key')?.text;
    if (key === undefined) throw s3Error('MalformedXML');
    if (Buffer.byteLength(key) > 1024) {
      errors.push(
        tag(
          'Error',
          text('Key', key) + text('Code', 'KeyTooLongError') + text('Message', 'Your key is too long'),
        ),
      );
      continue;
    }
    keys.push(key);
  }
  const removed = await removeObjects(call.ctx, bucket.name, keys);
  await call.ctx.blobs.remove(removed);
  const deleted = quiet ? '' : keys.map((k) => tag('Deleted', text('Key', k))).join('');
  sendXml(call, 'DeleteResult', deleted + errors.join(''));
}
