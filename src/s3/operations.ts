/** The S3 operations Longshore serves, by name (the API coverage doc lists them against the model). */
import type { S3Call } from './call.ts';
import type { S3Operation } from './request-target.ts';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.ts';
import { listObjects } from './list-objects.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from './multipart.ts';
import { getObject, headObject } from './objects-read.ts';
import { copyObject, deleteObject, deleteObjects, putObject } from './objects-write.ts';

export const operations: Readonly<Record<S3Operation, (call: S3Call) => Promise<void>>> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: (call) => listObjects(call, false),
  ListObjectsV2: (call) => listObjects(call, true),
  DeleteObjects: deleteObjects,
  ListMultipartUploads: listMultipartUploads,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
};
