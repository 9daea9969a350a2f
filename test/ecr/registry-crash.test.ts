/**
 * Crash safety: `kill -9` of a control plane in the middle of a push, a restart on the same data
 * directory, then the push again. The repository ends consistent: what was pushed before pulls
 * intact, the interrupted blob is not visible, every stored blob hashes to its name, and the
 * push completes (resuming the interrupted session).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type CliProcess, freePort, startCli, stopCli } from '../support/spawn-cli.ts';
import { digestOf, imageManifest, pushImage, type RegistryFixture, registryAt } from './registry-client.ts';

describe('registry crash safety', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-registry-crash-'));
  let server: CliProcess | undefined;
  let reg: RegistryFixture | undefined;
  after(async () => {
    reg?.ecr.destroy();
    if (server) await stopCli(server).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 mid-upload, restart, push again: consistent repository, no half-visible blob', async () => {
    const port = await freePort();
    const start = () =>
      startCli(['server', '--data-dir', dataDir, '--port', String(port), '--throttle', '0']);
    server = await start();
    reg = await registryAt(server.endpoint);
    await reg.createRepository('crash');
    const before = await pushImage(reg, 'crash', 'v1', 'before the crash');

    // A 48 MiB layer streamed slowly through one PATCH; the server dies once 8 MiB are on disk.
    const size = 48 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    const layerDigest = digestOf(Buffer.alloc(size, 0x5a));
    const session = await reg.call('POST', '/v2/crash/blobs/uploads/');
    const location = session.headers.get('location') ?? '';
    let sent = 0;
    const body = new ReadableStream({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 15));
        controller.enqueue(new Uint8Array(chunk));
        sent += chunk.length;
        if (sent >= size) controller.close();
      },
    });
    const uploadFile = join(dataDir, 'registry', 'uploads', location.split('/').pop() ?? '');
    const patch = reg.call('PATCH', location, { body }).catch((error: unknown) => error);
    for (let i = 0; i < 500; i++) {
      if ((statSync(uploadFile, { throwIfNoEntry: false })?.size ?? 0) > 8 * 1024 * 1024) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    server.child.kill('SIGKILL');
    await stopCli(server, 'SIGKILL').catch(() => {});
    assert.ok((await patch) instanceof Error, 'the PATCH cannot have completed');

    server = await start();
    reg.ecr.destroy();
    reg = await registryAt(server.endpoint);
    // What was pushed before pulls intact.
    const v1 = await reg.call('GET', '/v2/crash/manifests/v1');
    assert.equal(v1.headers.get('docker-content-digest'), before.digest);
    for (const d of [before.config, before.layer]) {
      assert.equal(digestOf((await reg.call('GET', `/v2/crash/blobs/${d}`)).body), d);
    }
    // The interrupted layer is not visible, and every blob on disk is whole.
    assert.equal((await reg.call('HEAD', `/v2/crash/blobs/${layerDigest}`)).status, 404);
    const root = join(dataDir, 'registry', 'blobs', 'sha256');
    for (const prefix of readdirSync(root)) {
      for (const hex of readdirSync(join(root, prefix))) {
        assert.equal(
          createHash('sha256')
            .update(readFileSync(join(root, prefix, hex)))
            .digest('hex'),
          hex,
        );
      }
    }
    // The session survived at its last durable offset (nothing of the cut request counted): resume it.
    const status = await reg.call('GET', location);
    assert.equal(status.status, 204);
    assert.equal(status.headers.get('range'), '0-0');
    const whole = Buffer.alloc(size, 0x5a);
    const resumed = await reg.call('PATCH', location, {
      body: whole,
      headers: { 'content-range': `0-${size - 1}` },
    });
    assert.equal(resumed.status, 202);
    assert.equal((await reg.call('PUT', `${location}?digest=${layerDigest}`)).status, 201);
    const manifest = imageManifest(
      {
        digest: before.config,
        size: Buffer.byteLength(
          JSON.stringify({ architecture: 'amd64', os: 'linux', seed: 'before the crash' }),
        ),
      },
      [{ digest: layerDigest, size }],
    );
    const put = await reg.call('PUT', '/v2/crash/manifests/v2', {
      body: manifest,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    assert.equal(put.status, 201, put.body.toString());
    assert.deepEqual((await reg.call('GET', '/v2/crash/tags/list')).json().tags, ['v1', 'v2']);
    const pulled = await reg.call('GET', `/v2/crash/blobs/${layerDigest}`);
    assert.equal(digestOf(pulled.body), layerDigest);
  });
});
