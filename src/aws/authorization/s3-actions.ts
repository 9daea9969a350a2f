/**
 * S3 as IAM authorizes it (the Service Authorization Reference's "Actions defined by Amazon S3"):
 * bucket operations on `arn:aws:s3:::<bucket>`, object operations on `arn:aws:s3:::<bucket>/<key>`
 * (S3 ARNs name no region or account). ListObjects/ListObjectsV2 and HeadBucket are s3:ListBucket
 * with the s3:prefix, s3:delimiter and s3:max-keys keys; multipart uploads are s3:PutObject except
 * for listing and aborting; CopyObject also needs s3:GetObject on its source. S3 requests reach the
 * gateway as a raw route (src/s3/), which names the operation and calls `s3Checks`.
 */
import type { ActionCheck, Scope, ServiceActions } from './types.ts';

/** What the S3 route knows of a request when it is authorized (before its body is read). */
export interface S3Request {
  operation: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  /** `x-amz-copy-source`, decoded: `bucket/key`. */
  copySource?: { bucket: string; key: string };
}

/** The gateway's table entry: S3 has no gateway operations (it is a raw route), only its prefix. */
export const s3Actions: ServiceActions = { prefix: 's3', operations: {} };

const ACTION: Readonly<Record<string, string>> = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  DeleteBucket: 's3:DeleteBucket',
  HeadBucket: 's3:ListBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CopyObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  DeleteObject: 's3:DeleteObject',
  // Per key in AWS; Longshore checks the request once, on every key of the bucket (docs/s3.md).
  DeleteObjects: 's3:DeleteObject',
};

/** The S3 ARN of a bucket, or of an object in it. */
export const s3Arn = (scope: Scope, bucket: string, key?: string): string =>
  `arn:${scope.partition}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;

/** The checks one S3 request needs; empty for an operation Longshore does not serve. */
export function s3Checks(request: S3Request, scope: Scope): ActionCheck[] {
  const action = ACTION[request.operation];
  if (!action) return [];
  if (request.bucket === undefined) return [{ action, resources: [{ arn: '*' }] }];
  const isObject = request.key !== undefined || request.operation === 'DeleteObjects';
  const key = request.operation === 'DeleteObjects' ? '*' : request.key;
  const checks: ActionCheck[] = [];
  if (action === 's3:ListBucket') {
    const context: Record<string, string> = {};
    for (const [param, name] of [
      ['prefix', 's3:prefix'],
      ['delimiter', 's3:delimiter'],
      ['max-keys', 's3:max-keys'],
    ] as const) {
      const value = request.query.get(param);
      if (value !== null) context[name] = value;
    }
    checks.push({ action, resources: [{ arn: s3Arn(scope, request.bucket), context }] });
  } else {
    checks.push({ action, resources: [{ arn: s3Arn(scope, request.bucket, isObject ? key : undefined) }] });
  }
  if (request.operation === 'CopyObject' && request.copySource) {
    checks.push({
      action: 's3:GetObject',
      resources: [{ arn: s3Arn(scope, request.copySource.bucket, request.copySource.key) }],
    });
  }
  return checks;
}
