import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { rawEcs } from '../support/raw-request.ts';

describe('AWS JSON protocol and SigV4', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ maxBodyBytes: 64 * 1024 });
  });
  after(() => t.stop());

  const expectError = (
    res: { status: number; headers: Headers; body: Record<string, unknown> },
    type: string,
    status = 400,
  ) => {
    assert.equal(res.status, status);
    assert.equal(res.body.__type, type);
    assert.equal(res.headers.get('x-amzn-errortype'), type);
    assert.ok(res.headers.get('x-amzn-requestid'));
    assert.equal(typeof res.body.message, 'string');
  };

  it('answers a well-signed request with a request id', async () => {
    const res = await rawEcs(t.plane.endpoint, 'ListClusters');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { clusterArns: [] });
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('rejects a missing signature', async () => {
    expectError(
      await rawEcs(t.plane.endpoint, 'ListClusters', { unsigned: true }),
      'MissingAuthenticationTokenException',
      403,
    );
  });

  it('rejects a malformed Authorization header', async () => {
    const res = await rawEcs(t.plane.endpoint, 'ListClusters', {
      tamper: (h) => {
        h.authorization = 'AWS4-HMAC-SHA256 Credential=abc';
      },
    });
    expectError(res, 'IncompleteSignatureException');
  });

  it('rejects an unknown access key', async () => {
    const res = await rawEcs(t.plane.endpoint, 'ListClusters', {
      credentials: { accessKeyId: 'AKLSNOTKNOWN00000000', secretAccessKey: 'x' },
    });
    expectError(res, 'UnrecognizedClientException');
    assert.equal(res.body.message, 'The security token included in the request is invalid.');
  });

  it('rejects a wrong secret', async () => {
    const res = await rawEcs(t.plane.endpoint, 'ListClusters', {
      credentials: { accessKeyId: 'AKLSTESTTESTTESTTEST', secretAccessKey: 'wrong' },
    });
    expectError(res, 'InvalidSignatureException');
  });

  it('rejects a body changed after signing', async () => {
    const res = await rawEcs(t.plane.endpoint, 'ListClusters', {
      tamper: (h) => {
        h['x-amz-target'] = 'AmazonEC2ContainerServiceV20141113.CreateCluster';
      },
    });
    expectError(res, 'InvalidSignatureException');
  });

  it('rejects expired and future signatures', async () => {
    const old = await rawEcs(t.plane.endpoint, 'ListClusters', {
      signingDate: new Date(Date.now() - 20 * 60_000),
    });
    expectError(old, 'InvalidSignatureException');
    assert.match(String(old.body.message), /^Signature expired/);
    const future = await rawEcs(t.plane.endpoint, 'ListClusters', {
      signingDate: new Date(Date.now() + 20 * 60_000),
    });
    expectError(future, 'InvalidSignatureException');
    assert.match(String(future.body.message), /^Signature not yet current/);
  });

  it('rejects a request signed for no AWS region, or for another service', async () => {
    expectError(
      await rawEcs(t.plane.endpoint, 'ListClusters', { region: 'nowhere' }),
      'InvalidSignatureException',
    );
    expectError(
      await rawEcs(t.plane.endpoint, 'ListClusters', { service: 's3' }),
      'InvalidSignatureException',
    );
  });

  it('answers unknown operations and targets', async () => {
    expectError(await rawEcs(t.plane.endpoint, 'MakeCoffee'), 'UnknownOperationException');
    expectError(
      await rawEcs(t.plane.endpoint, 'X', { target: 'NoSuchService.Op' }),
      'UnknownOperationException',
    );
  });

  it('answers model operations Longshore lacks with UnsupportedFeatureException', async () => {
    const res = await rawEcs(t.plane.endpoint, 'CreateTaskSet', {
      body: '{"service":"s","cluster":"c","taskDefinition":"t"}',
    });
    expectError(res, 'UnsupportedFeatureException');
  });

  it('rejects malformed JSON, wrong member types and missing required members', async () => {
    expectError(
      await rawEcs(t.plane.endpoint, 'ListClusters', { body: '{not json' }),
      'SerializationException',
    );
    expectError(await rawEcs(t.plane.endpoint, 'ListClusters', { body: '[1]' }), 'SerializationException');
    expectError(
      await rawEcs(t.plane.endpoint, 'ListClusters', { body: '{"maxResults":"ten"}' }),
      'SerializationException',
    );
    expectError(
      await rawEcs(t.plane.endpoint, 'DescribeClusters', { body: '{"clusters":"c1"}' }),
      'SerializationException',
    );
    const missing = await rawEcs(t.plane.endpoint, 'DeleteCluster', { body: '{}' });
    expectError(missing, 'InvalidParameterException');
    assert.match(String(missing.body.message), /Value null at 'cluster' failed to satisfy constraint/);
  });

  it('rejects oversized bodies with 413', async () => {
    const big = JSON.stringify({ clusterName: 'x', tags: [{ key: 'k', value: 'v'.repeat(70 * 1024) }] });
    expectError(
      await rawEcs(t.plane.endpoint, 'CreateCluster', { body: big }),
      'RequestEntityTooLargeException',
      413,
    );
  });

  it('works through the SDK after all those failures (no crash)', async () => {
    const out = await t.ecs.send(new ListClustersCommand({}));
    assert.deepEqual(out.clusterArns, []);
  });
});

describe('throttling', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ throttle: 0.1 });
  });
  after(() => t.stop());

  it('returns ThrottlingException "Rate exceeded" once a category bucket is empty', async () => {
    // clusterRead: burst 50 x 0.1 = 5 tokens, refilling 2 per second.
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await rawEcs(t.plane.endpoint, 'ListClusters'));
    const throttled = results.filter((r) => r.status === 400 && r.body.__type === 'ThrottlingException');
    assert.ok(throttled.length >= 5, `expected throttling, got ${throttled.length}`);
    assert.equal(throttled[0].body.message, 'Rate exceeded');
    // Another category has its own bucket.
    const other = await rawEcs(t.plane.endpoint, 'ListTasks');
    assert.notEqual(other.body.__type, 'ThrottlingException');
  });
});
