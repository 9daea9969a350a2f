/**
 * The agent's own ECS calls (src/agent/ecs-client.ts): the request @aws-sdk/client-ecs sends
 * (method, path, target, content type, JSON body), a signature the control plane accepts, the
 * SDK's retries and its error shape.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ECSClient, RegisterContainerInstanceCommand } from '@aws-sdk/client-ecs';
import { agentEcsCalls, EcsServiceError, MAX_ATTEMPTS } from '../../src/agent/ecs-client.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A server that records each request and answers with the next of `answers` (the last one repeats). */
async function fakeEcs(answers: { status: number; body: object; headers?: Record<string, string> }[]) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const answer = answers[Math.min(seen.length, answers.length) - 1];
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, endpoint, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const INPUT = {
  cluster: 'default',
  containerInstanceArn: undefined,
  instanceIdentityDocument: JSON.stringify({ instanceId: 'i-0123', hostname: 'h' }),
  totalResources: [
    { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375'] },
  ],
  versionInfo: { agentVersion: '1.0.0', agentHash: 'longshore', dockerVersion: 'DockerVersion: 20.10' },
  attributes: [{ name: 'ecs.os-type', value: 'linux' }, { name: 'flag' }],
};

const noWait = { sleep: async () => {}, random: () => 0.5 };

/** The agent's calls to `endpoint`, with the test key (or `credentials`), waiting nothing between attempts. */
function callsTo(endpoint: string, credentials = TEST_CREDENTIALS) {
  return agentEcsCalls({ endpoint: () => endpoint, region: 'us-east-1', credentials, ...noWait });
}

describe('agent ECS calls', () => {
  it('send what the SDK sends: target, content type, path and JSON body', async () => {
    const fake = await fakeEcs([
      { status: 200, body: { containerInstance: { containerInstanceArn: 'arn:x' } } },
    ]);
    const sdk = new ECSClient({
      endpoint: fake.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    try {
      await sdk.send(new RegisterContainerInstanceCommand(INPUT));
      const out = await callsTo(fake.endpoint).send('RegisterContainerInstance', INPUT);
      assert.equal(out.containerInstance?.containerInstanceArn, 'arn:x');
      const [theirs, mine] = fake.seen;
      assert.equal(mine.method, theirs.method);
      assert.equal(mine.url, theirs.url);
      assert.deepEqual(JSON.parse(mine.body), JSON.parse(theirs.body));
      for (const name of ['x-amz-target', 'content-type', 'host'])
        assert.equal(mine.headers[name], theirs.headers[name], name);
      assert.match(
        String(mine.headers.authorization),
        /^AWS4-HMAC-SHA256 Credential=AKLSTESTTESTTESTTEST\/\d{8}\/us-east-1\/ecs\/aws4_request/,
      );
    } finally {
      sdk.destroy();
      await fake.close();
    }
  });

  it('retry server errors and throttling as the SDK does, then fail with its error shape', async () => {
    const fake = await fakeEcs([
      { status: 500, body: { __type: 'ServerException', message: 'boom' } },
      { status: 400, body: { __type: 'com.amazonaws.ecs#ThrottlingException', message: 'slow down' } },
      { status: 200, body: { cluster: { clusterName: 'default' } } },
    ]);
    try {
      const ecs = callsTo(fake.endpoint);
      const out = await ecs.send('CreateCluster', { clusterName: 'default' });
      assert.equal(out.cluster?.clusterName, 'default');
      assert.equal(fake.seen.length, 3);
    } finally {
      await fake.close();
    }

    const refused = await fakeEcs([
      {
        status: 400,
        body: { __type: 'ClientException', message: 'no such cluster' },
        headers: { 'x-amzn-requestid': 'r-1' },
      },
    ]);
    try {
      const ecs = callsTo(refused.endpoint);
      const error = await ecs.send('CreateCluster', { clusterName: 'x' }).catch((e: unknown) => e);
      assert.ok(error instanceof EcsServiceError);
      assert.equal(error.name, 'ClientException');
      assert.equal(error.message, 'no such cluster');
      assert.equal(error.$fault, 'client');
      assert.deepEqual(error.$metadata, { httpStatusCode: 400, attempts: 1, requestId: 'r-1' });
      assert.equal(refused.seen.length, 1, 'a client error is not retried');
    } finally {
      await refused.close();
    }
  });

  it(`give up on an unreachable endpoint after ${MAX_ATTEMPTS} attempts, with Node's error (no HTTP status)`, async () => {
    const fake = await fakeEcs([{ status: 200, body: {} }]);
    await fake.close();
    let attempts = 0;
    const ecs = agentEcsCalls({
      endpoint: () => {
        attempts++;
        return fake.endpoint;
      },
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      ...noWait,
    });
    const error = (await ecs.send('CreateCluster', { clusterName: 'x' }).catch((e: unknown) => e)) as {
      code?: string;
      $metadata?: unknown;
    };
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.$metadata, undefined);
    assert.equal(attempts, MAX_ATTEMPTS);
  });

  describe('against a control plane', () => {
    let t: TestPlane;
    before(async () => {
      t = await startTestPlane({ controllers: false });
    });
    after(() => t.stop());

    it('is accepted (signature, operation, answer)', async () => {
      const ecs = callsTo(t.plane.endpoint);
      const out = await ecs.send('CreateCluster', { clusterName: 'ecs-client-test' });
      assert.equal(out.cluster?.clusterName, 'ecs-client-test');
      assert.equal(out.cluster?.status, 'ACTIVE');
      const bad = callsTo(t.plane.endpoint, { ...TEST_CREDENTIALS, secretAccessKey: 'wrong' });
      const error = (await bad
        .send('CreateCluster', { clusterName: 'x' })
        .catch((e: unknown) => e)) as EcsServiceError;
      assert.ok(error instanceof EcsServiceError);
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.match(error.name, /Signature|Unrecognized|AccessDenied/);
    });
  });
});
