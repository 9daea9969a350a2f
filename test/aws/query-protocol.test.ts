/** AWS Query through STS: the real `@aws-sdk/client-sts`, the `aws` CLI, presigned URLs, and the Query error shape. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetCallerIdentityCommand, GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';

const run = promisify(execFile);
const ACCOUNT = '000000000000';
const ROOT = { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` };

describe('AWS Query (STS)', () => {
  let t: TestPlane;
  let sts: STSClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    sts = new STSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    sts.destroy();
    await t.stop();
  });

  const query = (params: Record<string, string>, extra: { unsigned?: boolean } = {}) =>
    rawAws(t.plane.endpoint, { service: 'sts', ...form(params), ...extra });
  const expectQueryError = (
    res: { status: number; text: string; headers: Headers },
    code: string,
    status: number,
  ) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    assert.match(
      res.text,
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type>/,
    );
    assert.match(
      res.text,
      new RegExp(`<Code>${code}</Code><Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId>`),
    );
  };

  it('answers GetCallerIdentity with the root identity of the account (SDK)', async () => {
    const { $metadata, ...identity } = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual(identity, ROOT);
    assert.match($metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('answers `aws sts get-caller-identity`', async () => {
    const { stdout } = await run('aws', ['--endpoint-url', t.plane.endpoint, 'sts', 'get-caller-identity'], {
      env: awsCliEnv(),
    });
    assert.deepEqual(JSON.parse(stdout), ROOT);
  });

  it('writes the awsQuery envelope', async () => {
    const res = await query({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
    assert.equal(res.status, 200);
    assert.match(
      res.text,
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>000000000000<\/UserId><Account>000000000000<\/Account><Arn>arn:aws:iam::000000000000:root<\/Arn><\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
  });

  it('accepts presigned GET URLs, with the body hashed or UNSIGNED-PAYLOAD', async () => {
    const url = new URL(t.plane.endpoint);
    const signer = new SignatureV4({
      credentials: TEST_CREDENTIALS,
      region: 'us-east-1',
      service: 'sts',
      sha256: Sha256,
    });
    const variants: Record<string, string>[] = [{}, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }];
    for (const extra of variants) {
      const presigned = await signer.presign(
        {
          method: 'GET',
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: '/',
          query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          headers: { host: url.host, ...extra },
        },
        { expiresIn: 60 },
      );
      const search = new URLSearchParams(presigned.query as Record<string, string>);
      const res = await fetch(`${t.plane.endpoint}/?${search}`);
      assert.equal(res.status, 200, JSON.stringify(extra));
      assert.match(await res.text(), /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
      search.set('Action', 'AssumeRole');
      expectQueryError(await rawFetch(`${t.plane.endpoint}/?${search}`), 'SignatureDoesNotMatch', 403);
    }
  });

  it('accepts a URL presigned by botocore (signed for POST)', async () => {
    const script = [
      'import botocore.session, sys',
      "c = botocore.session.get_session().create_client('sts', region_name='us-east-1', endpoint_url=sys.argv[1],",
      '  aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])',
      "print(c.generate_presigned_url('get_caller_identity', ExpiresIn=60))",
    ].join('\n');
    const { stdout } = await run(
      'python3',
      ['-c', script, t.plane.endpoint, TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey],
      { env: awsCliEnv() },
    );
    const res = await fetch(stdout.trim(), { method: 'POST' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<Account>000000000000<\/Account>/);
  });

  it('answers SigV4 failures with the Query codes', async () => {
    const wrongKey = new STSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKLSNOTKNOWN00000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const wrongSecret = new STSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const unknownKey = await awsError(() => wrongKey.send(new GetCallerIdentityCommand({})));
    assert.deepEqual([unknownKey.name, unknownKey.status], ['InvalidClientTokenId', 403]);
    const mismatch = await awsError(() => wrongSecret.send(new GetCallerIdentityCommand({})));
    assert.deepEqual([mismatch.name, mismatch.status], ['SignatureDoesNotMatch', 403]);
    expectQueryError(
      await query({ Action: 'GetCallerIdentity', Version: '2011-06-15' }, { unsigned: true }),
      'MissingAuthenticationToken',
      403,
    );
    wrongKey.destroy();
    wrongSecret.destroy();
  });

  it('answers unknown and missing actions and unknown versions', async () => {
    const unknown = await query({ Action: 'MakeCoffee', Version: '2011-06-15' });
    expectQueryError(unknown, 'InvalidAction', 400);
    assert.match(unknown.text, /Could not find operation MakeCoffee for version 2011-06-15/);
    expectQueryError(await query({ Version: '2011-06-15' }), 'MissingAction', 400);
    expectQueryError(
      await query({ Action: 'GetCallerIdentity', Version: '1999-01-01' }),
      'NoSuchVersion',
      400,
    );
  });

  it('answers model operations Longshore lacks with UnsupportedFeatureException', async () => {
    const e = await awsError(() => sts.send(new GetFederationTokenCommand({ Name: 'federated' })));
    assert.equal(e.name, 'UnsupportedFeatureException');
    assert.equal(e.status, 400);
    assert.match(e.message, /GetFederationToken .*docs\/api-coverage-sts\.md/);
  });
});

async function rawFetch(url: string) {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, text: await res.text() };
}
