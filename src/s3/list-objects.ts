/**
 * ListObjectsV2 and ListObjects (v1): keys in UTF-8 byte order under `prefix`, after
 * `start-after` / the continuation token / `marker`, rolled up into CommonPrefixes at the first
 * `delimiter` after the prefix, at most `max-keys` (default and cap 1,000) entries, keys and
 * prefixes counted alike. `encoding-type=url` URL-encodes the names in the answer (the CLI asks
 * for it). The continuation token is opaque: base64url of the last name returned.
 */
import { Kind } from '../store/store.ts';
import { bucketOf, isoDate, type S3Call, sendXml } from './call.ts';
import { s3Error } from './model/errors.ts';
import type { ObjectRecord } from './model/records.ts';
import { tag, text } from './xml.ts';

const MAX_KEYS = 1000;

/** Byte order of UTF-8, which S3 lists in (JavaScript compares UTF-16 code units). */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface Page {
  objects: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last name returned (key or common prefix). */
  last?: string;
}

/** One page of a listing (pure over the bucket's records, sorted here). */
export function listPage(
  records: readonly ObjectRecord[],
  options: { prefix: string; delimiter: string; after: string; maxKeys: number },
): Page {
  const { prefix, delimiter, after, maxKeys } = options;
  const sorted = records.filter((r) => r.key.startsWith(prefix)).sort((a, b) => compareKeys(a.key, b.key));
  const page: Page = { objects: [], prefixes: [], truncated: false };
  let count = 0;
  for (const object of sorted) {
    if (after && compareKeys(object.key, after) <= 0) continue;
    let name = object.key;
    let isPrefix = false;
    if (delimiter) {
      const at = object.key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        name = object.key.slice(0, at + delimiter.length);
        isPrefix = true;
        // Every key under a prefix this page already returned is skipped (an earlier page's: the
        // token resumes past them).
        if (name === page.prefixes[page.prefixes.length - 1]) continue;
      }
    }
    if (count >= maxKeys) {
      page.truncated = true;
      break;
    }
    if (isPrefix) page.prefixes.push(name);
    else page.objects.push(object);
    page.last = name;
    count++;
  }
  return page;
}

/** The name after which a page ends: for a common prefix, past every key under it. */
function resumeAfter(last: string, delimiter: string): string {
  return delimiter && last.endsWith(delimiter) ? `${last}\u{10FFFF}` : last;
}

function maxKeysOf(call: S3Call): number {
  const raw = call.query.get('max-keys');
  if (raw === null) return MAX_KEYS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw s3Error(
      'InvalidArgument',
      { ArgumentName: 'max-keys', ArgumentValue: raw },
      'Provided max-keys not an integer or within integer range',
    );
  }
  return Math.min(n, MAX_KEYS);
}

export async function listObjects(call: S3Call, v2: boolean): Promise<void> {
  const bucket = await bucketOf(call);
  const prefix = call.query.get('prefix') ?? '';
  const delimiter = call.query.get('delimiter') ?? '';
  const encodingType = call.query.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') {
    throw s3Error(
      'InvalidArgument',
      { ArgumentName: 'encoding-type', ArgumentValue: encodingType },
      'Invalid Encoding Method specified in Request',
    );
  }
  const encode = (s: string) => (encodingType === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const maxKeys = maxKeysOf(call);
  let after = '';
  const token = call.query.get('continuation-token');
  const startAfter = call.query.get('start-after') ?? '';
  const marker = call.query.get('marker') ?? '';
  if (v2 && token !== null) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!token || !decoded.startsWith('1:')) {
      throw s3Error(
        'InvalidArgument',
        { ArgumentName: 'continuation-token', ArgumentValue: token },
        'The continuation token provided is incorrect',
      );
    }
    after = decoded.slice(2);
  } else after = v2 ? startAfter : marker;
  const records = (await call.ctx.store.list<ObjectRecord>(Kind.S3Object, { prefix: `${bucket.name}/` })).map(
    (r) => r.value,
  );
  const page =
    maxKeys === 0
      ? { objects: [], prefixes: [], truncated: false }
      : listPage(records, {
          prefix,
          delimiter,
          after:
            after && delimiter && after.endsWith(delimiter) && !v2 ? resumeAfter(after, delimiter) : after,
          maxKeys,
        });
  const contents = page.objects
    .map((o) =>
      tag(
        'Contents',
        text('Key', encode(o.key)) +
          text('LastModified', isoDate(o.lastModified)) +
          text('ETag', `"${o.etag}"`) +
          (o.checksum
            ? text('ChecksumAlgorithm', o.checksum.algorithm) + text('ChecksumType', o.checksum.type)
            : '') +
          text('Size', o.size) +
          (v2 && call.query.get('fetch-owner') !== 'true'
            ? ''
            : tag('Owner', text('ID', call.ctx.accountId) + text('DisplayName', 'longshore'))) +
          text('StorageClass', 'STANDARD'),
      ),
    )
    .join('');
  const prefixes = page.prefixes.map((p) => tag('CommonPrefixes', text('Prefix', encode(p)))).join('');
  let head = text('Name', bucket.name) + text('Prefix', encode(prefix));
  if (v2) {
    if (token !== null) head += text('ContinuationToken', token);
    if (startAfter) head += text('StartAfter', encode(startAfter));
    head += text('KeyCount', page.objects.length + page.prefixes.length);
  } else head += text('Marker', encode(marker));
  head += text('MaxKeys', maxKeys);
  if (delimiter) head += text('Delimiter', encode(delimiter));
  if (encodingType) head += text('EncodingType', encodingType);
  head += text('IsTruncated', page.truncated);
  if (page.truncated && page.last !== undefined) {
    if (v2) {
      const next = resumeAfter(page.last, delimiter);
      head += text('NextContinuationToken', Buffer.from(`1:${next}`).toString('base64url'));
    } else if (delimiter) head += text('NextMarker', encode(page.last));
  }
  sendXml(call, 'ListBucketResult', head + contents + prefixes);
}
