import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type SignedRequest,
  type VerifyOptions,
  verifyPresignedSigV4,
  verifySigV4,
} from '../../src/aws/sigv4.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import {
  EXPIRED,
  type Expected,
  expectServiceError,
  LONG_TERM,
  MISMATCH,
  NOW,
  SECRETS,
  SESSION,
  type SignSpec,
  presigned,
  send,
} from './sigv4-fixtures.ts';

/** An S3-style presigned GET, as @aws-sdk/s3-request-presigner builds it (UNSIGNED-PAYLOAD hoisted). */
const S3_GET: SignSpec = {
  service: 's3',
  url: 'http://127.0.0.1:4590/bucket/photos/cat.jpg',
  headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
  uriEscapePath: false,
};
const S3_OPTIONS: VerifyOptions = { service: 's3', now: NOW, dialect: 's3', uriEscapePath: false };
const S3_MISMATCH: Expected = {
  type: 'SignatureDoesNotMatch',
  status: 403,
  message:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};
const queryError = (message: string): Expected => ({
  type: 'AuthorizationQueryParametersError',
  status: 400,
  message,
});
const setParam = (name: string, value: string | undefined) => (r: SignedRequest) => {
  const q = r.query as URLSearchParams;
  if (value === undefined) q.delete(name);
  else q.set(name, value);
};

interface Case {
  name: string;
  spec?: SignSpec & { expiresIn?: number; keepHeaders?: string[] };
  options?: Partial<VerifyOptions>;
  tamper?: (r: SignedRequest) => void;
  expected: Expected;
}

