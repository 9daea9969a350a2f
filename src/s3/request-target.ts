/**
 * Which bucket and key a request addresses, and which S3 operation it is: path-style
 * (`/bucket/key`) unless the Host names the bucket (`bucket.s3.<anything>`, `bucket.localhost`,
 * `bucket.<a configured host>`: virtual-hosted-style). Pure; shared by the handler and the
 * authorization check.
 */

export interface S3Target {
  bucket?: string;
  /** Decoded; may hold slashes. */
  key?: string;
  style: 'path' | 'virtual';
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The bucket a Host header names, if it is virtual-hosted-style. */
export function virtualHostBucket(
  host: string | undefined,
  baseHosts: readonly string[],
): string | undefined {
  if (!host) return undefined;
  const hostname = host.startsWith('[') ? '' : host.replace(/:\d+$/, '').toLowerCase();
  if (!hostname || IPV4.test(hostname)) return undefined;
  const s3Style = /^(.+?)\.s3[.-]/.exec(hostname);
  if (s3Style) return s3Style[1];
  for (const base of ['localhost', ...baseHosts]) {
    const b = base.toLowerCase();
    if (!b || IPV4.test(b) || !hostname.endsWith(`.${b}`)) continue;
    const bucket = hostname.slice(0, -b.length - 1);
    if (bucket === 's3' || bucket.startsWith('s3.')) return undefined;
    return bucket;
  }
  return undefined;
}

/** The target of a request with `path` (percent-encoded, as sent). */
export function targetOf(host: string | undefined, path: string, baseHosts: readonly string[]): S3Target {
  const rest = path.startsWith('/') ? path.slice(1) : path;
  const bucket = virtualHostBucket(host, baseHosts);
  if (bucket !== undefined) return { bucket, ...(rest ? { key: decode(rest) } : {}), style: 'virtual' };
  if (!rest) return { style: 'path' };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest), style: 'path' };
  const key = rest.slice(slash + 1);
  return { bucket: decode(rest.slice(0, slash)), ...(key ? { key: decode(key) } : {}), style: 'path' };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The S3 operations Longshore serves. */
export const S3Operation = {
  ListBuckets: 'ListBuckets',
  CreateBucket: 'CreateBucket',
  HeadBucket: 'HeadBucket',
  DeleteBucket: 'DeleteBucket',
  GetBucketLocation: 'GetBucketLocation',
  ListObjects: 'ListObjects',
  ListObjectsV2: 'ListObjectsV2',
  DeleteObjects: 'DeleteObjects',
  ListMultipartUploads: 'ListMultipartUploads',
  PutObject: 'PutObject',
  CopyObject: 'CopyObject',
  GetObject: 'GetObject',
  HeadObject: 'HeadObject',
  DeleteObject: 'DeleteObject',
  CreateMultipartUpload: 'CreateMultipartUpload',
  UploadPart: 'UploadPart',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
  AbortMultipartUpload: 'AbortMultipartUpload',
  ListParts: 'ListParts',
} as const;
export type S3Operation = (typeof S3Operation)[keyof typeof S3Operation];

/** What a request is: one of ours, or one S3 has that Longshore does not (named for the error). */
export type Resolved =
  | { type: 'operation'; operation: S3Operation }
  | { type: 'unsupported'; name: string }
  | { type: 'method-not-allowed'; resource: 'SERVICE' | 'BUCKET' | 'OBJECT' };

/** Sub-resources S3 has on buckets and objects, by the operation family they name (for the error). */
const SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'versioning',
  'versions',
  'website',
  'renameObject',
];

/** The operation of `method` on `target` with `query` and `headers` (lower-case names). */
export function resolveOperation(
  method: string,
  target: S3Target,
  query: URLSearchParams,
  headers: Record<string, string>,
): Resolved {
  const op = (operation: S3Operation): Resolved => ({ type: 'operation', operation });
  const sub = SUBRESOURCES.find((s) => query.has(s));
  if (sub) return { type: 'unsupported', name: `${method} ?${sub}` };
  if (target.bucket === undefined) {
    return method === 'GET' ? op('ListBuckets') : { type: 'method-not-allowed', resource: 'SERVICE' };
  }
  if (target.key === undefined) {
    switch (method) {
      case 'PUT':
        return op('CreateBucket');
      case 'HEAD':
        return op('HeadBucket');
      case 'DELETE':
        return op('DeleteBucket');
      case 'POST':
        return query.has('delete') ? op('DeleteObjects') : { type: 'method-not-allowed', resource: 'BUCKET' };
      case 'GET':
        if (query.has('location')) return op('GetBucketLocation');
        if (query.has('uploads')) return op('ListMultipartUploads');
        return query.get('list-type') === '2' ? op('ListObjectsV2') : op('ListObjects');
      default:
        return { type: 'method-not-allowed', resource: 'BUCKET' };
    }
  }
  const upload = query.has('uploadId');
  switch (method) {
    case 'PUT':
      if (upload || query.has('partNumber')) {
        return headers['x-amz-copy-source']
          ? { type: 'unsupported', name: 'UploadPartCopy' }
          : op('UploadPart');
      }
      return headers['x-amz-copy-source'] ? op('CopyObject') : op('PutObject');
    case 'GET':
      return upload ? op('ListParts') : op('GetObject');
    case 'HEAD':
      return op('HeadObject');
    case 'DELETE':
      return upload ? op('AbortMultipartUpload') : op('DeleteObject');
    case 'POST':
      if (query.has('uploads')) return op('CreateMultipartUpload');
      if (upload) return op('CompleteMultipartUpload');
      return { type: 'method-not-allowed', resource: 'OBJECT' };
    default:
      return { type: 'method-not-allowed', resource: 'OBJECT' };
  }
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=...]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string } | undefined {
  const [path] = value.split('?');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    return undefined;
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) return undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}
