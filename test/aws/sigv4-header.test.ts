import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SignedRequest, type VerifyOptions, verifySigV4 } from '../../src/aws/sigv4.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import {
  EXPIRED,
  type Expected,
  expectServiceError,
  INVALID_TOKEN,
  LONG_TERM,
  MISMATCH,
  NOW,
  SECRETS,
  SESSION,
  type SignSpec,
  send,
  signed,
} from './sigv4-fixtures.ts';

const STREAMING = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const OPTIONS: VerifyOptions = { service: 'ecs', now: NOW };
const unsignedHeader = (name: string): Expected => ({
  type: 'InvalidSignatureException',
  status: 400,
  message: `'${name}' must be a 'SignedHeader' in the AWS Authorization.`,
});
const tamperBody = (r: SignedRequest) => {
  r.body = '{"clusterName":"sha-b-tampered"}';
};

interface Case {
  name: string;
  spec?: SignSpec;
  options?: Partial<VerifyOptions>;
  tamper?: (r: SignedRequest & { url: URL }) => void;
  expected: Expected;
}

describe('SigV4 header verification (verifier)', () => {
  const accepted: { name: string; spec: SignSpec; options?: Partial<VerifyOptions>; payload?: string }[] = [
    { name: 'a long-term key', spec: {} },
    { name: 'a session key with its token', spec: { credentials: SESSION } },
    {
      name: 'UNSIGNED-PAYLOAD where allowed',
      spec: { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      options: { payload: 'unsigned-allowed' },
      payload: 'unsigned',
    },
    {
      name: 'a streaming payload where allowed',
      spec: { headers: { 'x-amz-content-sha256': STREAMING } },
      options: { payload: 'streaming-allowed' },
      payload: 'streaming',
    },
    { name: 'a request without x-amz-content-sha256', spec: { applyChecksum: false } },
    { name: 'a Uint8Array body', spec: { body: '{"a":"é"}' } },
  ];
  for (const c of accepted) {
    it(`accepts ${c.name}`, async () => {
      const request = await signed(c.spec);
      if (c.name === 'a Uint8Array body') request.body = new TextEncoder().encode(request.body as string);
      const caller = await verifySigV4(request, SECRETS, { ...OPTIONS, ...c.options });
      assert.equal(caller.payload, c.payload ?? 'signed');
      assert.equal(caller.service, 'ecs');
    });
  }

  for (const region of [
    'us-east-1',
    'eu-central-2',
    'ap-southeast-4',
    'us-gov-west-1',
    'cn-north-1',
    'cn-northwest-1',
    'us-iso-east-1',
    'us-isob-east-1',
  ]) {
    it(`accepts any valid region by default and returns it: ${region}`, async () => {
      const caller = await verifySigV4(await signed({ region }), SECRETS, OPTIONS);
      assert.deepEqual(
        { accessKeyId: caller.accessKeyId, region: caller.region, service: caller.service },
        { accessKeyId: LONG_TERM.accessKeyId, region, service: 'ecs' },
      );
    });
  }

  it('takes a region predicate', async () => {
    const only = { ...OPTIONS, region: (name: string) => name.startsWith('eu-') };
    assert.equal(
      (await verifySigV4(await signed({ region: 'eu-west-3' }), SECRETS, only)).region,
      'eu-west-3',
    );
    await expectServiceError(verifySigV4(await signed({ region: 'us-west-2' }), SECRETS, only), {
      type: 'InvalidSignatureException',
      status: 400,
      message: "Credential should be scoped to a valid region, not 'us-west-2'.",
    });
  });

  const cases: Case[] = [
    {
      name: 'a body changed after signing, x-amz-content-sha256 kept',
      tamper: tamperBody,
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'a body changed after signing (S3 dialect)',
      options: { dialect: 's3', payload: 'unsigned-allowed' },
      tamper: tamperBody,
      expected: {
        type: 'XAmzContentSHA256Mismatch',
        status: 400,
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
        extra: {
          ClientComputedContentSHA256: 'dd4b2c2d2c286ce99010d09bb411e9a1696e05c16402f10b6e056d32423f3512',
          S3ComputedContentSHA256: '36429fa116f753bfda7414de5bb991b37391bf83e5bb821db15daf12ac3f0900',
        },
      },
    },
    {
      name: 'UNSIGNED-PAYLOAD on a signed-payload service',
      spec: { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'a streaming payload where only unsigned is allowed',
      spec: { headers: { 'x-amz-content-sha256': STREAMING } },
      options: { payload: 'unsigned-allowed' },
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'an x-amz-content-sha256 that is no hash (S3 dialect)',
      spec: { headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } },
      options: { dialect: 's3', payload: 'streaming-allowed' },
      expected: {
        type: 'SignatureDoesNotMatch',
        status: 403,
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      },
    },
    {
      name: 'host left unsigned',
      spec: { unsigned: ['host'] },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      },
    },
    {
      name: 'host left unsigned (S3 dialect)',
      spec: { unsigned: ['host'] },
      options: { dialect: 's3' },
      expected: {
        type: 'AccessDenied',
        status: 403,
        message: 'There were headers present in the request which were not signed',
        extra: { HeadersNotSigned: 'host' },
      },
    },
    {
      name: 'X-Amz-Target left unsigned',
      spec: {
        headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
        unsigned: ['x-amz-target'],
      },
      expected: unsignedHeader('X-Amz-Target'),
    },
    {
      name: 'X-Amz-Date left unsigned',
      spec: { unsigned: ['x-amz-date'] },
      expected: unsignedHeader('X-Amz-Date'),
    },
    {
      name: 'x-amz-content-sha256 left unsigned',
      spec: { unsigned: ['x-amz-content-sha256'] },
      expected: unsignedHeader('X-Amz-Content-Sha256'),
    },
    {
      name: 'a session token added after signing',
      tamper: (r) => {
        r.headers['x-amz-security-token'] = SESSION.sessionToken;
      },
      expected: unsignedHeader('X-Amz-Security-Token'),
    },
    {
      name: 'a signed session token on a long-term key',
      spec: { credentials: { ...LONG_TERM, sessionToken: 'made-up' } },
      expected: { type: 'UnrecognizedClientException', status: 400, message: INVALID_TOKEN },
    },
    {
      name: 'a session key without its token',
      spec: { credentials: { accessKeyId: SESSION.accessKeyId, secretAccessKey: SESSION.secretAccessKey } },
      expected: { type: 'UnrecognizedClientException', status: 400, message: INVALID_TOKEN },
    },
    {
      name: "another session's token",
      spec: { credentials: { ...SESSION, sessionToken: EXPIRED.sessionToken } },
      expected: { type: 'UnrecognizedClientException', status: 400, message: INVALID_TOKEN },
    },
    {
      name: 'an expired session',
      spec: { credentials: EXPIRED },
      expected: {
        type: 'ExpiredTokenException',
        status: 403,
        message: 'The security token included in the request is expired',
      },
    },
    {
      name: 'an expired session (S3 dialect)',
      spec: { credentials: EXPIRED },
      options: { dialect: 's3' },
      expected: { type: 'ExpiredToken', status: 400, message: 'The provided token has expired.' },
    },
    {
      name: "a region that is no region ('xx')",
      spec: { region: 'xx' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Credential should be scoped to a valid region, not 'xx'.",
      },
    },
    {
      name: "a region without its number ('us-east')",
      spec: { region: 'us-east' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Credential should be scoped to a valid region, not 'us-east'.",
      },
    },
    {
      name: 'a valid region the endpoint does not serve',
      spec: { region: 'eu-west-1' },
      options: { region: 'us-east-1' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Credential should be scoped to a valid region, not 'eu-west-1'.",
      },
    },
    {
      name: 'a bad region and another service at once',
      spec: { region: 'xx', service: 's3' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message:
          "Credential should be scoped to a valid region, not 'xx'. Credential should be scoped to correct service: 'ecs'.",
      },
    },
    {
      name: 'an unknown access key',
      spec: { credentials: { accessKeyId: 'AKLSUNKNOWN000000000', secretAccessKey: 'x' } },
      expected: { type: 'UnrecognizedClientException', status: 400, message: INVALID_TOKEN },
    },
    {
      name: 'an unknown access key (S3 dialect)',
      spec: { credentials: { accessKeyId: 'AKLSUNKNOWN000000000', secretAccessKey: 'x' } },
      options: { dialect: 's3' },
      expected: {
        type: 'InvalidAccessKeyId',
        status: 403,
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      },
    },
    {
      name: 'a wrong secret',
      spec: { credentials: { ...LONG_TERM, secretAccessKey: 'wrong' } },
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'a signature 20 minutes old',
      spec: { date: NOW - 20 * 60_000 },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message:
          'Signature expired: 20240301T114000Z is now earlier than 20240301T114500Z (20240301T120000Z - 15 min.)',
      },
    },
    {
      name: 'a repeated query parameter added in front',
      spec: { url: 'http://127.0.0.1:4590/?cluster=a' },
      tamper: (r) => {
        r.query = new URLSearchParams('cluster=evil&cluster=a');
      },
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'query-string auth beside the header',
      tamper: (r) => {
        r.query = new URLSearchParams('X-Amz-Algorithm=AWS4-HMAC-SHA256');
      },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      },
    },
    {
      name: 'an X-Amz-Signature parameter beside the header',
      tamper: (r) => {
        r.query = new URLSearchParams('X-Amz-Signature=00');
      },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Found both 'X-Amz-Signature' as a query-string param and 'Authorization' as HTTP header.",
      },
    },
    {
      name: 'no signature at all',
      tamper: (r) => {
        delete r.headers.authorization;
      },
      expected: {
        type: 'MissingAuthenticationTokenException',
        status: 403,
        message: 'Missing Authentication Token',
      },
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const request = await signed({ body: '{"clusterName":"sha-a"}', ...c.spec });
      c.tamper?.(request);
      await expectServiceError(verifySigV4(request, SECRETS, { ...OPTIONS, ...c.options }), c.expected);
    });
  }
});

