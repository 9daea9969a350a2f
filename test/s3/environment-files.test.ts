/**
 * environmentFiles as the agent resolves them: the envfile parsing rules of the ECS agent, the
 * precedence between files, and fetching from Longshore's S3 with the agent's client (real
 * control plane, real signed GETs), including ECS's reason for a missing file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  EnvironmentFileError,
  parseEnvironmentFile,
  parseS3Arn,
  resolveEnvironmentFiles,
} from '../../src/agent/engine/environment-files.ts';
import { SecretsClient } from '../../src/agent/secrets-client.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

describe('env file format', () => {
  test('the agent’s rules: # comments, first = splits, empty names or values skipped, nothing trimmed', () => {
    const text =
      '# comment\nA=1\n\nB=x=y\nno-equals\n=novalue\nEMPTY=\n C=spaced \nQ="quoted"\nA=2\r\nexport E=f\n';
    assert.deepEqual(parseEnvironmentFile(text), {
      A: '2',
      B: 'x=y',
      ' C': 'spaced ',
      Q: '"quoted"',
      'export E': 'f',
    });
  });

  test('S3 object ARNs', () => {
    assert.deepEqual(parseS3Arn('arn:aws:s3:::bucket/dir/app.env'), { bucket: 'bucket', key: 'dir/app.env' });
    assert.equal(parseS3Arn('arn:aws:s3:::bucket'), undefined);
    assert.equal(parseS3Arn('s3://bucket/app.env'), undefined);
  });
});

describe('fetching environment files from Longshore S3', () => {
  let t: TestPlane;
  let agentClient: SecretsClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    const s3 = new S3Client({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'config' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'config', Key: 'first.env', Body: 'SHARED=from-first\nONLY_FIRST=1\n' }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'config',
        Key: 'nested/second file.env',
        Body: 'SHARED=from-second\nONLY_SECOND=2\n',
      }),
    );
    const eu = new S3Client({
      endpoint: t.plane.endpoint,
      region: 'eu-west-1',
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
    });
    await eu.send(
      new CreateBucketCommand({
        Bucket: 'config-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await eu.send(new PutObjectCommand({ Bucket: 'config-eu', Key: 'eu.env', Body: 'IN_EU=yes\n' }));
    s3.destroy();
    eu.destroy();
    agentClient = new SecretsClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
  });
  after(async () => {
    await t?.stop();
  });

  test('the first file that sets a name wins; a bucket in another region is found', async () => {
    const env = await resolveEnvironmentFiles(
      {
        environmentFiles: [
          { type: 's3', value: 'arn:aws:s3:::config/first.env' },
          { type: 's3', value: 'arn:aws:s3:::config/nested/second file.env' },
          { type: 's3', value: 'arn:aws:s3:::config-eu/eu.env' },
        ],
      },
      agentClient,
    );
    assert.deepEqual(env, { SHARED: 'from-first', ONLY_FIRST: '1', ONLY_SECOND: '2', IN_EU: 'yes' });
  });

  test('a missing object stops the task with ECS’s ResourceInitializationError', async () => {
    const failure = await resolveEnvironmentFiles(
      { environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::config/missing.env' }] },
      agentClient,
    ).then(
      () => assert.fail('expected a failure'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof EnvironmentFileError);
    assert.equal(
      failure.message,
      'ResourceInitializationError: failed to download env files: unable to download env file with key missing.env from bucket config, error: NoSuchKey: The specified key does not exist.',
    );
    const noBucket = await resolveEnvironmentFiles(
      { environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::nowhere/app.env' }] },
      agentClient,
    ).catch((error: Error) => error.message);
    assert.match(
      String(noBucket),
      /from bucket nowhere, error: NoSuchBucket: The specified bucket does not exist$/,
    );
  });
});
