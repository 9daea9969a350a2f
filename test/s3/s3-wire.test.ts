/**
 * S3 on the wire, below the SDK's defaults: aws-chunked bodies with signed chunks (with and without
 * a signed trailer), presigned URLs, a body that does not match its signed hash, S3's XML error
 * document, IAM policies on buckets and keys, and crash safety (a half-sent body is never visible;
 * files a crash leaves are swept at the next start).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, utimes, writeFile, mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

let t: TestPlane;
let s3: S3Client;
const signer = new SignatureV4({
  credentials: TEST_CREDENTIALS,
  region: 'us-east-1',
  service: 's3',
  sha256: Sha256,
  uriEscapePath: false,
});

function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, t.plane.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs headers for `path` with x-amz-content-sha256 `payloadHash`; returns headers and the seed signature. */
async function sign(
  method: string,
  path: string,
  headers: Record<string, string>,
  payloadHash: string,
  date: Date,
) {
  const url = new URL(path, t.plane.endpoint);
  const signed = await signer.sign(
    {
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, 'x-amz-content-sha256': payloadHash, ...headers },
    },
    { signingDate: date },
  );
  const all = signed.headers as Record<string, string>;
  const seed = /Signature=([0-9a-f]{64})/.exec(all.authorization)![1];
  return { headers: all, seed };
}

