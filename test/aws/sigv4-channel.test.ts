import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { signRequest } from '../../src/core/sign-request.ts';
import type { SecretLookup } from '../../src/aws/sigv4.ts';
import { AgentHub } from '../../src/channel/agent-hub.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import {
  type Handshake,
  INVALID_TOKEN,
  MISMATCH,
  openChannel as open,
  presigned,
  type SignSpec,
  signed,
} from './sigv4-fixtures.ts';

const PATH = '/agent/v1/connect';
const INSTANCE = 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/0123456789abcdef0123456789abcdef';

/** Signs the channel URL as the agent does, then lets the case change what is sent. */
async function attempt(
  endpoint: string,
  spec: SignSpec & { sendQuery?: string; drop?: string[]; add?: Record<string, string> } = {},
): Promise<Handshake> {
  const url = `${endpoint}${PATH}?cluster=c&containerInstance=${encodeURIComponent(INSTANCE)}`;
  const request = await signed({
    method: 'GET',
    url,
    body: '',
    credentials: TEST_CREDENTIALS,
    date: Date.now(),
    ...spec,
  });
  const headers = { ...request.headers, ...spec.add };
  for (const name of spec.drop ?? []) delete headers[name];
  const sent = spec.sendQuery === undefined ? url : `${endpoint}${PATH}?${spec.sendQuery}`;
  return open(sent, headers);
}

const forbidden = (message: string | RegExp) => ({ status: 403, message });

describe('agent channel: signed WebSocket upgrade', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  it("accepts the agent's own signing (src/core/sign-request.ts)", async () => {
    const url = new URL(`${t.plane.endpoint}${PATH}`);
    url.searchParams.set('cluster', 'c');
    url.searchParams.set('containerInstance', INSTANCE);
    const headers = await signRequest(TEST_CREDENTIALS, 'us-east-1', { method: 'GET', url, now: Date.now() });
    assert.deepEqual(await open(url.toString(), headers), { status: 101, body: '' });
  });

  it('accepts a presigned channel URL (query-string SigV4)', async () => {
    const request = await presigned({
      url: `${t.plane.endpoint}${PATH}?cluster=c&containerInstance=${encodeURIComponent(INSTANCE)}`,
      credentials: TEST_CREDENTIALS,
      date: Date.now(),
      expiresIn: 60,
    });
    assert.equal((await open(request.url.toString(), { host: request.headers.host })).status, 101);
  });

  const cases: {
    name: string;
    spec: Parameters<typeof attempt>[1];
    expected: { status: number; message: string | RegExp };
  }[] = [
    {
      name: 'a query changed after signing',
      spec: { sendQuery: `cluster=evil&containerInstance=${encodeURIComponent(INSTANCE)}` },
      expected: forbidden(MISMATCH),
    },
    {
      name: 'a second cluster put in front of the signed one',
      spec: { sendQuery: `cluster=evil&cluster=c&containerInstance=${encodeURIComponent(INSTANCE)}` },
      expected: forbidden(MISMATCH),
    },
    {
      name: 'host left unsigned',
      spec: { unsigned: ['host'] },
      expected: forbidden("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."),
    },
    {
      name: 'a session token on long-term credentials',
      spec: { credentials: { ...TEST_CREDENTIALS, sessionToken: 'made-up' } },
      expected: forbidden(INVALID_TOKEN),
    },
    {
      name: 'an unsigned session token',
      spec: { add: { 'x-amz-security-token': 'made-up' } },
      expected: forbidden("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization."),
    },
    {
      name: 'an unknown access key',
      spec: { credentials: { accessKeyId: 'AKLSUNKNOWN000000000', secretAccessKey: 'x' } },
      expected: forbidden(INVALID_TOKEN),
    },
    {
      name: 'a wrong secret',
      spec: { credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'wrong' } },
      expected: forbidden(MISMATCH),
    },
    {
      name: 'a signature 20 minutes old',
      spec: { date: Date.now() - 20 * 60_000 },
      expected: forbidden(/^Signature expired: \d{8}T\d{6}Z is now earlier than/),
    },
    {
      name: 'another service',
      spec: { service: 's3' },
      expected: forbidden("Credential should be scoped to correct service: 'ecs'."),
    },
    {
      name: "a region that is no region ('xx')",
      spec: { region: 'xx' },
      expected: forbidden("Credential should be scoped to a valid region, not 'xx'."),
    },
    {
      name: 'UNSIGNED-PAYLOAD',
      spec: { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      expected: forbidden(MISMATCH),
    },
    {
      name: 'no signature',
      spec: { drop: ['authorization'] },
      expected: forbidden('Missing Authentication Token'),
    },
  ];
  for (const c of cases) {
    it(`answers 403 to ${c.name}`, async () => {
      const res = await attempt(t.plane.endpoint, c.spec);
      assert.equal(res.status, c.expected.status);
      const message = String(JSON.parse(res.body).message);
      if (typeof c.expected.message === 'string') assert.equal(message, c.expected.message);
      else assert.match(message, c.expected.message);
    });
  }
});

describe('agent channel: temporary credentials', () => {
  let t: TestPlane;
  let server: Server;
  let hub: AgentHub;
  let endpoint: string;
  const LIVE = {
    accessKeyId: 'ASLSLIVE000000000001',
    secretAccessKey: 'live-secret',
    sessionToken: 'live-token',
  };
  const OLD = {
    accessKeyId: 'ASLSOLD0000000000001',
    secretAccessKey: 'old-secret',
    sessionToken: 'old-token',
  };
  const secrets: SecretLookup = (id) => {
    if (id === LIVE.accessKeyId) return { ...LIVE, expiresAt: Date.now() + 3600_000 };
    if (id === OLD.accessKeyId) return { ...OLD, expiresAt: Date.now() - 1000 };
    return undefined;
  };
  before(async () => {
    t = await startTestPlane({ controllers: false });
    hub = new AgentHub(t.plane.regions, secrets, { info() {}, warn() {} });
    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) => {
      if (!hub.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.stop();
  });

  it('accepts a live session with its token, signed by the agent signer', async () => {
    const url = new URL(`${endpoint}${PATH}`);
    url.searchParams.set('cluster', 'c');
    url.searchParams.set('containerInstance', INSTANCE);
    const headers = await signRequest(LIVE, 'us-east-1', { method: 'GET', url, now: Date.now() });
    assert.equal(headers['x-amz-security-token'], LIVE.sessionToken);
    assert.equal((await open(url.toString(), headers)).status, 101);
  });

  for (const c of [
    {
      name: 'an expired session',
      credentials: OLD,
      message: 'The security token included in the request is expired',
    },
    {
      name: 'a session key without its token',
      credentials: { ...LIVE, sessionToken: undefined },
      message: INVALID_TOKEN,
    },
    {
      name: "another session's token",
      credentials: { ...LIVE, sessionToken: OLD.sessionToken },
      message: INVALID_TOKEN,
    },
  ]) {
    it(`answers 403 to ${c.name}`, async () => {
      const res = await attempt(endpoint, { credentials: c.credentials });
      assert.equal(res.status, 403);
      assert.equal(JSON.parse(res.body).message, c.message);
    });
  }
});
