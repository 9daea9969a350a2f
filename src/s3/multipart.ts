/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts, ListMultipartUploads. Each part is a content file and a record
 * of its own (parallel parts never conflict); Complete checks the list (ascending, every part
 * uploaded with that ETag, all but the last at least 5 MiB), concatenates the parts into one new
 * file, and commits the object while removing the upload in one transaction. The ETag is S3's
 * multipart form: hex MD5 of the parts' binary MD5s, `-<count>`. A checksum algorithm named at
 * creation gives the object a FULL_OBJECT checksum (CRC64NVME always; the others with
 * `x-amz-checksum-type: FULL_OBJECT`) or a COMPOSITE one (the checksum of the parts' checksums,
 * `-<count>`).
 */
import { createHash } from 'node:crypto';
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
import { algorithmOf, newHasher } from './model/checksums.ts';
import { s3Error } from './model/errors.ts';
import { checkKey } from './model/names.ts';
import {
  type ObjectRecord,
  type PartRecord,
  partKey,
  type StoredChecksum,
  type UploadRecord,
  uploadKey,
} from './model/records.ts';
import { commitObject, writeAnswerHeaders } from './objects-write.ts';
import { child, childrenNamed, parseXml, tag, text } from './xml.ts';

/** Every part but the last must be at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;

const noSuchUpload = (uploadId: string) => s3Error('NoSuchUpload', { UploadId: uploadId });

async function uploadOf(call: S3Call, bucket: string): Promise<UploadRecord> {
  const uploadId = call.query.get('uploadId') ?? '';
  const found = await call.ctx.store.get<UploadRecord>(Kind.S3Upload, uploadKey(bucket, uploadId));
  if (!found || found.value.key !== keyOf(call)) throw noSuchUpload(uploadId);
  return found.value;
}

const owner = (call: S3Call) => text('ID', call.ctx.accountId) + text('DisplayName', 'longshore');

export async function createMultipartUpload(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const key = keyOf(call);
  checkKey(key);
  const named = call.headers['x-amz-checksum-algorithm'];
  const algorithm = named ? algorithmOf(named) : undefined;
  if (named && !algorithm) {
    throw s3Error(
      'InvalidRequest',
      undefined,
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  }
  const typeHeader = call.headers['x-amz-checksum-type']?.toUpperCase();
  if (typeHeader !== undefined && typeHeader !== 'FULL_OBJECT' && typeHeader !== 'COMPOSITE') {
    throw s3Error('InvalidRequest', undefined, 'Value for x-amz-checksum-type header is invalid.');
  }
  const checksumType = algorithm
    ? ((typeHeader ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE')) as
        | 'FULL_OBJECT'
        | 'COMPOSITE')
    : undefined;
  if (checksumType === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
    throw s3Error(
      'InvalidRequest',
      undefined,
      `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  }
  if (checksumType === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    throw s3Error(
      'InvalidRequest',
      undefined,
      'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
    );
  }
  const uploadId = call.ctx.rng.hex(32);
  const record: UploadRecord = {
    ...storedHeadersFrom(call.headers),
    bucket: bucket.name,
    key,
    uploadId,
    initiated: call.now,
    ...(algorithm ? { checksumAlgorithm: algorithm, checksumType } : {}),
  };
  await call.ctx.store.transact((tx) =>
    tx.put(Kind.S3Upload, uploadKey(bucket.name, uploadId), record, 'absent'),
  );
  const headers: Record<string, string> = {};
  if (algorithm) {
    headers['x-amz-checksum-algorithm'] = algorithm;
    headers['x-amz-checksum-type'] = checksumType ?? 'COMPOSITE';
  }
  sendXml(
    call,
    'InitiateMultipartUploadResult',
    text('Bucket', bucket.name) + text('Key', key) + text('UploadId', uploadId),
    headers,
  );
}

function partNumberOf(call: S3Call): number {
  const raw = call.query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PARTS) {
    throw s3Error(
      'InvalidArgument',
      { ArgumentName: 'partNumber', ArgumentValue: raw },
      'Part number must be an integer between 1 and 10000, inclusive',
    );
  }
  return n;
}

export async function uploadPart(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const upload = await uploadOf(call, bucket.name);
  const partNumber = partNumberOf(call);
  const chunked = /^STREAMING-/.test(call.headers['x-amz-content-sha256'] ?? '');
  if (call.headers['content-length'] === undefined && !chunked) throw s3Error('MissingContentLength');
  const size = Number(call.headers['x-amz-decoded-content-length'] ?? call.headers['content-length'] ?? 0);
  if (size > MAX_PART_BYTES)
    throw s3Error('EntityTooLarge', { ProposedSize: size, MaxSizeAllowed: MAX_PART_BYTES });
  const body = requestBody(call.req, call.headers, call.caller, call.secrets, upload.checksumAlgorithm);
  const blob = await call.ctx.blobs.write(body.chunks);
  const facts = body.facts();
  const part: PartRecord = {
    uploadId: upload.uploadId,
    partNumber,
    blob: blob.id,
    size: facts.size,
    etag: facts.md5,
    lastModified: call.now,
    ...(facts.checksum ? { checksum: { ...facts.checksum, type: upload.checksumType ?? 'COMPOSITE' } } : {}),
  };
  let replaced: string | undefined;
  try {
    await call.ctx.store.transact(async (tx) => {
      if (!(await tx.get(Kind.S3Upload, uploadKey(bucket.name, upload.uploadId))))
        throw noSuchUpload(upload.uploadId);
      const key = partKey(bucket.name, upload.uploadId, partNumber);
      replaced = (await tx.get<PartRecord>(Kind.S3Part, key))?.value.blob;
      await tx.put(Kind.S3Part, key, part);
    });
  } catch (error) {
    await call.ctx.blobs.remove([blob.id]);
    throw error;
  }
  if (replaced) await call.ctx.blobs.remove([replaced]);
  sendEmpty(call, 200, writeAnswerHeaders(part));
}

/** The parts a CompleteMultipartUpload body lists, in its order. */
function listedParts(body: string): { partNumber: number; etag: string; checksums: Map<string, string> }[] {
  const doc = parseXml(body);
  if (doc.name !== 'CompleteMultipartUpload') throw s3Error('MalformedXML');
  const parts = childrenNamed(doc, 'Part').map((p) => {
    const number = Number(child(p, 'PartNumber')?.text.trim());
    const etag = child(p, 'ETag')?.text.trim();
    if (!Number.isInteger(number) || etag === undefined) throw s3Error('MalformedXML');
    const checksums = new Map<string, string>();
    for (const c of p.children)
      if (c.name.startsWith('Checksum'))
        checksums.set(c.name.slice('Checksum'.length).toUpperCase(), c.text.trim());
    return { partNumber: number, etag: etag.replace(/^"|"$/g, ''), checksums };
  });
  if (parts.length === 0) throw s3Error('MalformedXML');
  return parts;
}