/** An aws-chunked body with chained chunk signatures (and, with `trailer`, a signed CRC32 trailer). */
async function signedChunkedBody(
  chunks: Buffer[],
  seed: string,
  date: Date,
  trailer?: string,
): Promise<Buffer> {
  const out: Buffer[] = [];
  let prior = seed;
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const sig = await signer.sign(
      { headers: new Uint8Array(0), payload: data },
      { signingDate: date, priorSignature: prior },
    );
    prior = sig;
    out.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${sig}\r\n`), data);
    if (data.length > 0 || !trailer) out.push(Buffer.from('\r\n'));
  }
  if (trailer) {
    const amzDate = date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const hash = createHash('sha256').update(`${trailer}\n`).digest('hex');
    const sig = await signer.sign(`AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${prior}\n${hash}`, {
      signingDate: date,
    });
    out.push(Buffer.from(`${trailer}\r\nx-amz-trailer-signature:${sig}\r\n\r\n`));
  }
  return Buffer.concat(out);
}

before(async () => {
  t = await startTestPlane({ controllers: false });
  s3 = new S3Client({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'wire' }));
});
after(async () => {
  s3?.destroy();
  await t?.stop();
});

const getText = async (key: string) =>
  (await s3
    .send(new GetObjectCommand({ Bucket: 'wire', Key: key }))
    .then((r) => r.Body?.transformToString())) ?? '';

describe('aws-chunked uploads with signed chunks', () => {
  const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1000, 'b')];
  const whole = Buffer.concat(chunks);

  test('STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk checked, a tampered one refused', async () => {
    const date = new Date();
    const extra = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(whole.length) };
    const { headers, seed } = await sign(
      'PUT',
      '/wire/signed-chunks',
      extra,
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      date,
    );
    const body = await signedChunkedBody(chunks, seed, date);
    const ok = await send(
      'PUT',
      '/wire/signed-chunks',
      { ...headers, 'content-length': String(body.length) },
      body,
    );
    assert.equal(ok.status, 200, ok.body);
    assert.ok(Buffer.from(await getText('signed-chunks')).equals(whole));
    const signedAgain = await sign(
      'PUT',
      '/wire/tampered',
      extra,
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      date,
    );
    const tampered = await signedChunkedBody(chunks, signedAgain.seed, date);
    // A byte of the first chunk's data (after its header line) changes.
    tampered[tampered.indexOf('\r\n') + 12] = 'z'.charCodeAt(0);
    const bad = await send(
      'PUT',
      '/wire/tampered',
      { ...signedAgain.headers, 'content-length': String(tampered.length) },
      tampered,
    );
    assert.equal(bad.status, 403);
    assert.match(bad.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.equal(
      (await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'wire', Key: 'tampered' })))).status,
      404,
    );
  });

  test('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the trailer’s CRC32 and signature are checked', async () => {
    const date = new Date();
    const { crc32 } = await import('node:zlib');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(whole));
    const extra = {
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(whole.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const good = await sign(
      'PUT',
      '/wire/trailer',
      extra,
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      date,
    );
    const body = await signedChunkedBody(
      chunks,
      good.seed,
      date,
      `x-amz-checksum-crc32:${crc.toString('base64')}`,
    );
    const ok = await send(
      'PUT',
      '/wire/trailer',
      { ...good.headers, 'content-length': String(body.length) },
      body,
    );
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.headers['x-amz-checksum-crc32'], crc.toString('base64'));
    const wrong = await sign(
      'PUT',
      '/wire/trailer-bad',
      extra,
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      date,
    );
    const badBody = await signedChunkedBody(chunks, wrong.seed, date, 'x-amz-checksum-crc32:AAAAAA==');
    const bad = await send(
      'PUT',
      '/wire/trailer-bad',
      { ...wrong.headers, 'content-length': String(badBody.length) },
      badBody,
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<Code>BadDigest<\/Code>/);
  });
});

describe('signatures and errors', () => {
  test('a body that is not the one signed is XAmzContentSHA256Mismatch, in S3’s XML', async () => {
    const date = new Date();
    const signedHash = createHash('sha256').update('the signed body').digest('hex');
    const { headers } = await sign('PUT', '/wire/mismatch', {}, signedHash, date);
    const res = await send(
      'PUT',
      '/wire/mismatch',
      { ...headers, 'content-length': '9' },
      Buffer.from('different'),
    );
    assert.equal(res.status, 400);
    assert.match(
      res.body,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>XAmzContentSHA256Mismatch<\/Code>/,
    );
    assert.match(res.body, /<RequestId>[^<]+<\/RequestId><HostId>/);
    assert.equal(typeof res.headers['x-amz-request-id'], 'string');
    assert.equal(
      (await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'wire', Key: 'mismatch' })))).status,
      404,
    );
  });

  test('presigned GET and PUT (UNSIGNED-PAYLOAD), and an expired one', async () => {
    const presign = async (method: string, key: string, expiresIn: number, signingDate = new Date()) => {
      const url = new URL(`/wire/${key}`, t.plane.endpoint);
      const signed = await signer.presign(
        {
          method,
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: url.pathname,
          // As the S3 presigner does: presigned URLs never cover the body.
          headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
          query: {},
        },
        { expiresIn, signingDate },
      );
      const q = new URLSearchParams(signed.query as Record<string, string>).toString();
      return `${url.pathname}?${q}`;
    };
    const put = await send(
      'PUT',
      await presign('PUT', 'presigned.txt', 300),
      { 'content-length': '4' },
      Buffer.from('body'),
    );
    assert.equal(put.status, 200, put.body);
    const got = await send('GET', await presign('GET', 'presigned.txt', 300), {});
    assert.equal(got.body, 'body');
    const expired = await send(
      'GET',
      await presign('GET', 'presigned.txt', 1, new Date(Date.now() - 60_000)),
      {},
    );
    assert.equal(expired.status, 403);
    assert.match(expired.body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  });

  test('a wrong key is InvalidAccessKeyId; an unknown sub-resource is UnsupportedFeatureException', async () => {
    const stranger = new S3Client({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const denied = await awsError(() => stranger.send(new ListBucketsCommand({})));
    assert.equal(denied.name, 'InvalidAccessKeyId');
    assert.equal(denied.status, 403);
    stranger.destroy();
    const date = new Date();
    const { headers } = await sign('GET', '/wire?versioning', {}, 'UNSIGNED-PAYLOAD', date);
    const res = await send('GET', '/wire?versioning', headers);
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>UnsupportedFeatureException<\/Code>.*docs\/api-coverage-s3\.md/);
  });
});

describe('IAM', () => {
  test('a user allowed s3:GetObject on one prefix reads there and nowhere else', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'wire', Key: 'public/a.txt', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: 'wire', Key: 'private/b.txt', Body: 'b' }));
    const iam = new IAMClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'read-public',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::wire/public/*' }],
        }),
      }),
    );
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    iam.destroy();
    const reader = new S3Client({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: key.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
      },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const ok = await reader.send(new GetObjectCommand({ Bucket: 'wire', Key: 'public/a.txt' }));
    assert.equal(await ok.Body?.transformToString(), 'a');
    const denied = await awsError(() =>
      reader.send(new GetObjectCommand({ Bucket: 'wire', Key: 'private/b.txt' })),
    );
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.match(
      denied.message,
      /not authorized to perform: s3:GetObject on resource: "?arn:aws:s3:::wire\/private\/b\.txt/,
    );
    const put = await awsError(() =>
      reader.send(new PutObjectCommand({ Bucket: 'wire', Key: 'public/c.txt', Body: 'c' })),
    );
    assert.equal(put.name, 'AccessDenied');
    const list = await awsError(() => reader.send(new ListBucketsCommand({})));
    assert.match(list.message, /s3:ListAllMyBuckets/);
    reader.destroy();
  });
});

describe('crash safety', () => {
  test('a body cut off half-way is never visible and leaves no file', async () => {
    const date = new Date();
    const { headers } = await sign('PUT', '/wire/half', {}, 'UNSIGNED-PAYLOAD', date);
    const url = new URL('/wire/half', t.plane.endpoint);
    await new Promise<void>((resolve) => {
      const req = request(url, {
        method: 'PUT',
        headers: { ...headers, 'content-length': String(1024 * 1024) },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(300 * 1024, 'h'), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    const head = await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'wire', Key: 'half' })));
    assert.equal(head.status, 404);
    const tmp = join(t.dataDir, 's3', 'tmp');
    for (let i = 0; i < 50 && (await readdir(tmp)).length > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await readdir(tmp), []);
  });

  test('after a crash, unfinished writes and unreferenced content are swept; objects stay whole', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'wire', Key: 'survivor', Body: 'still here' }));
    const dataDir = t.dataDir;
    s3.destroy();
    await t.stop({ keepData: true });
    // What a crash leaves: a write in progress, and content renamed into place whose record never committed.
    await writeFile(join(dataDir, 's3', 'tmp', 'deadbeef'), 'half a body');
    await mkdir(join(dataDir, 's3', 'blobs', 'ff'), { recursive: true });
    const orphan = join(dataDir, 's3', 'blobs', 'ff', 'ff00orphan');
    await writeFile(orphan, 'never committed');
    const old = new Date(Date.now() - 3600_000);
    await utimes(orphan, old, old);
    t = await startTestPlane({ controllers: false, dataDir });
    s3 = new S3Client({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    assert.equal(await getText('survivor'), 'still here');
    assert.deepEqual(await readdir(join(dataDir, 's3', 'tmp')), []);
    assert.deepEqual(await readdir(join(dataDir, 's3', 'blobs', 'ff')), []);
  });
});
