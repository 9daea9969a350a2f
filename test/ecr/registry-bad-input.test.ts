/**
 * Bad input to the registry: no, wrong or expired credentials, unknown or invalid repositories,
 * wrong digests, truncated uploads, manifests naming missing blobs, invalid tags, oversized or
 * malformed manifests, an immutable tag. Each answers the registry's error code and stores nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kind } from '../../src/store/store.ts';
import type { ImageRecord } from '../../src/ecr/model/records.ts';
import {
  basic,
  digestOf,
  imageManifest,
  passwordAt,
  pushBlob,
  pushImage,
  type RegistryFixture,
  startRegistry,
} from './registry-client.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

describe('registry bad input', () => {
  let reg: RegistryFixture;
  const uploadsDir = () => join(reg.tp.dataDir, 'registry', 'uploads');
  const uploadFiles = () => {
    try {
      return readdirSync(uploadsDir());
    } catch {
      return [];
    }
  };
  const errorOf = (r: { json(): { errors: { code: string; message: string }[] } }) => r.json().errors[0];

  before(async () => {
    reg = await startRegistry();
    await reg.createRepository('app');
  });
  after(() => reg.stop());

  describe('authentication', () => {
    it('anonymous: 401 UNAUTHORIZED with ECR challenge, on every route', async () => {
      for (const [method, path] of [
        ['GET', '/v2/'],
        ['GET', '/v2/app/tags/list'],
        ['POST', '/v2/app/blobs/uploads/'],
        ['GET', '/v2/_catalog'],
      ]) {
        const r = await reg.call(method, path, { auth: false });
        assert.equal(r.status, 401, `${method} ${path}`);
        assert.equal(
          r.headers.get('www-authenticate'),
          `Basic realm="https://${reg.host}/",service="ecr.amazonaws.com"`,
        );
        assert.equal(r.headers.get('docker-distribution-api-version'), 'registry/2.0');
        assert.equal(errorOf(r).code, 'UNAUTHORIZED');
      }
      const put = await reg.call('PUT', '/v2/app/manifests/latest', { auth: false, body: '{}' });
      assert.equal(put.status, 401);
      assert.deepEqual((await reg.call('GET', '/v2/app/tags/list')).json().tags, []);
    });

    it('a forged, an expired, a wrong-user or a malformed credential: 401', async () => {
      const forged = `${reg.password.split('.')[0]}.${Buffer.alloc(32).toString('base64url')}`;
      const expired = passwordAt(Date.now() - 13 * 60 * 60 * 1000);
      for (const auth of [
        basic(forged),
        basic(expired),
        `Basic ${Buffer.from(`admin:${reg.password}`).toString('base64')}`,
        'Basic !!!',
        'Digest abc',
      ]) {
        const r = await reg.call('GET', '/v2/', { auth });
        assert.equal(r.status, 401, auth.slice(0, 12));
        assert.equal(errorOf(r).code, 'UNAUTHORIZED');
        assert.ok(!r.body.toString().includes(reg.password));
      }
      // A fresh password signed the same way, and the same password as a Bearer token, work.
      assert.equal((await reg.call('GET', '/v2/', { auth: basic(passwordAt(Date.now())) })).status, 200);
      assert.equal((await reg.call('GET', '/v2/', { auth: `Bearer ${reg.password}` })).status, 200);
    });

    it("a password for another region works there and sees that region's repositories", async () => {
      const r = await reg.call('GET', '/v2/_catalog', { auth: basic(passwordAt(Date.now(), 'eu-west-1')) });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json(), { repositories: [] });
    });
  });

  describe('repositories', () => {
    it('an unknown repository: NAME_UNKNOWN with ECR text, no upload started', async () => {
      const before = uploadFiles().length;
      for (const [method, path] of [
        ['POST', '/v2/ghost/blobs/uploads/'],
        ['GET', '/v2/ghost/manifests/latest'],
        ['GET', '/v2/ghost/tags/list'],
        ['HEAD', `/v2/ghost/blobs/${digestOf('x')}`],
      ]) {
        const r = await reg.call(method, path);
        assert.equal(r.status, 404, `${method} ${path}`);
        if (method !== 'HEAD') {
          assert.equal(errorOf(r).code, 'NAME_UNKNOWN');
          assert.equal(
            errorOf(r).message,
            "The repository with name 'ghost' does not exist in the registry with id '000000000000'",
          );
        }
      }
      assert.equal(uploadFiles().length, before);
    });

    it('an invalid repository name: NAME_INVALID', async () => {
      const r = await reg.call('GET', '/v2/Bad_Name/tags/list');
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, 'NAME_INVALID');
    });
  });

  describe('blobs', () => {
    it('a wrong digest on a monolithic upload: DIGEST_INVALID, neither digest stored, no upload left', async () => {
      const before = uploadFiles().length;
      const claimed = digestOf('what the client says');
      const r = await reg.call('POST', `/v2/app/blobs/uploads/?digest=${claimed}`, {
        body: 'what the client sends',
      });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, 'DIGEST_INVALID');
      assert.equal((await reg.call('HEAD', `/v2/app/blobs/${claimed}`)).status, 404);
      assert.equal(
        (await reg.call('HEAD', `/v2/app/blobs/${digestOf('what the client sends')}`)).status,
        404,
      );
      assert.equal(uploadFiles().length, before);
      const malformed = await reg.call('POST', '/v2/app/blobs/uploads/?digest=md5:abc', { body: 'x' });
      assert.equal(errorOf(malformed).code, 'DIGEST_INVALID');
    });

    it('a wrong digest finishing a session: DIGEST_INVALID and the session is gone', async () => {
      const start = await reg.call('POST', '/v2/app/blobs/uploads/');
      const location = start.headers.get('location') ?? '';
      await reg.call('PATCH', location, { body: 'some bytes' });
      const r = await reg.call('PUT', `${location}?digest=${digestOf('other bytes')}`);
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, 'DIGEST_INVALID');
      assert.equal((await reg.call('GET', location)).status, 404);
      assert.equal((await reg.call('HEAD', `/v2/app/blobs/${digestOf('some bytes')}`)).status, 404);
    });

    it('a chunk whose length differs from its Content-Range: SIZE_INVALID, offset unchanged', async () => {
      const start = await reg.call('POST', '/v2/app/blobs/uploads/');
      const location = start.headers.get('location') ?? '';
      const r = await reg.call('PATCH', location, { body: '12345', headers: { 'content-range': '0-9' } });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, 'SIZE_INVALID');
      assert.equal((await reg.call('GET', location)).headers.get('range'), '0-0');
      await reg.call('DELETE', location);
    });

    it('a truncated chunk (client gone mid-body) leaves the session where it was, and it resumes', async () => {
      const blob = Buffer.alloc(256 * 1024, 7);
      const start = await reg.call('POST', '/v2/app/blobs/uploads/');
      const location = start.headers.get('location') ?? '';
      await sendTruncated('PATCH', location, blob.length, blob.subarray(0, 100_000));
      const status = await reg.call('GET', location);
      assert.equal(status.status, 204);
      assert.equal(status.headers.get('range'), '0-0');
      const patch = await reg.call('PATCH', location, {
        body: blob,
        headers: { 'content-range': `0-${blob.length - 1}` },
      });
      assert.equal(patch.status, 202);
      const put = await reg.call('PUT', `${location}?digest=${digestOf(blob)}`);
      assert.equal(put.status, 201);
      assert.deepEqual((await reg.call('GET', `/v2/app/blobs/${digestOf(blob)}`)).body, blob);
    });

    it('a truncated monolithic upload stores nothing', async () => {
      const blob = Buffer.alloc(300 * 1024, 9);
      const before = uploadFiles().length;
      await sendTruncated(
        'POST',
        `/v2/app/blobs/uploads/?digest=${digestOf(blob)}`,
        blob.length,
        blob.subarray(0, 50_000),
      );
      assert.equal((await reg.call('HEAD', `/v2/app/blobs/${digestOf(blob)}`)).status, 404);
      assert.equal(uploadFiles().length, before);
    });

    /** Sends a request declaring `length` bytes, writes only `part`, and cuts the connection. */
    async function sendTruncated(method: string, path: string, length: number, part: Buffer): Promise<void> {
      const [host, port] = reg.host.split(':');
      const socket = connect(Number(port), host);
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: ${reg.host}\r\nAuthorization: ${reg.authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`,
      );
      socket.write(part);
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      // The server notices the reset and cleans up.
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  describe('manifests', () => {
    it('a manifest naming a missing blob: MANIFEST_BLOB_UNKNOWN with the digest, nothing stored', async () => {
      const config = await pushBlob(reg, 'app', '{"os":"linux"}');
      const missing = digestOf('never uploaded');
      const manifest = imageManifest({ digest: config, size: 14 }, [{ digest: missing, size: 14 }]);
      const r = await reg.call('PUT', '/v2/app/manifests/broken', {
        body: manifest,
        headers: { 'content-type': OCI_MANIFEST },
      });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, 'MANIFEST_BLOB_UNKNOWN');
      assert.deepEqual(r.json().errors[0].detail, { digest: missing });
      assert.equal((await reg.call('GET', '/v2/app/manifests/broken')).status, 404);
      assert.equal((await reg.call('HEAD', `/v2/app/manifests/${digestOf(manifest)}`)).status, 404);
    });

    it('an index naming a manifest the repository lacks: MANIFEST_BLOB_UNKNOWN', async () => {
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [{ mediaType: OCI_MANIFEST, digest: digestOf('no manifest'), size: 10 }],
      });
      const r = await reg.call('PUT', '/v2/app/manifests/idx', {
        body: index,
        headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
      });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, 'MANIFEST_BLOB_UNKNOWN');
    });

    it('invalid tags: TAG_INVALID; a digest reference that is not the content: DIGEST_INVALID', async () => {
      const { manifest } = await pushImage(reg, 'app', 'good', 'tags');
      for (const tag of ['-leading-dash', '.dot', 'a'.repeat(129)]) {
        const r = await reg.call('PUT', `/v2/app/manifests/${tag}`, {
          body: manifest,
          headers: { 'content-type': OCI_MANIFEST },
        });
        assert.equal(r.status, 400, tag);
        assert.equal(errorOf(r).code, 'TAG_INVALID');
      }
      const wrong = await reg.call('PUT', `/v2/app/manifests/${digestOf('other')}`, {
        body: manifest,
        headers: { 'content-type': OCI_MANIFEST },
      });
      assert.equal(wrong.status, 400);
      assert.equal(errorOf(wrong).code, 'DIGEST_INVALID');
      assert.deepEqual((await reg.call('GET', '/v2/app/tags/list')).json().tags, ['good']);
    });

    it('malformed, schema 1, mismatched media type or sizes: MANIFEST_INVALID', async () => {
      const config = await pushBlob(reg, 'app', 'cfg');
      const cases: [string, string][] = [
        ['not json', OCI_MANIFEST],
        [
          JSON.stringify({ schemaVersion: 1, name: 'app', tag: 'x', fsLayers: [] }),
          'application/vnd.docker.distribution.manifest.v1+prettyjws',
        ],
        [
          JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            config: {},
            layers: [],
          }),
          OCI_MANIFEST,
        ],
        [imageManifest({ digest: config, size: 999 }, []).toString(), OCI_MANIFEST],
        [
          JSON.stringify({
            schemaVersion: 2,
            config: { mediaType: 'x', digest: 'sha256:zz', size: 1 },
            layers: [],
          }),
          OCI_MANIFEST,
        ],
      ];
      for (const [body, type] of cases) {
        const r = await reg.call('PUT', '/v2/app/manifests/bad', { body, headers: { 'content-type': type } });
        assert.equal(r.status, 400, body.slice(0, 60));
        assert.equal(errorOf(r).code, 'MANIFEST_INVALID', body.slice(0, 60));
      }
      assert.equal((await reg.call('GET', '/v2/app/manifests/bad')).status, 404);
    });

    it('a manifest over 4 MiB: 413 SIZE_INVALID', async () => {
      const config = await pushBlob(reg, 'app', 'cfg2');
      const big = imageManifest({ digest: config, size: 4 }, [], {
        annotations: { pad: 'x'.repeat(4 * 1024 * 1024) },
      });
      const r = await reg.call('PUT', '/v2/app/manifests/big', {
        body: big,
        headers: { 'content-type': OCI_MANIFEST },
      });
      assert.equal(r.status, 413);
      assert.equal(errorOf(r).code, 'SIZE_INVALID');
      assert.equal((await reg.call('GET', '/v2/app/manifests/big')).status, 404);
    });

    it('an immutable repository: the same image again is fine, another one under the tag TAG_INVALID', async () => {
      await reg.createRepository('frozen', 'IMMUTABLE');
      const first = await pushImage(reg, 'frozen', 'v1', 'one');
      const again = await reg.call('PUT', '/v2/frozen/manifests/v1', {
        body: first.manifest,
        headers: { 'content-type': OCI_MANIFEST },
      });
      assert.equal(again.status, 201);
      await assert.rejects(
        pushImage(reg, 'frozen', 'v1', 'two'),
        /TAG_INVALID.*The image tag 'v1' already exists in the 'frozen' repository and cannot be overwritten because the repository is immutable\./,
      );
      const got = await reg.call('GET', '/v2/frozen/manifests/v1');
      assert.equal(got.headers.get('docker-content-digest'), first.digest);
    });
  });

  it('records the last pull on GET (not HEAD), and sizes and media types on push', async () => {
    const pushed = await pushImage(reg, 'app', 'pulled', 'pull');
    const key = `app@${pushed.digest}`;
    const record = async () => (await reg.tp.plane.store.get<ImageRecord>(Kind.EcrImage, key))?.value;
    const stored = await record();
    assert.equal(stored?.imageManifestMediaType, OCI_MANIFEST);
    assert.equal(stored?.imageSizeInBytes, Buffer.byteLength('layer-pull-'.repeat(100)));
    assert.deepEqual(stored?.references, [pushed.config, pushed.layer]);
    assert.equal(stored?.lastRecordedPullTime, undefined);
    await reg.call('HEAD', '/v2/app/manifests/pulled');
    assert.equal((await record())?.lastRecordedPullTime, undefined);
    await reg.call('GET', '/v2/app/manifests/pulled');
    for (let i = 0; i < 50 && (await record())?.lastRecordedPullTime === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(Math.abs(((await record())?.lastRecordedPullTime ?? 0) - Date.now() / 1000) < 60);
  });
});