export async function completeMultipartUpload(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const upload = await uploadOf(call, bucket.name);
  const listed = listedParts(await readSmallBody(call, 10 * 1024 * 1024));
  const stored = new Map(
    (
      await call.ctx.store.list<PartRecord>(Kind.S3Part, {
        prefix: `${uploadKey(bucket.name, upload.uploadId)}/`,
      })
    ).map((r) => [r.value.partNumber, r.value]),
  );
  const parts: PartRecord[] = [];
  for (const [i, want] of listed.entries()) {
    if (i > 0 && want.partNumber <= listed[i - 1].partNumber)
      throw s3Error('InvalidPartOrder', { UploadId: upload.uploadId });
    const part = stored.get(want.partNumber);
    if (!part || part.etag !== want.etag) {
      throw s3Error('InvalidPart', {
        UploadId: upload.uploadId,
        PartNumber: want.partNumber,
        ETag: want.etag,
      });
    }
    const given = upload.checksumAlgorithm ? want.checksums.get(upload.checksumAlgorithm) : undefined;
    if (given !== undefined && part.checksum && given !== part.checksum.value) {
      throw s3Error('InvalidPart', {
        UploadId: upload.uploadId,
        PartNumber: want.partNumber,
        ETag: want.etag,
      });
    }
    parts.push(part);
  }
  for (const [i, part] of parts.entries()) {
    if (i < parts.length - 1 && part.size < MIN_PART_BYTES) {
      throw s3Error('EntityTooSmall', {
        ProposedSize: part.size,
        MinSizeAllowed: MIN_PART_BYTES,
        PartNumber: part.partNumber,
        ETag: `"${part.etag}"`,
      });
    }
  }
  const algorithm = upload.checksumAlgorithm;
  const full = algorithm && upload.checksumType === 'FULL_OBJECT' ? newHasher(algorithm) : undefined;
  const blobs = call.ctx.blobs;
  const blob = await blobs.write(
    (async function* () {
      for (const part of parts) {
        for await (const chunk of await blobs.read(part.blob)) {
          full?.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      }
    })(),
  );
  const etag = `${createHash('md5')
    .update(Buffer.concat(parts.map((p) => Buffer.from(p.etag, 'hex'))))
    .digest('hex')}-${parts.length}`;
  let checksum: StoredChecksum | undefined;
  if (algorithm && full) checksum = { algorithm, value: full.digest(), type: 'FULL_OBJECT' };
  else if (algorithm && parts.every((p) => p.checksum?.algorithm === algorithm)) {
    const composite = newHasher(algorithm);
    for (const p of parts) composite.update(Buffer.from(p.checksum!.value, 'base64'));
    checksum = { algorithm, value: `${composite.digest()}-${parts.length}`, type: 'COMPOSITE' };
  }
  const {
    bucket: _b,
    key: _k,
    uploadId: _u,
    initiated: _i,
    checksumAlgorithm: _a,
    checksumType: _t,
    ...headers
  } = upload;
  const record: ObjectRecord = {
    ...headers,
    bucket: bucket.name,
    key: upload.key,
    blob: blob.id,
    size: parts.reduce((n, p) => n + p.size, 0),
    etag,
    lastModified: call.now,
    parts: parts.length,
    ...(checksum ? { checksum } : {}),
  };
  const partBlobs: string[] = [];
  await commitObject(call.ctx, record, async (tx) => {
    const id = uploadKey(bucket.name, upload.uploadId);
    if (!(await tx.remove(Kind.S3Upload, id))) throw noSuchUpload(upload.uploadId);
    partBlobs.length = 0;
    for (const p of await tx.list<PartRecord>(Kind.S3Part, { prefix: `${id}/` })) {
      await tx.remove(Kind.S3Part, p.key);
      partBlobs.push(p.value.blob);
    }
  });
  await blobs.remove(partBlobs);
  const host = call.headers.host ?? 'localhost';
  const location = `http://${host}/${bucket.name}/${encodeURIComponent(upload.key).replace(/%2F/g, '/')}`;
  const checksumXml = checksum
    ? text(`Checksum${checksum.algorithm}`, checksum.value) + text('ChecksumType', checksum.type)
    : '';
  sendXml(
    call,
    'CompleteMultipartUploadResult',
    text('Location', location) +
      text('Bucket', bucket.name) +
      text('Key', upload.key) +
      text('ETag', `"${etag}"`) +
      checksumXml,
  );
}

export async function abortMultipartUpload(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const upload = await uploadOf(call, bucket.name);
  const id = uploadKey(bucket.name, upload.uploadId);
  const blobs = await call.ctx.store.transact(async (tx) => {
    if (!(await tx.remove(Kind.S3Upload, id))) throw noSuchUpload(upload.uploadId);
    const out: string[] = [];
    for (const p of await tx.list<PartRecord>(Kind.S3Part, { prefix: `${id}/` })) {
      await tx.remove(Kind.S3Part, p.key);
      out.push(p.value.blob);
    }
    return out;
  });
  await call.ctx.blobs.remove(blobs);
  sendEmpty(call, 204);
}

function boundedInt(call: S3Call, name: string, fallback: number, max: number): number {
  const raw = call.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) {
    throw s3Error(
      'InvalidArgument',
      { ArgumentName: name, ArgumentValue: raw },
      `Provided ${name} not an integer or within integer range`,
    );
  }
  return Math.min(Number(raw), max);
}

