/**
 * dockerode as the agent loads it (src/agent/docker/dockerode.ts): without ssh2, gRPC, protobufjs,
 * tar-fs or readable-stream until a call needs them, and then with them, as before.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `body` in a fresh Node (a module cache of its own) after loading the agent's dockerode; prints JSON. */
async function inFreshNode(body: string): Promise<Record<string, unknown>> {
  const script = `
    import { createRequire } from 'node:module';
    const { DockerClient, deferredDockerModules } = await import(${JSON.stringify(new URL('../../src/agent/docker/dockerode.ts', import.meta.url).href)});
    const require = createRequire(import.meta.url);
    const loaded = (part) => Object.keys(require.cache).some((file) => file.includes(part));
    ${body}
  `;
  const { stdout } = await run(process.execPath, [
    '--disable-warning=ExperimentalWarning',
    '--input-type=module',
    '-e',
    script,
  ]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the agent's dockerode", () => {
  it('defers the modules a call may need, and loads them for it', async () => {
    const out = await inFreshNode(`
      const before = ['/ssh2/', '/@grpc/', '/protobufjs/', '/tar-stream/', '/readable-stream/'].filter(loaded);
      const deferred = deferredDockerModules().map((f) => f.split('node_modules/').pop());
      // dockerode's build context packing: the stand-in hands on to tar-fs.
      const pack = require(deferredDockerModules().find((f) => f.includes('tar-fs'))).pack;
      const docker = new DockerClient();
      console.log(JSON.stringify({ before, deferred, pack: typeof pack, tarStream: loaded('/tar-stream/'), ping: typeof docker.ping }));
    `);
    assert.deepEqual(out.before, []);
    assert.deepEqual(out.deferred, [
      'dockerode/lib/session.js',
      'dockerode/lib/service.js',
      'dockerode/lib/plugin.js',
      'dockerode/lib/secret.js',
      'dockerode/lib/config.js',
      'dockerode/lib/task.js',
      'dockerode/lib/node.js',
      'tar-fs/index.js',
      '@balena/dockerignore/ignore.js',
      'docker-modem/lib/ssh.js',
      'docker-modem/lib/http_duplex.js',
    ]);
    assert.equal(out.pack, 'function');
    assert.equal(out.tarStream, true);
    assert.equal(out.ping, 'function');
  });

  it('constructs deferred classes and calls deferred functions through their stand-ins', async () => {
    const out = await inFreshNode(`
      const docker = new DockerClient();
      const service = docker.getService('web');
      const session = require(deferredDockerModules().find((f) => f.endsWith('session.js')));
      const grpcBefore = loaded('/@grpc/');
      console.log(JSON.stringify({ id: service.id, inspect: typeof service.inspect, session: session.name, grpcBefore, grpc: loaded('/@grpc/') }));
    `);
    assert.deepEqual(out, {
      id: 'web',
      inspect: 'function',
      session: 'withSession',
      grpcBefore: false,
      grpc: true,
    });
  });
});
