import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { RegistryLogin, registryOf } from '../../src/agent/registry-login.ts';

describe("the agent logs in to Longshore's registry for its images", () => {
  it('finds the registry of an image reference as Docker does', () => {
    assert.equal(registryOf('busybox'), undefined);
    assert.equal(registryOf('library/busybox:1'), undefined);
    assert.equal(registryOf('127.0.0.1:4590/demo:latest'), '127.0.0.1:4590');
    assert.equal(registryOf('localhost/demo'), 'localhost');
    assert.equal(
      registryOf('123456789012.dkr.ecr.us-east-1.amazonaws.com/a/b@sha256:00'),
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    );
  });

  it('asks GetAuthorizationToken (signed for ecr) once, then reuses the password until near expiry', async () => {
    const calls: { target?: string; scope?: string }[] = [];
    let now = Date.UTC(2026, 10, 29, 12);
    const server = createServer((req, res) => {
      calls.push({
        target: req.headers['x-amz-target'] as string,
        scope: /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//
          .exec(String(req.headers.authorization))
          ?.slice(1)
          .join('/'),
      });
      const token = Buffer.from('AWS:secret-password').toString('base64');
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({
          authorizationData: [{ authorizationToken: token, expiresAt: now / 1000 + 12 * 3600 }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const login = new RegistryLogin({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
        now: () => now,
      });
      assert.equal(await login.forImage('docker.io/library/busybox:latest'), undefined);
      assert.equal(
        await login.forImage(`127.0.0.1:${port + 1}/demo:latest`),
        undefined,
        'another port is another registry',
      );
      const auth = await login.forImage(`127.0.0.1:${port}/demo:latest`);
      assert.deepEqual(auth, {
        username: 'AWS',
        password: 'secret-password',
        serveraddress: `127.0.0.1:${port}`,
      });
      assert.deepEqual(await login.forImage(`localhost:${port}/other:1`), {
        ...auth,
        serveraddress: `localhost:${port}`,
      });
      assert.deepEqual(calls, [
        { target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken', scope: 'eu-west-1/ecr' },
      ]);
      now += 11.5 * 3600_000;
      await login.forImage(`127.0.0.1:${port}/demo:latest`);
      assert.equal(calls.length, 2, 'renewed within the last hour of validity');
    } finally {
      server.close();
    }
  });

  it("names the control plane's address as the pull source for a loopback repository URI, seen from another host", async () => {
    // The registry calls itself 127.0.0.1:4590; this agent reaches the control plane at 127.0.0.2:<port>.
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({
          authorizationData: [
            {
              authorizationToken: Buffer.from('AWS:pw').toString('base64'),
              expiresAt: Date.now() / 1000 + 3600 * 12,
              proxyEndpoint: 'http://127.0.0.1:4590',
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const remote = new RegistryLogin({
        endpoint: `http://127.0.0.2:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      });
      assert.equal(await remote.pullSource('127.0.0.1:4590/team/app:v1'), `127.0.0.2:${port}/team/app:v1`);
      assert.equal(await remote.pullSource('127.0.0.1:4591/app:v1'), '127.0.0.1:4591/app:v1', 'another port');
      assert.equal(
        await remote.pullSource('127.0.0.1:4590/app@sha256:' + 'a'.repeat(64)),
        `127.0.0.1:4590/app@sha256:${'a'.repeat(64)}`,
      );
      assert.equal(await remote.pullSource('busybox:latest'), 'busybox:latest');
      assert.equal((await remote.forImage('127.0.0.1:4590/team/app:v1'))?.serveraddress, '127.0.0.1:4590');
      assert.equal(await remote.forImage('127.0.0.1:4591/app:v1'), undefined);
      // Same port as the endpoint: loopback is ours without asking.
      const samePort = new RegistryLogin({
        endpoint: 'http://10.0.0.5:4590',
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      });
      assert.equal(await samePort.pullSource('localhost:4590/app'), '10.0.0.5:4590/app');
      const local = new RegistryLogin({
        endpoint: 'http://127.0.0.1:4590',
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      });
      assert.equal(await local.pullSource('127.0.0.1:4590/app:v1'), '127.0.0.1:4590/app:v1');
    } finally {
      server.close();
    }
  });
});
