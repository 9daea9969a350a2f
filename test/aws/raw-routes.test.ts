/** Raw HTTP routes on the gateway: prefix matching, SigV4 or none, buffered or streamed bodies, AWS-shaped failures. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createGateway } from '../../src/aws/gateway.ts';
import type { RawRoute } from '../../src/aws/protocols/raw-routes.ts';
import { Throttle } from '../../src/aws/throttle.ts';
import { ProtocolError } from '../../src/aws/errors.ts';
import { systemClock } from '../../src/core/system.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { rawAws } from '../support/raw-aws.ts';

const routes: RawRoute[] = [
  {
    method: 'GET',
    prefix: '/v2/',
    auth: { type: 'none' },
    body: 'stream',
    async handle(req, res) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    },
  },
  {
    method: 'GET',
    prefix: '/v2/private/',
    auth: { type: 'none' },
    body: 'stream',
    async handle() {
      throw new ProtocolError('DENIED' as string, 'private', 403);
    },
    writeError: (error) => ({
      status: error.status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errors: [{ code: error.type, message: error.message }] }),
    }),
  },
  {
    method: '*',
    prefix: '/admin/',
    auth: { type: 'sigv4', service: 'elasticloadbalancing' },
    body: 'buffered',
    async handle(_req, res, ctx) {
      const answer = { caller: ctx.caller?.accessKeyId, body: ctx.body?.toString('utf8') };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    },
  },
];

describe('raw HTTP routes', () => {
  let server: Server;
  let endpoint: string;
  before(async () => {
    const keys = new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey]]);
    const gateway = createGateway({
      services: [],
      rawRoutes: routes,
      secrets: (id) => keys.get(id),
      region: 'us-east-1',
      throttle: new Throttle(0),
      clock: systemClock,
      newRequestId: randomUUID,
      log: { error() {}, debug() {} },
    });
    server = createServer(gateway);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves a prefix without authentication', async () => {
    const res = await fetch(`${endpoint}/v2/library/busybox/manifests/latest`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { path: '/v2/library/busybox/manifests/latest' });
    assert.ok(res.headers.get('x-amzn-requestid'));
  });

  it('picks the longest prefix and writes its failures its own way', async () => {
    const res = await fetch(`${endpoint}/v2/private/x`);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { errors: [{ code: 'DENIED', message: 'private' }] });
  });

  it('leaves other methods to the AWS protocols', async () => {
    const res = await fetch(`${endpoint}/v2/x`, { method: 'DELETE' });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });

  it('verifies SigV4 over the buffered body and hands the caller to the route', async () => {
    const signed = await rawAws(endpoint, {
      service: 'elasticloadbalancing',
      method: 'PUT',
      path: '/admin/targets',
      body: 'target=10.0.0.1',
    });
    assert.equal(signed.status, 200, signed.text);
    assert.deepEqual(JSON.parse(signed.text), {
      caller: TEST_CREDENTIALS.accessKeyId,
      body: 'target=10.0.0.1',
    });
    const unsigned = await rawAws(endpoint, {
      service: 'elasticloadbalancing',
      path: '/admin/x',
      unsigned: true,
    });
    assert.equal(unsigned.status, 403);
    assert.equal(JSON.parse(unsigned.text).__type, 'MissingAuthenticationTokenException');
    const otherService = await rawAws(endpoint, { service: 'ecs', path: '/admin/x' });
    assert.equal(otherService.status, 400);
    assert.equal(JSON.parse(otherService.text).__type, 'InvalidSignatureException');
  });
});
