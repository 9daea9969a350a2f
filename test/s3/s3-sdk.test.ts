/**
 * S3 through @aws-sdk/client-s3 against the in-process control plane: buckets, objects (path-style
 * and virtual-hosted-style), streamed uploads (aws-chunked with a CRC32 trailer), checksums,
 * ranges, conditional requests, listing, copies, multipart uploads and S3's errors.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  type BucketLocationConstraint,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

let t: TestPlane;
let s3: S3Client;
const clients: S3Client[] = [];

function client(config: Partial<S3ClientConfig> = {}): S3Client {
  const c = new S3Client({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
    ...config,
  });
  clients.push(c);
  return c;
}

before(async () => {
  t = await startTestPlane({ controllers: false });
  s3 = client();
});
after(async () => {
  for (const c of clients) c.destroy();
  await t?.stop();
});

const text = async (body: unknown) => (body as { transformToString(): Promise<string> }).transformToString();

describe('buckets', () => {
  test('create, list, head, locate and delete; S3 errors for the rest', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    // us-east-1 answers its owner's second CreateBucket with 200 (the legacy rule).
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    const eu = client({ region: 'eu-west-1' });
    await eu.send(
      new CreateBucketCommand({
        Bucket: 'beta-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const again = await awsError(() =>
      eu.send(
        new CreateBucketCommand({
          Bucket: 'beta-eu',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
    );
    assert.equal(again.name, 'BucketAlreadyOwnedByYou');
    assert.equal(again.status, 409);
    const east = await awsError(() =>
      s3.send(
        new CreateBucketCommand({
          Bucket: 'gamma',
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint },
        }),
      ),
    );
    assert.equal(east.name, 'InvalidLocationConstraint');
    const wrong = await awsError(() =>
      eu.send(
        new CreateBucketCommand({
          Bucket: 'gamma',
          CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
        }),
      ),
    );
    assert.match(wrong.message, /The us-west-2 location constraint is incompatible/);
    const invalid = await awsError(() => s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })));
    assert.equal(invalid.name, 'InvalidBucketName');

    const listed = await s3.send(new ListBucketsCommand({}));
    const names = listed.Buckets?.map((b) => [b.Name, b.BucketRegion]);
    assert.deepEqual(names, [
      ['alpha', 'us-east-1'],
      ['beta-eu', 'eu-west-1'],
    ]);
    assert.equal(listed.Owner?.ID, '000000000000');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const missing = await awsError(() => s3.send(new HeadBucketCommand({ Bucket: 'nope-bucket' })));
    assert.equal(missing.status, 404);
    const location = await eu.send(new GetBucketLocationCommand({ Bucket: 'beta-eu' }));
    assert.equal(location.LocationConstraint, 'eu-west-1');

    await s3.send(new PutObjectCommand({ Bucket: 'alpha', Key: 'x', Body: 'x' }));
    const notEmpty = await awsError(() => s3.send(new DeleteBucketCommand({ Bucket: 'alpha' })));
    assert.equal(notEmpty.name, 'BucketNotEmpty');
    assert.equal(notEmpty.status, 409);
    await s3.send(new DeleteObjectCommand({ Bucket: 'alpha', Key: 'x' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'alpha' }));
    const gone = await awsError(() => s3.send(new DeleteBucketCommand({ Bucket: 'alpha' })));
    assert.equal(gone.name, 'NoSuchBucket');
    assert.equal(gone.status, 404);
    await eu.send(new DeleteBucketCommand({ Bucket: 'beta-eu' }));
  });
});

describe('objects', () => {
  before(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });

  test('put and get with metadata, content type, checksums and the MD5 ETag', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'dir/hello world.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        Metadata: { owner: 'team-a' },
        ChecksumAlgorithm: 'CRC64NVME',
      }),
    );
    assert.equal(put.ETag, `"${createHash('md5').update('hello world').digest('hex')}"`);
    assert.match(put.ChecksumCRC64NVME ?? '', /^[A-Za-z0-9+/]{11}=$/);
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello world.txt', ChecksumMode: 'ENABLED' }),
    );
    assert.equal(await text(got.Body), 'hello world');
    assert.equal(got.ContentType, 'text/plain');
    assert.deepEqual(got.Metadata, { owner: 'team-a' });
    assert.equal(got.ETag, put.ETag);
    assert.equal(got.ChecksumCRC64NVME, put.ChecksumCRC64NVME);
    assert.equal(got.ContentLength, 11);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/hello world.txt' }));
    assert.equal(head.ContentLength, 11);
    assert.ok(head.LastModified instanceof Date);
  });

  test('a streamed body goes aws-chunked with a CRC32 trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', async () => {
    const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(50_000, 2)];
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'streamed.bin',
        Body: Readable.from(parts),
        ContentLength: 120_000,
      }),
    );
    assert.ok(put.ChecksumCRC32);
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'streamed.bin', ChecksumMode: 'ENABLED' }),
    );
    const bytes = Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    assert.ok(bytes.equals(Buffer.concat(parts)));
    assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  });

  test('a wrong checksum or Content-MD5 is BadDigest and stores nothing', async () => {
    const bad = await awsError(() =>
      s3.send(
        new PutObjectCommand({ Bucket: 'objects', Key: 'bad', Body: 'abc', ChecksumCRC32: 'AAAAAA==' }),
      ),
    );
    assert.equal(bad.name, 'BadDigest');
    const md5 = await awsError(() =>
      s3.send(
        new PutObjectCommand({
          Bucket: 'objects',
          Key: 'bad',
          Body: 'abc',
          ContentMD5: createHash('md5').update('abd').digest('base64'),
        }),
      ),
    );
    assert.equal(md5.name, 'BadDigest');
    const head = await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'bad' })));
    assert.equal(head.status, 404);
  });

  test('ranges, conditional requests and S3 errors on reads', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'digits', Body: '0123456789' }));
    const mid = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=2-5' }));
    assert.equal(await text(mid.Body), '2345');
    assert.equal(mid.ContentRange, 'bytes 2-5/10');
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=-3' }));
    assert.equal(await text(tail.Body), '789');
    const past = await awsError(() =>
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=20-30' })),
    );
    assert.equal(past.name, 'InvalidRange');
    assert.equal(past.status, 416);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'digits' }));
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', IfMatch: head.ETag }));
    assert.equal(await text(ok.Body), '0123456789');
    const failed = await awsError(() =>
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', IfMatch: '"abc"' })),
    );
    assert.equal(failed.name, 'PreconditionFailed');
    assert.equal(failed.status, 412);
    const notModified = await awsError(() =>
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', IfNoneMatch: head.ETag })),
    );
    assert.equal(notModified.status, 304);
    const since = await awsError(() =>
      s3.send(
        new GetObjectCommand({
          Bucket: 'objects',
          Key: 'digits',
          IfModifiedSince: new Date(Date.now() + 60_000),
        }),
      ),
    );
    assert.equal(since.status, 304);
    const missing = await awsError(() =>
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'no/such' })),
    );
    assert.equal(missing.name, 'NoSuchKey');
    assert.equal(missing.status, 404);
    const noBucket = await awsError(() =>
      s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })),
    );
    assert.equal(noBucket.name, 'NoSuchBucket');
    // Conditional write: If-None-Match: * refuses to overwrite.
    const exists = await awsError(() =>
      s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'digits', Body: 'x', IfNoneMatch: '*' })),
    );
    assert.equal(exists.name, 'PreconditionFailed');
  });

  test('copy keeps or replaces metadata; delete and batch delete', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'src',
        Body: 'copy me',
        Metadata: { a: '1' },
        ContentType: 'text/x',
      }),
    );
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket: 'objects', Key: 'dst', CopySource: 'objects/src' }),
    );
    assert.equal(copy.CopyObjectResult?.ETag, `"${createHash('md5').update('copy me').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dst' }));
    assert.equal(await text(got.Body), 'copy me');
    assert.deepEqual(got.Metadata, { a: '1' });
    assert.equal(got.ContentType, 'text/x');
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'objects',
        Key: 'dst',
        CopySource: 'objects/src',
        MetadataDirective: 'REPLACE',
        Metadata: { b: '2' },
      }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst' }));
    assert.deepEqual(replaced.Metadata, { b: '2' });
    const self = await awsError(() =>
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'src', CopySource: 'objects/src' })),
    );
    assert.equal(self.name, 'InvalidRequest');
    const noSource = await awsError(() =>
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/none' })),
    );
    assert.equal(noSource.name, 'NoSuchKey');
    // Deleting the source leaves the copy whole (they share no mutable file).
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'src' }));
    assert.equal(
      await text((await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dst' }))).Body),
      'copy me',
    );
    // DeleteObject of a missing key succeeds, as in S3.
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'never-there' }));
    const batch = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'objects',
        Delete: { Objects: [{ Key: 'dst' }, { Key: 'digits' }, { Key: 'missing' }] },
      }),
    );
    assert.deepEqual(batch.Deleted?.map((d) => d.Key).sort(), ['digits', 'dst', 'missing']);
    const quiet = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'a' }], Quiet: true } }),
    );
    assert.equal(quiet.Deleted, undefined);
  });
});

describe('listing', () => {
  before(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['a.txt', 'b/1', 'b/2', 'b/c/3', 'c', 'd/1', 'e'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
  });

  test('prefix, delimiter, start-after, max-keys and continuation', async () => {
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    assert.deepEqual(
      all.Contents?.map((c) => c.Key),
      ['a.txt', 'b/1', 'b/2', 'b/c/3', 'c', 'd/1', 'e'],
    );
    assert.equal(all.KeyCount, 7);
    assert.equal(all.IsTruncated, false);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    assert.deepEqual(
      top.Contents?.map((c) => c.Key),
      ['a.txt', 'c', 'e'],
    );
    assert.deepEqual(
      top.CommonPrefixes?.map((p) => p.Prefix),
      ['b/', 'd/'],
    );
    const under = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'b/', Delimiter: '/' }),
    );
    assert.deepEqual(
      under.Contents?.map((c) => c.Key),
      ['b/1', 'b/2'],
    );
    assert.deepEqual(
      under.CommonPrefixes?.map((p) => p.Prefix),
      ['b/c/'],
    );
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'b/2' }));
    assert.deepEqual(
      after.Contents?.map((c) => c.Key),
      ['b/c/3', 'c', 'd/1', 'e'],
    );
    // Pages of two with the delimiter: a common prefix counts as one entry and is never repeated.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      seen.push(
        ...(page.Contents ?? []).map((c) => c.Key ?? ''),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
      );
      assert.ok((page.KeyCount ?? 0) <= 2);
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
    } while (token);
    assert.deepEqual(seen.sort(), ['a.txt', 'b/', 'c', 'd/', 'e']);
    const zero = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 0 }));
    assert.equal(zero.KeyCount, 0);
    const badToken = await awsError(() =>
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'garbage' })),
    );
    assert.equal(badToken.name, 'InvalidArgument');
  });
});

describe('multipart uploads', () => {
  before(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
  });

  test('upload, list parts and uploads, complete with the multipart ETag', async () => {
    const partA = Buffer.alloc(5 * 1024 * 1024, 'a');
    const partB = Buffer.from('tail of the object');
    const created = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'big.bin',
        ContentType: 'application/x-big',
        Metadata: { m: 'v' },
      }),
    );
    const uploadId = created.UploadId ?? '';
    const [a, b] = await Promise.all([
      s3.send(
        new UploadPartCommand({
          Bucket: 'multi',
          Key: 'big.bin',
          UploadId: uploadId,
          PartNumber: 1,
          Body: partA,
        }),
      ),
      s3.send(
        new UploadPartCommand({
          Bucket: 'multi',
          Key: 'big.bin',
          UploadId: uploadId,
          PartNumber: 2,
          Body: partB,
        }),
      ),
    ]);
    const parts = await s3.send(
      new ListPartsCommand({ Bucket: 'multi', Key: 'big.bin', UploadId: uploadId }),
    );
    assert.deepEqual(
      parts.Parts?.map((p) => [p.PartNumber, p.Size]),
      [
        [1, partA.length],
        [2, partB.length],
      ],
    );
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi' }));
    assert.deepEqual(
      uploads.Uploads?.map((u) => u.UploadId),
      [uploadId],
    );
    const wrongEtag = await awsError(() =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'multi',
          Key: 'big.bin',
          UploadId: uploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0000"' }] },
        }),
      ),
    );
    assert.equal(wrongEtag.name, 'InvalidPart');
    const order = await awsError(() =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'multi',
          Key: 'big.bin',
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 2, ETag: b.ETag },
              { PartNumber: 1, ETag: a.ETag },
            ],
          },
        }),
      ),
    );
    assert.equal(order.name, 'InvalidPartOrder');
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'big.bin',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: a.ETag },
            { PartNumber: 2, ETag: b.ETag },
          ],
        },
      }),
    );
    const md5s = Buffer.concat([partA, partB].map((p) => createHash('md5').update(p).digest()));
    assert.equal(done.ETag, `"${createHash('md5').update(md5s).digest('hex')}-2"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big.bin' }));
    const bytes = Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    assert.ok(bytes.equals(Buffer.concat([partA, partB])));
    assert.equal(got.ContentType, 'application/x-big');
    assert.deepEqual(got.Metadata, { m: 'v' });
    const gone = await awsError(() =>
      s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'big.bin', UploadId: uploadId })),
    );
    assert.equal(gone.name, 'NoSuchUpload');
  });

  test('a part under 5 MiB before the last is EntityTooSmall; abort removes the upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'small' }));
    const one = await s3.send(
      new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId, PartNumber: 1, Body: 'tiny' }),
    );
    const two = await s3.send(
      new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId, PartNumber: 2, Body: 'tiny' }),
    );
    const small = await awsError(() =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'multi',
          Key: 'small',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: one.ETag },
              { PartNumber: 2, ETag: two.ETag },
            ],
          },
        }),
      ),
    );
    assert.equal(small.name, 'EntityTooSmall');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId }));
    const again = await awsError(() =>
      s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId })),
    );
    assert.equal(again.name, 'NoSuchUpload');
    const badPart = await awsError(() =>
      s3.send(
        new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: 'nope', PartNumber: 1, Body: 'x' }),
      ),
    );
    assert.equal(badPart.name, 'NoSuchUpload');
  });
});

describe('virtual-hosted-style', () => {
  test('bucket.localhost:<port> addresses the bucket through the Host header', async () => {
    const port = new URL(t.plane.endpoint).port;
    // Resolve every name to the loopback address, as a wildcard DNS entry would.
    const agent = new Agent({
      lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      }) as never,
    });
    const vhost = client({
      endpoint: `http://localhost:${port}`,
      forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    await vhost.send(new CreateBucketCommand({ Bucket: 'virtual' }));
    await vhost.send(new PutObjectCommand({ Bucket: 'virtual', Key: 'nested/key.txt', Body: 'by host' }));
    // The same object, path-style.
    const got = await s3.send(new GetObjectCommand({ Bucket: 'virtual', Key: 'nested/key.txt' }));
    assert.equal(await text(got.Body), 'by host');
    const listed = await vhost.send(new ListObjectsV2Command({ Bucket: 'virtual' }));
    assert.deepEqual(
      listed.Contents?.map((c) => c.Key),
      ['nested/key.txt'],
    );
    agent.destroy();
  });
});