describe('SigV4 header verification (gateway)', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
  });
  after(() => t.stop());

  const ecs = (op: string, spec: SignSpec = {}) =>
    signed({
      url: `${t.plane.endpoint}/`,
      credentials: TEST_CREDENTIALS,
      date: Date.now(),
      body: '{}',
      ...spec,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}`,
        ...spec.headers,
      },
    });
  const clusters = async () => {
    const res = await send(await ecs('ListClusters'));
    assert.equal(res.status, 200);
    return (res.body.clusterArns as string[]).map((arn) => arn.split('/').pop());
  };

  it('executes a well-signed CreateCluster', async () => {
    const res = await send(await ecs('CreateCluster', { body: '{"clusterName":"sha-a"}' }));
    assert.equal(res.status, 200);
    assert.deepEqual(await clusters(), ['sha-a']);
  });

  const cases: Case[] = [
    {
      name: 'a body changed after signing (x-amz-content-sha256 kept)',
      tamper: tamperBody,
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'UNSIGNED-PAYLOAD',
      spec: { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      tamper: tamperBody,
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'a streaming payload',
      spec: { headers: { 'x-amz-content-sha256': STREAMING } },
      tamper: tamperBody,
      expected: { type: 'InvalidSignatureException', status: 400, message: MISMATCH },
    },
    {
      name: 'host left unsigned',
      spec: { unsigned: ['host'] },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      },
    },
    {
      name: 'X-Amz-Target left unsigned',
      spec: { unsigned: ['x-amz-target'] },
      expected: unsignedHeader('X-Amz-Target'),
    },
    {
      name: 'X-Amz-Date left unsigned',
      spec: { unsigned: ['x-amz-date'] },
      expected: unsignedHeader('X-Amz-Date'),
    },
    {
      name: 'a session token on long-term credentials',
      spec: { credentials: { ...TEST_CREDENTIALS, sessionToken: 'made-up' } },
      expected: { type: 'UnrecognizedClientException', status: 400, message: INVALID_TOKEN },
    },
    {
      name: 'an unsigned session token',
      tamper: (r) => {
        r.headers['x-amz-security-token'] = 'made-up';
      },
      expected: unsignedHeader('X-Amz-Security-Token'),
    },
    {
      name: "a region that is no region ('xx')",
      spec: { region: 'xx' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Credential should be scoped to a valid region, not 'xx'.",
      },
    },
    {
      // Every valid region is served (test/api/regions.test.ts); a name that is no region is not.
      name: 'a scope whose region is no AWS region',
      spec: { region: 'middle-earth' },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Credential should be scoped to a valid region, not 'middle-earth'.",
      },
    },
    {
      name: 'query-string auth beside the header',
      tamper: (r) => {
        r.url.search = '?X-Amz-Algorithm=AWS4-HMAC-SHA256';
      },
      expected: {
        type: 'InvalidSignatureException',
        status: 400,
        message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      },
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name} and executes nothing`, async () => {
      const request = await ecs('CreateCluster', { body: '{"clusterName":"sha-a2"}', ...c.spec });
      c.tamper?.(request);
      const res = await send(request);
      assert.equal(res.status, c.expected.status);
      assert.equal(res.body.__type, c.expected.type);
      assert.equal(res.body.message, c.expected.message);
      assert.deepEqual(await clusters(), ['sha-a']);
    });
  }
});