describe('presigned SigV4 (verifier)', () => {
  it('accepts an S3-style presigned GET and returns the caller', async () => {
    const caller = await verifyPresignedSigV4(
      await presigned({ ...S3_GET, region: 'eu-south-2' }),
      SECRETS,
      S3_OPTIONS,
    );
    assert.deepEqual(
      {
        accessKeyId: caller.accessKeyId,
        region: caller.region,
        service: caller.service,
        payload: caller.payload,
      },
      { accessKeyId: LONG_TERM.accessKeyId, region: 'eu-south-2', service: 's3', payload: 'unsigned' },
    );
  });

  it('accepts a URL used one second before its week is out', async () => {
    const request = await presigned({ ...S3_GET, expiresIn: 604800, date: NOW - 604799_000 });
    assert.equal((await verifyPresignedSigV4(request, SECRETS, S3_OPTIONS)).service, 's3');
  });

  it('accepts session credentials with their token in the query', async () => {
    const request = await presigned({ ...S3_GET, credentials: SESSION });
    assert.equal((request.query as URLSearchParams).get('X-Amz-Security-Token'), SESSION.sessionToken);
    assert.equal((await verifyPresignedSigV4(request, SECRETS, S3_OPTIONS)).accessKeyId, SESSION.accessKeyId);
  });

  it('is what verifySigV4 uses when the query carries the signature', async () => {
    const caller = await verifySigV4(
      await presigned({ url: 'http://127.0.0.1:4590/agent/v1/connect?cluster=c' }),
      SECRETS,
      {
        service: 'ecs',
        now: NOW,
      },
    );
    assert.equal(caller.payload, 'signed');
  });

  const cases: Case[] = [
    {
      name: 'an expired URL',
      spec: { ...S3_GET, expiresIn: 3600, date: NOW - 3601_000 },
      expected: {
        type: 'AccessDenied',
        status: 403,
        message: 'Request has expired',
        extra: {
          'X-Amz-Expires': '3600',
          Expires: '2024-03-01T11:59:59Z',
          ServerTime: '2024-03-01T12:00:00Z',
        },
      },
    },
    {
      name: 'an expired URL (JSON dialect)',
      spec: { ...S3_GET, expiresIn: 60, date: NOW - 61_000 },
      options: { dialect: 'json' },
      expected: { type: 'RequestExpired', status: 400, message: 'Request has expired' },
    },
    {
      name: 'a URL older than 15 minutes though X-Amz-Expires is an hour (JSON dialect)',
      spec: { ...S3_GET, expiresIn: 3600, date: NOW - 20 * 60_000 },
      options: { dialect: 'json' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message:
          'Signature expired: 20240301T114000Z is now earlier than 20240301T114500Z (20240301T120000Z - 15 min.)',
      },
    },
    {
      name: 'X-Amz-Expires beyond a week',
      spec: S3_GET,
      tamper: setParam('X-Amz-Expires', '604801'),
      expected: queryError(
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      ),
    },
    {
      name: 'X-Amz-Expires that is no number',
      spec: S3_GET,
      tamper: setParam('X-Amz-Expires', 'soon'),
      expected: queryError('X-Amz-Expires should be a number'),
    },
    {
      name: 'a negative X-Amz-Expires',
      spec: S3_GET,
      tamper: setParam('X-Amz-Expires', '-5'),
      expected: queryError('X-Amz-Expires must be non-negative'),
    },
    {
      name: 'a URL signed 20 minutes in the future',
      spec: { ...S3_GET, date: NOW + 20 * 60_000 },
      expected: { type: 'AccessDenied', status: 403, message: 'Request is not valid yet' },
    },
    {
      name: 'a URL without X-Amz-Signature',
      spec: S3_GET,
      tamper: setParam('X-Amz-Signature', undefined),
      expected: queryError(
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      ),
    },
    {
      name: 'a URL without X-Amz-Signature (JSON dialect)',
      spec: S3_GET,
      options: { dialect: 'json' },
      tamper: setParam('X-Amz-Signature', undefined),
      expected: {
        type: 'IncompleteSignatureException',
        status: 400,
        message:
          "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
      },
    },
    {
      name: 'another algorithm',
      spec: S3_GET,
      tamper: setParam('X-Amz-Algorithm', 'AWS4-HMAC-SHA1'),
      expected: queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'),
    },
    {
      name: 'a query parameter added after signing',
      spec: S3_GET,
      tamper: setParam('versionId', '2'),
      expected: S3_MISMATCH,
    },
    {
      name: 'another path',
      spec: S3_GET,
      tamper: (r) => {
        r.path = '/bucket/photos/dog.jpg';
      },
      expected: S3_MISMATCH,
    },
    {
      name: 'host left unsigned',
      spec: {
        ...S3_GET,
        headers: { ...S3_GET.headers, 'x-amz-meta-owner': 'me' },
        keepHeaders: ['x-amz-meta-owner'],
        unsigned: ['host'],
      },
      expected: {
        type: 'AccessDenied',
        status: 403,
        message: 'There were headers present in the request which were not signed',
        extra: { HeadersNotSigned: 'host' },
      },
    },
    {
      name: 'an x-amz-* header sent but not signed',
      spec: S3_GET,
      tamper: (r) => {
        r.headers['x-amz-acl'] = 'public-read';
      },
      expected: {
        type: 'AccessDenied',
        status: 403,
        message: 'There were headers present in the request which were not signed',
        extra: { HeadersNotSigned: 'x-amz-acl' },
      },
    },
    {
      name: 'a token on long-term credentials',
      spec: { ...S3_GET, credentials: { ...LONG_TERM, sessionToken: 'made-up' } },
      expected: {
        type: 'InvalidToken',
        status: 400,
        message: 'The provided token is malformed or otherwise invalid.',
      },
    },
    {
      name: 'an expired session',
      spec: { ...S3_GET, credentials: EXPIRED },
      expected: { type: 'ExpiredToken', status: 400, message: 'The provided token has expired.' },
    },
    {
      name: "a region that is no region ('xx')",
      spec: { ...S3_GET, region: 'xx' },
      expected: queryError("Credential should be scoped to a valid region, not 'xx'."),
    },
    {
      name: 'a wrong secret',
      spec: { ...S3_GET, credentials: { ...LONG_TERM, secretAccessKey: 'wrong' } },
      expected: S3_MISMATCH,
    },
    {
      name: 'an unknown access key',
      spec: { ...S3_GET, credentials: { accessKeyId: 'AKLSUNKNOWN000000000', secretAccessKey: 'x' } },
      expected: {
        type: 'InvalidAccessKeyId',
        status: 403,
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      },
    },
    {
      name: 'UNSIGNED-PAYLOAD where the service wants the body signed',
      spec: S3_GET,
      options: { payload: 'signed' },
      expected: S3_MISMATCH,
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const request = await presigned(c.spec);
      c.tamper?.(request);
      await expectServiceError(
        verifyPresignedSigV4(request, SECRETS, { ...S3_OPTIONS, ...c.options }),
        c.expected,
      );
    });
  }
});

describe('presigned SigV4 (gateway)', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
  });
  after(() => t.stop());

  const ecs = (spec: SignSpec & { expiresIn?: number } = {}) =>
    presigned({
      method: 'POST',
      url: `${t.plane.endpoint}/`,
      credentials: TEST_CREDENTIALS,
      date: Date.now(),
      body: '{}',
      keepHeaders: ['x-amz-target'],
      ...spec,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
        ...spec.headers,
      },
    });

  it('executes a presigned ECS request, as AWS JSON services accept query authentication', async () => {
    const res = await send(await ecs());
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { clusterArns: [] });
  });

  const cases: Case[] = [
    {
      name: 'a body changed after signing',
      tamper: (r) => {
        r.body = '{"maxResults":1}';
      },
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'UNSIGNED-PAYLOAD',
      spec: { headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } },
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'an expired URL',
      spec: { expiresIn: 60, date: Date.now() - 120_000 },
      expected: { type: 'RequestExpired', status: 400, message: 'Request has expired' },
    },
    {
      name: 'X-Amz-Target left unsigned',
      spec: { unsigned: ['x-amz-target'] },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
      },
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const request = await ecs(c.spec);
      c.tamper?.(request);
      const res = await send(request);
      assert.equal(res.status, c.expected.status);
      assert.equal(res.body.__type, c.expected.type);
      assert.equal(res.body.message, c.expected.message);
    });
  }
});