export async function listParts(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const upload = await uploadOf(call, bucket.name);
  const maxParts = boundedInt(call, 'max-parts', 1000, 1000);
  const marker = boundedInt(call, 'part-number-marker', 0, MAX_PARTS);
  const all = (
    await call.ctx.store.list<PartRecord>(Kind.S3Part, {
      prefix: `${uploadKey(bucket.name, upload.uploadId)}/`,
    })
  )
    .map((r) => r.value)
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const parts = page
    .map((p) =>
      tag(
        'Part',
        text('PartNumber', p.partNumber) +
          text('LastModified', isoDate(p.lastModified)) +
          text('ETag', `"${p.etag}"`) +
          (p.checksum ? text(`Checksum${p.checksum.algorithm}`, p.checksum.value) : '') +
          text('Size', p.size),
      ),
    )
    .join('');
  sendXml(
    call,
    'ListPartsResult',
    text('Bucket', bucket.name) +
      text('Key', upload.key) +
      text('UploadId', upload.uploadId) +
      text('PartNumberMarker', marker) +
      (truncated ? text('NextPartNumberMarker', page[page.length - 1].partNumber) : '') +
      text('MaxParts', maxParts) +
      text('IsTruncated', truncated) +
      parts +
      tag('Initiator', owner(call)) +
      tag('Owner', owner(call)) +
      text('StorageClass', 'STANDARD') +
      (upload.checksumAlgorithm
        ? text('ChecksumAlgorithm', upload.checksumAlgorithm) + text('ChecksumType', upload.checksumType)
        : ''),
  );
}

