/**
 * The registry's storage: garbage collection (what no image references is freed after its grace
 * period, what an image still holds or a push may still name is kept), and a 100 MB blob streamed
 * in and out without being held in memory (its throughput is printed).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pushBlob, pushImage, type RegistryFixture, startRegistry } from './registry-client.ts';

describe('registry storage', () => {
  let reg: RegistryFixture;
  const blobFile = (digest: string) =>
    join(reg.tp.dataDir, 'registry', 'blobs', 'sha256', digest.slice(7, 9), digest.slice(7));

  before(async () => {
    reg = await startRegistry();
    await reg.createRepository('gc');
  });
  after(() => reg.stop());

  /** Backdates every blob and upload file by two hours (past the one-hour grace). */
  async function age(): Promise<void> {
    const then = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    const root = join(reg.tp.dataDir, 'registry');
    for (const dir of ['blobs/sha256', 'uploads']) {
      const base = join(root, dir);
      if (!existsSync(base)) continue;
      for (const entry of await readdir(base, { recursive: true })) {
        const path = join(base, entry);
        if ((await stat(path)).isFile()) await utimes(path, then, then);
      }
    }
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  it('frees what a deleted image alone held; keeps shared, referenced and fresh blobs', async () => {
    const a = await pushImage(reg, 'gc', 'a', 'alpha');
    const b = await pushImage(reg, 'gc', 'b', 'beta');
    // b's layer is also named by a second image in another repository.
    await reg.createRepository('gc2');
    const shared = await pushImage(reg, 'gc2', 'same-as-b', 'beta');
    assert.equal(shared.layer, b.layer);
    // An orphan upload file (a crash between creating it and recording it).
    const orphan = join(reg.tp.dataDir, 'registry', 'uploads', 'deadbeef'.repeat(4));
    mkdirSync(join(reg.tp.dataDir, 'registry', 'uploads'), { recursive: true });
    writeFileSync(orphan, 'partial');
    await age();
    // A blob uploaded just now, for a manifest not pushed yet, is fresh.
    const fresh = await pushBlob(reg, 'gc', 'uploaded a moment ago');
    // And an old blob that a push names again (HEAD, skipped upload) gets its grace back.
    const revived = await pushBlob(reg, 'gc', 'old but named again');
    const then = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    utimesSync(blobFile(revived), then, then);
    assert.equal((await reg.call('HEAD', `/v2/gc/blobs/${revived}`)).status, 200);

    assert.equal((await reg.call('DELETE', `/v2/gc/manifests/${a.digest}`)).status, 202);
    await until(() => !existsSync(blobFile(a.digest)), "a's manifest to be collected");
    await until(() => !existsSync(orphan), 'the orphan upload to be collected');
    assert.ok(!existsSync(blobFile(a.config)));
    assert.ok(!existsSync(blobFile(a.layer)));
    for (const kept of [b.digest, b.config, b.layer, shared.digest, fresh, revived]) {
      assert.ok(existsSync(blobFile(kept)), `${kept} must survive`);
    }
    const pulled = await reg.call('GET', '/v2/gc/manifests/b');
    assert.equal(pulled.status, 200);
    assert.equal((await reg.call('GET', `/v2/gc/blobs/${b.layer}`)).status, 200);
    // Deleting b: gc2 holds the very same manifest (same bytes, same digest), so nothing goes.
    assert.equal(shared.digest, b.digest);
    assert.equal((await reg.call('DELETE', `/v2/gc/manifests/${b.digest}`)).status, 202);
    assert.equal((await reg.call('GET', '/v2/gc2/manifests/same-as-b')).status, 200);
    await age();
    // Deleted there too: everything of b goes.
    assert.equal((await reg.call('DELETE', `/v2/gc2/manifests/${b.digest}`)).status, 202);
    await until(() => !existsSync(blobFile(b.digest)), "b's manifest to be collected");
    assert.ok(!existsSync(blobFile(b.layer)));
    assert.ok(!existsSync(blobFile(b.config)));
  });

  it('streams a 100 MB blob in (session and monolithic) and out, without holding it in memory', async () => {
    const size = 100 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
    const hash = createHash('sha256');
    for (let i = 0; i < size / chunk.length; i++) hash.update(chunk);
    const digest = `sha256:${hash.digest('hex')}`;
    const body = () =>
      new ReadableStream({
        pull(controller) {
          sent += chunk.length;
          controller.enqueue(new Uint8Array(chunk));
          if (sent >= size) controller.close();
        },
      });
    let sent = 0;
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const start = await reg.call('POST', '/v2/gc/blobs/uploads/');
    const put = await reg.call('PUT', `${start.headers.get('location')}?digest=${digest}`, {
      body: body(),
      headers: { 'content-type': 'application/octet-stream' },
    });
    const putSeconds = (performance.now() - t0) / 1000;
    assert.equal(put.status, 201, put.body.toString());
    const t1 = performance.now();
    const res = await fetch(`http://${reg.host}/v2/gc/blobs/${digest}`, {
      headers: { authorization: reg.authorization },
    });
    const check = createHash('sha256');
    let got = 0;
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      check.update(part);
      got += part.length;
    }
    const getSeconds = (performance.now() - t1) / 1000;
    assert.equal(got, size);
    assert.equal(`sha256:${check.digest('hex')}`, digest);
    const rssGrowth = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    console.log(
      `registry 100 MB blob (client and server in one process): PUT ${(100 / putSeconds).toFixed(0)} MB/s, GET ${(100 / getSeconds).toFixed(0)} MB/s, RSS growth ${rssGrowth.toFixed(0)} MB`,
    );
    // (RSS is printed, not asserted: the client's own buffers live in this process too.)
    // Monolithic POST ?digest= of the same bytes: accepted again, same blob.
    sent = 0;
    const mono = await reg.call('POST', `/v2/gc/blobs/uploads/?digest=${digest}`, { body: body() });
    assert.equal(mono.status, 201);
  });
});
