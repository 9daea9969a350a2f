/**
 * TLS from files (`--tls-cert`, `--tls-key`, `--ca-file`) and the health endpoints (`GET /healthz`,
 * `GET /readyz`): the SDK, the aws CLI and a simulated agent over wss:// with a throwaway
 * self-signed certificate; readiness following a PostgreSQL store that stops and starts again.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import {
  DescribeContainerInstancesCommand,
  DiscoverPollEndpointCommand,
  ECSClient,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { pino } from 'pino';
import { startSimulatedAgent } from '../../src/cli/agent-command.ts';
import { healthRoutes } from '../../src/cli/health-routes.ts';
import { readServerFlags } from '../../src/cli/options.ts';
import { loadServerTls, type ServerTls } from '../../src/cli/tls-files.ts';
import { waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { sharedPostgres } from '../support/postgres.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'longshore-tls-'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');
const planes: TestPlane[] = [];
let tls: ServerTls;

/** A throwaway self-signed certificate for 127.0.0.1 (it is its own CA). */
async function selfSigned(cert: string, key: string): Promise<void> {
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ...['-keyout', key, '-out', cert],
  ]);
}

before(async () => {
  await selfSigned(certFile, keyFile);
  tls = loadServerTls(certFile, keyFile);
});
after(async () => {
  for (const p of planes) await p.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

/** A GET without credentials: the status and body (rejects when the connection fails). */
function get(url: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { ...(ca ? { ca } : {}), timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** SDK clients that trust `ca` (the SDK way: an https.Agent with `ca`). */
const trusting = (ca: Buffer) => new NodeHttpHandler({ httpsAgent: new HttpsAgent({ ca }) });

it('refuses half a TLS configuration, unreadable files and a key that is not the certificate’s', async () => {
  assert.throws(
    () => readServerFlags({ 'tls-cert': certFile }, {}, 'server'),
    /--tls-cert and --tls-key go together/,
  );
  assert.throws(() => readServerFlags({}, { LONGSHORE_TLS_KEY: keyFile }, 'server'), /go together/);
  assert.deepEqual(
    readServerFlags({}, { LONGSHORE_TLS_CERT: certFile, LONGSHORE_TLS_KEY: keyFile }, 'server').tls,
    { certFile, keyFile },
  );
  const missing = join(dir, 'missing.pem');
  assert.throws(
    () => loadServerTls(missing, keyFile),
    (e: Error) => e.message.includes(`--tls-cert ${missing}`),
  );
  assert.throws(() => loadServerTls(certFile, certFile), /--tls-key .* is not a PEM private key/);
  const otherCert = join(dir, 'other-cert.pem');
  const otherKey = join(dir, 'other-key.pem');
  await selfSigned(otherCert, otherKey);
  assert.throws(
    () => loadServerTls(certFile, otherKey),
    (e: Error) => e.message.includes(`--tls-key ${otherKey} is not the key of the certificate`),
  );
  writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
  assert.throws(() => loadServerTls(join(dir, 'junk.pem'), keyFile), /is not a PEM certificate/);
});

it('serves the API, the health endpoints and the agent channel over TLS', { timeout: 60_000 }, async () => {
  const t = await startTestPlane({ tls });
  planes.push(t);
  const { endpoint } = t.plane;
  assert.match(endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);

  // The SDK with the CA; without it the certificate is refused; plain HTTP gets no answer.
  const ecs = new ECSClient({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: trusting(tls.cert),
  });
  assert.deepEqual((await ecs.send(new ListClustersCommand({}))).clusterArns, []);
  await assert.rejects(t.ecs.send(new ListClustersCommand({})), /self-signed|SELF_SIGNED/i);
  const plain = await get(endpoint.replace('https:', 'http:')).then(
    (answer) => `status ${answer.status}`,
    (error: Error) => `failed: ${error.message}`,
  );
  assert.match(plain, /^failed|^status 400/, `plain HTTP to the TLS port: ${plain}`);

  // What the control plane hands out names https://.
  const poll = await ecs.send(new DiscoverPollEndpointCommand({}));
  assert.equal(poll.endpoint, `${endpoint}/`);
  const ecr = new ECRClient({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: trusting(tls.cert),
  });
  const token = await ecr.send(new GetAuthorizationTokenCommand({}));
  assert.equal(token.authorizationData?.[0]?.proxyEndpoint, endpoint);
  ecr.destroy();

  // Health over TLS, unsigned.
  assert.deepEqual(await get(`${endpoint}/healthz`, tls.cert), { status: 200, body: 'ok' });
  const ready = await get(`${endpoint}/readyz`, tls.cert);
  assert.equal(ready.status, 200);
  assert.deepEqual(JSON.parse(ready.body), { ready: true, store: 'sqlite', leader: true });

  // The aws CLI with --ca-bundle (asynchronously: this process serves it).
  const cli = await run(
    'aws',
    ['--endpoint-url', endpoint, '--ca-bundle', certFile, 'ecs', 'list-clusters', '--output', 'json'],
    { env: awsCliEnv() },
  );
  assert.deepEqual(JSON.parse(cli.stdout), { clusterArns: [] });

  // A simulated agent over wss:// trusting the CA (--ca-file: from here on this process trusts it).
  const agentDir = mkdtempSync(join(dir, 'agent-'));
  const agent = await startSimulatedAgent({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    dataDir: agentDir,
    values: { runtime: 'simulated', 'ca-file': certFile },
    log: pino({ level: process.env.LONGSHORE_TEST_LOG ?? 'silent' }),
  });
  try {
    assert.ok(agent.connected, 'the control channel is open');
    const described = await waitFor('the instance to be agentConnected', async () => {
      const out = await ecs.send(
        new DescribeContainerInstancesCommand({ containerInstances: [agent.containerInstanceArn] }),
      );
      return out.containerInstances?.[0]?.agentConnected ? out.containerInstances[0] : undefined;
    });
    assert.equal(described.status, 'ACTIVE');
  } finally {
    await agent.stop();
    ecs.destroy();
  }
});

it('answers /healthz and /readyz unsigned beside a bucket named healthz', async () => {
  const t = await startTestPlane({ controllers: false });
  planes.push(t);
  const { endpoint } = t.plane;
  assert.deepEqual(await get(`${endpoint}/healthz`), { status: 200, body: 'ok' });
  const ready = await get(`${endpoint}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(JSON.parse(ready.body), { ready: true, store: 'sqlite', leader: true });
  // S3 claims requests signed for it first: a bucket `healthz` works; unsigned GETs get health.
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'healthz' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'healthz' }));
    assert.equal(listed.Name, 'healthz');
  } finally {
    s3.destroy();
  }
  assert.deepEqual(await get(`${endpoint}/healthz`), { status: 200, body: 'ok' });
});

it('is not ready while the server shuts down', async () => {
  const routes = healthRoutes({
    store: 'sqlite',
    storeHealth: () => ({ ok: true }),
    isLeader: () => false,
    closing: () => true,
  });
  const server = createServer((req, res) => {
    void routes.find((r) => r.path === req.url)?.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const ready = await get(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(JSON.parse(ready.body), {
      ready: false,
      store: 'sqlite',
      leader: false,
      reason: 'the server is shutting down',
    });
    assert.equal((await get(`http://127.0.0.1:${port}/healthz`)).status, 200);
  } finally {
    server.close();
  }
});

const availability = await sharedPostgres();
if ('skip' in availability) {
  it('readiness follows the PostgreSQL store', { skip: availability.skip }, () => {});
} else {
  const pgServer = availability.server;
  after(() => pgServer.close());

  it('readiness follows the PostgreSQL store: 503 once it is out of reach, 200 when it is back', {
    timeout: 60_000,
  }, async () => {
    const t = await startTestPlane({ storeUrl: await pgServer.createDatabase(), controllers: false });
    planes.push(t);
    const readyz = `${t.plane.endpoint}/readyz`;
    const first = await get(readyz);
    assert.equal(first.status, 200);
    assert.deepEqual(JSON.parse(first.body), { ready: true, store: 'postgres', leader: true });
    const stopped = performance.now();
    await pgServer.stop();
    try {
      const down = await waitFor(
        '/readyz to answer 503',
        async () => {
          const answer = await get(readyz);
          return answer.status === 503 ? answer : undefined;
        },
        10_000,
        200,
      );
      const ms = performance.now() - stopped;
      console.log(`# /readyz 503 ${Math.round(ms)} ms after PostgreSQL stopped`);
      assert.ok(ms < 7_000, `not ready after ${Math.round(ms)} ms`);
      const body = JSON.parse(down.body) as { ready: boolean; store: string; reason: string };
      assert.equal(body.ready, false);
      assert.equal(body.store, 'postgres');
      assert.match(body.reason, /has not reached PostgreSQL/);
      assert.equal((await get(`${t.plane.endpoint}/healthz`)).status, 200, 'alive all the same');
    } finally {
      await pgServer.start();
    }
    const restarted = performance.now();
    await waitFor(
      '/readyz to answer 200 again',
      async () => ((await get(readyz)).status === 200 ? true : undefined),
      15_000,
      200,
    );
    console.log(`# /readyz 200 ${Math.round(performance.now() - restarted)} ms after PostgreSQL started`);
  });
}