export async function listMultipartUploads(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  const prefix = call.query.get('prefix') ?? '';
  const keyMarker = call.query.get('key-marker') ?? '';
  const uploadIdMarker = call.query.get('upload-id-marker') ?? '';
  const maxUploads = boundedInt(call, 'max-uploads', 1000, 1000);
  const all = (await call.ctx.store.list<UploadRecord>(Kind.S3Upload, { prefix: `${bucket.name}/` }))
    .map((r) => r.value)
    .filter((u) => u.key.startsWith(prefix))
    .filter(
      (u) =>
        !keyMarker ||
        u.key > keyMarker ||
        (u.key === keyMarker && uploadIdMarker !== '' && u.uploadId > uploadIdMarker),
    )
    .sort((a, b) =>
      a.key === b.key ? a.initiated - b.initiated : Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)),
    );
  const page = all.slice(0, maxUploads);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  const uploads = page
    .map((u) =>
      tag(
        'Upload',
        text('Key', u.key) +
          text('UploadId', u.uploadId) +
          tag('Initiator', owner(call)) +
          tag('Owner', owner(call)) +
          text('StorageClass', 'STANDARD') +
          text('Initiated', isoDate(u.initiated)) +
          (u.checksumAlgorithm
            ? text('ChecksumAlgorithm', u.checksumAlgorithm) + text('ChecksumType', u.checksumType)
            : ''),
      ),
    )
    .join('');
  sendXml(
    call,
    'ListMultipartUploadsResult',
    text('Bucket', bucket.name) +
      text('KeyMarker', keyMarker) +
      text('UploadIdMarker', uploadIdMarker) +
      (truncated ? text('NextKeyMarker', last.key) + text('NextUploadIdMarker', last.uploadId) : '') +
      text('MaxUploads', maxUploads) +
      text('IsTruncated', truncated) +
      uploads +
      (prefix ? text('Prefix', prefix) : ''),
  );
}
