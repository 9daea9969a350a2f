import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  type SecretLookup,
  type VerifiedRequest,
  type VerifyOptions,
  verifyChunkedBody,
  verifySigV4,
} from '../../src/aws/sigv4.ts';
import { type Expected, expectServiceError, LONG_TERM, NOW, SECRETS, signed } from './sigv4-fixtures.ts';

const STREAMING = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';

/**
 * The worked example of the S3 API Reference, "Signature Calculations for the Authorization
 * Header: Transferring Payload in Multiple Chunks": a 66560-byte object of 'a' sent as a 64 KiB
 * chunk, a 1 KiB chunk and the final 0-byte chunk, with the seed and chunk signatures it lists.
 */
const EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  now: Date.UTC(2013, 4, 24),
  seed: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  chunks: [
    { size: 65536, signature: 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648' },
    { size: 1024, signature: '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497' },
    { size: 0, signature: 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9' },
  ],
};
const EXAMPLE_SECRETS: SecretLookup = (id) =>
  id === EXAMPLE.accessKeyId ? EXAMPLE.secretAccessKey : undefined;
const S3_STREAMING: Omit<VerifyOptions, 'now'> = {
  service: 's3',
  dialect: 's3',
  payload: 'streaming-allowed',
  uriEscapePath: false,
};

function encode(chunks: { data: Buffer; signature: string }[]): Buffer {
  return Buffer.concat(
    chunks.flatMap(({ data, signature }) => [
      Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`),
      data,
      Buffer.from('\r\n'),
    ]),
  );
}

async function verifiedExample(): Promise<VerifiedRequest> {
  const body = encode(
    EXAMPLE.chunks.map((c) => ({ data: Buffer.alloc(c.size, 'a'), signature: c.signature })),
  );
  return verifySigV4(
    {
      method: 'PUT',
      path: '/examplebucket/chunkObject.txt',
      query: new URLSearchParams(),
      headers: {
        host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': STREAMING,
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '66560',
        'content-length': String(body.length),
        authorization: `AWS4-HMAC-SHA256 Credential=${EXAMPLE.accessKeyId}/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${EXAMPLE.seed}`,
      },
      body,
    },
    EXAMPLE_SECRETS,
    { ...S3_STREAMING, now: EXAMPLE.now },
  );
}

/** A chunk signature computed by hand, step by step as the S3 docs define it (an oracle independent of src/). */
function chunkSignature(secret: string, date: Date, scope: string, previous: string, data: Buffer): string {
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const hex = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
  const day = scope.split('/')[0];
  const [region, service] = scope.split('/').slice(1, 3);
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  const longDate = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', longDate, scope, previous, hex(''), hex(data)].join('\n');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** A streaming PUT signed with the library, and its body's chunks chained from its signature. */
async function ownUpload(sizes: number[]) {
  const request = await signed({
    method: 'PUT',
    service: 's3',
    url: 'http://127.0.0.1:4590/bucket/upload.bin',
    uriEscapePath: false,
    body: '',
    headers: {
      'x-amz-content-sha256': STREAMING,
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(sizes.reduce((a, b) => a + b, 0)),
    },
  });
  const verified = await verifySigV4(request, SECRETS, { ...S3_STREAMING, now: NOW });
  const scope = `${'20240301'}/us-east-1/s3/aws4_request`;
  let previous = verified.signature;
  const chunks = [...sizes, 0].map((size, i) => {
    const data = Buffer.alloc(size, 97 + i);
    previous = chunkSignature(LONG_TERM.secretAccessKey, new Date(NOW), scope, previous, data);
    return { data, signature: previous };
  });
  return { verified, chunks, decoded: Buffer.concat(chunks.map((c) => c.data)) };
}

const incomplete = (message: string | RegExp): Expected => ({ type: 'IncompleteBody', status: 400, message });
const S3_MISMATCH: Expected = {
  type: 'SignatureDoesNotMatch',
  status: 403,
  message:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};
const SHORT_BODY = 'You did not provide the number of bytes specified by the Content-Length HTTP header.';

describe('aws-chunked payload signing', () => {
  it("verifies the AWS docs' worked example: seed signature, three chunk signatures, 66560 bytes", async () => {
    const verified = await verifiedExample();
    assert.equal(verified.payload, 'streaming');
    assert.equal(verified.signature, EXAMPLE.seed);
    const body = encode(
      EXAMPLE.chunks.map((c) => ({ data: Buffer.alloc(c.size, 'a'), signature: c.signature })),
    );
    assert.equal(body.length, 66824);
    const decoded = await verifyChunkedBody(body, {
      verified,
      secrets: EXAMPLE_SECRETS,
      decodedContentLength: 66560,
    });
    assert.deepEqual(decoded, Buffer.alloc(66560, 'a'));
  });

  it('the hand-computed oracle reproduces the worked example', () => {
    let previous = EXAMPLE.seed;
    for (const c of EXAMPLE.chunks) {
      previous = chunkSignature(
        EXAMPLE.secretAccessKey,
        new Date(EXAMPLE.now),
        '20130524/us-east-1/s3/aws4_request',
        previous,
        Buffer.alloc(c.size, 'a'),
      );
      assert.equal(previous, c.signature);
    }
  });

  it('decodes chunks chained from a request signed with the library', async () => {
    const { verified, chunks, decoded } = await ownUpload([8192, 8192, 100]);
    const out = await verifyChunkedBody(encode(chunks), {
      verified,
      secrets: SECRETS,
      decodedContentLength: decoded.length,
    });
    assert.deepEqual(out, decoded);
  });

  it('refuses a request that is not streaming', async () => {
    const verified = await verifySigV4(await signed({}), SECRETS, { service: 'ecs', now: NOW });
    await assert.rejects(
      verifyChunkedBody(Buffer.alloc(0), { verified, secrets: SECRETS }),
      /streaming request/,
    );
  });

  type Chunks = Awaited<ReturnType<typeof ownUpload>>['chunks'];
  const cases: {
    name: string;
    body: (chunks: Chunks) => Buffer;
    decodedLength?: number;
    seed?: string;
    dialect?: 'json' | 's3';
    expected: Expected;
  }[] = [
    {
      name: 'a byte changed in the second chunk',
      body: (c) =>
        encode([
          c[0],
          { ...c[1], data: Buffer.concat([c[1].data.subarray(1), Buffer.from('!')]) },
          c[2],
          c[3],
        ]),
      expected: S3_MISMATCH,
    },
    { name: 'chunks in another order', body: (c) => encode([c[1], c[0], c[2], c[3]]), expected: S3_MISMATCH },
    { name: 'a chunk left out', body: (c) => encode([c[0], c[2], c[3]]), expected: S3_MISMATCH },
    {
      name: 'another chain (wrong seed)',
      body: (c) => encode(c),
      seed: 'f'.repeat(64),
      expected: S3_MISMATCH,
    },
    {
      name: 'a bad chunk signature (JSON dialect)',
      body: (c) => encode([{ ...c[0], signature: '0'.repeat(64) }, c[1], c[2], c[3]]),
      dialect: 'json',
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: /^The request signature we calculated/,
      },
    },
    { name: 'no final chunk', body: (c) => encode(c.slice(0, 3)), expected: incomplete(SHORT_BODY) },
    {
      name: 'bytes after the final chunk',
      body: (c) => Buffer.concat([encode(c), Buffer.from('x')]),
      expected: incomplete(SHORT_BODY),
    },
    {
      name: 'a chunk header without its signature',
      body: (c) => Buffer.concat([Buffer.from('2000\r\n'), encode(c).subarray(87)]),
      expected: incomplete(SHORT_BODY),
    },
    { name: 'a truncated chunk', body: (c) => encode(c).subarray(0, 5000), expected: incomplete(SHORT_BODY) },
    {
      name: 'a decoded size other than x-amz-decoded-content-length',
      body: (c) => encode(c),
      decodedLength: 16485,
      expected: incomplete(SHORT_BODY),
    },
    {
      name: 'a truncated chunk (JSON dialect, with the detail)',
      body: (c) => encode(c).subarray(0, 5000),
      dialect: 'json',
      expected: incomplete('aws-chunked body is malformed at byte 87: expected 8192 bytes of data and CRLF.'),
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const { verified, chunks, decoded } = await ownUpload([8192, 8192, 100]);
      await expectServiceError(
        verifyChunkedBody(c.body(chunks), {
          verified: c.seed ? { ...verified, signature: c.seed } : verified,
          secrets: SECRETS,
          decodedContentLength: c.decodedLength ?? decoded.length,
          dialect: c.dialect,
        }),
        c.expected,
      );
    });
  }
});
