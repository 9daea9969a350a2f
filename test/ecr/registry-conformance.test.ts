/**
 * The OCI distribution conformance suite's workflows, ported from its Go checks
 * (opencontainers/distribution-spec conformance/: 01_pull, 02_push, 03_discovery,
 * 04_management, with the blob upload, manifest upload, referrers and tags-list specs): the Go
 * suite cannot be built here (no Go toolchain, no module proxy for it), so each `Specify` is a
 * raw-HTTP check with the same expectations. Blob DELETE answers 202 for a blob no image
 * references (the suite's expectation); tag DELETE answers 400 UNSUPPORTED, which the suite allows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { digestOf, imageManifest, pushBlob, type RegistryFixture, startRegistry } from './registry-client.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const NAME = 'conformance/test';

describe('OCI distribution conformance workflows (ported)', () => {
  let reg: RegistryFixture;
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const layer = Buffer.from('a layer of conformance bytes '.repeat(50));
  const configDigest = digestOf(config);
  const layerDigest = digestOf(layer);
  const manifest = imageManifest({ digest: configDigest, size: config.length }, [
    { digest: layerDigest, size: layer.length },
  ]);
  const manifestDigest = digestOf(manifest);
  const dummyDigest = digestOf('this blob does not exist');

  before(async () => {
    reg = await startRegistry();
    await reg.createRepository(NAME);
  });
  after(() => reg.stop());

  describe('push', () => {
    it('streamed: PATCH with the blob yields 202, PUT with the digest 201', async () => {
      const start = await reg.call('POST', `/v2/${NAME}/blobs/uploads/`);
      assert.equal(start.status, 202);
      const location = start.headers.get('location') ?? '';
      assert.ok(location);
      assert.ok(start.headers.get('docker-upload-uuid'));
      const patch = await reg.call('PATCH', location, {
        body: config,
        headers: { 'content-type': 'application/octet-stream' },
      });
      assert.equal(patch.status, 202);
      assert.equal(patch.headers.get('range'), `0-${config.length - 1}`);
      const put = await reg.call('PUT', `${patch.headers.get('location')}?digest=${configDigest}`, {
        headers: { 'content-length': '0' },
      });
      assert.equal(put.status, 201);
      assert.equal(put.headers.get('location'), `/v2/${NAME}/blobs/${configDigest}`);
      assert.equal(put.headers.get('docker-content-digest'), configDigest);
    });

    it('monolithic: GET of a missing blob 404; POST with digest and body 201; POST then PUT 201', async () => {
      assert.equal((await reg.call('GET', `/v2/${NAME}/blobs/${dummyDigest}`)).status, 404);
      const post = await reg.call('POST', `/v2/${NAME}/blobs/uploads/?digest=${layerDigest}`, {
        body: layer,
        headers: { 'content-type': 'application/octet-stream' },
      });
      assert.equal(post.status, 201);
      assert.ok(post.headers.get('location'));
      assert.equal((await reg.call('GET', `/v2/${NAME}/blobs/${layerDigest}`)).status, 200);
      assert.equal(await pushBlob(reg, NAME, config), configDigest);
      const got = await reg.call('GET', `/v2/${NAME}/blobs/${configDigest}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, config);
    });

    it('chunked: an out-of-order chunk yields 416; in order 202 then PUT with the last chunk 201', async () => {
      const blob = Buffer.from('chunked-blob-'.repeat(1000));
      const digest = digestOf(blob);
      const a = blob.subarray(0, 5000);
      const b = blob.subarray(5000);
      const s1 = await reg.call('POST', `/v2/${NAME}/blobs/uploads/`, { headers: { 'content-length': '0' } });
      const bad = await reg.call('PATCH', s1.headers.get('location') ?? '', {
        body: b,
        headers: { 'content-type': 'application/octet-stream', 'content-range': `5000-${blob.length - 1}` },
      });
      assert.equal(bad.status, 416);
      const s2 = await reg.call('POST', `/v2/${NAME}/blobs/uploads/`, { headers: { 'content-length': '0' } });
      const p1 = await reg.call('PATCH', s2.headers.get('location') ?? '', {
        body: a,
        headers: { 'content-type': 'application/octet-stream', 'content-range': '0-4999' },
      });
      assert.equal(p1.status, 202);
      assert.equal(p1.headers.get('range'), '0-4999');
      const status = await reg.call('GET', p1.headers.get('location') ?? '');
      assert.equal(status.status, 204);
      assert.equal(status.headers.get('range'), '0-4999');
      const put = await reg.call('PUT', `${p1.headers.get('location')}?digest=${digest}`, {
        body: b,
        headers: { 'content-type': 'application/octet-stream', 'content-range': `5000-${blob.length - 1}` },
      });
      assert.equal(put.status, 201);
      assert.ok(put.headers.get('location'));
      assert.deepEqual((await reg.call('GET', `/v2/${NAME}/blobs/${digest}`)).body, blob);
    });

    it('manifests: GET of a missing one 404; PUT under four tags 201; GET by digest 200', async () => {
      assert.equal((await reg.call('GET', `/v2/${NAME}/manifests/nonexistent`)).status, 404);
      for (let i = 0; i < 4; i++) {
        const put = await reg.call('PUT', `/v2/${NAME}/manifests/test${i}`, {
          body: manifest,
          headers: { 'content-type': OCI_MANIFEST },
        });
        assert.equal(put.status, 201, put.body.toString());
        assert.equal(put.headers.get('location'), `/v2/${NAME}/manifests/${manifestDigest}`);
        assert.equal(put.headers.get('docker-content-digest'), manifestDigest);
      }
      const got = await reg.call('GET', `/v2/${NAME}/manifests/${manifestDigest}`, {
        headers: { accept: OCI_MANIFEST },
      });
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, manifest);
    });
  });

  describe('pull', () => {
    it('HEAD and GET of manifests by tag and digest, blobs with lengths, digests and ranges', async () => {
      const head = await reg.call('HEAD', `/v2/${NAME}/manifests/test0`);
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(manifest.length));
      assert.equal(head.headers.get('docker-content-digest'), manifestDigest);
      assert.equal(head.body.length, 0);
      const byTag = await reg.call('GET', `/v2/${NAME}/manifests/test0`);
      assert.equal(byTag.headers.get('content-type'), OCI_MANIFEST);
      assert.deepEqual(byTag.body, manifest);
      assert.equal((await reg.call('HEAD', `/v2/${NAME}/manifests/${manifestDigest}`)).status, 200);
      assert.equal((await reg.call('HEAD', `/v2/${NAME}/manifests/nope`)).status, 404);
      const blobHead = await reg.call('HEAD', `/v2/${NAME}/blobs/${layerDigest}`);
      assert.equal(blobHead.status, 200);
      assert.equal(blobHead.headers.get('content-length'), String(layer.length));
      assert.equal(blobHead.headers.get('docker-content-digest'), layerDigest);
      assert.equal((await reg.call('HEAD', `/v2/${NAME}/blobs/${dummyDigest}`)).status, 404);
      const range = await reg.call('GET', `/v2/${NAME}/blobs/${layerDigest}`, {
        headers: { range: 'bytes=10-19' },
      });
      assert.equal(range.status, 206);
      assert.equal(range.headers.get('content-range'), `bytes 10-19/${layer.length}`);
      assert.deepEqual(range.body, layer.subarray(10, 20));
      const suffix = await reg.call('GET', `/v2/${NAME}/blobs/${layerDigest}`, {
        headers: { range: 'bytes=-5' },
      });
      assert.deepEqual(suffix.body, layer.subarray(layer.length - 5));
      const beyond = await reg.call('GET', `/v2/${NAME}/blobs/${layerDigest}`, {
        headers: { range: `bytes=${layer.length}-` },
      });
      assert.equal(beyond.status, 416);
      const missing = await reg.call('GET', `/v2/${NAME}/manifests/${dummyDigest}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json().errors[0].code, 'MANIFEST_UNKNOWN');
    });
  });

  describe('content discovery', () => {
    it('tags list, limited by n, continued after last with a Link', async () => {
      const all = await reg.call('GET', `/v2/${NAME}/tags/list`);
      assert.equal(all.status, 200);
      assert.deepEqual(all.json(), { name: NAME, tags: ['test0', 'test1', 'test2', 'test3'] });
      const first = await reg.call('GET', `/v2/${NAME}/tags/list?n=2`);
      assert.deepEqual(first.json().tags, ['test0', 'test1']);
      assert.equal(first.headers.get('link'), `</v2/${NAME}/tags/list?n=2&last=test1>; rel="next"`);
      const next = await reg.call('GET', `/v2/${NAME}/tags/list?n=2&last=test1`);
      assert.deepEqual(next.json().tags, ['test2', 'test3']);
      assert.equal(next.headers.get('link'), null);
      const catalog = await reg.call('GET', '/v2/_catalog');
      assert.deepEqual(catalog.json(), { repositories: [NAME] });
    });

    it('referrers: subject answered with OCI-Subject; listed, filtered by artifactType; a missing subject is fine', async () => {
      const empty = Buffer.from('{}');
      const emptyDigest = await pushBlob(reg, NAME, empty);
      assert.equal(emptyDigest, 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
      const subject = { mediaType: OCI_MANIFEST, digest: manifestDigest, size: manifest.length };
      const artifact = (type: string, how: 'config' | 'field', note: string, subj = subject) =>
        Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_MANIFEST,
            ...(how === 'field' ? { artifactType: type } : {}),
            config: {
              mediaType: how === 'config' ? type : 'application/vnd.oci.empty.v1+json',
              digest: emptyDigest,
              size: 2,
            },
            layers: [{ mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2 }],
            subject: subj,
            annotations: { 'org.example.note': note },
          }),
        );
      const a = artifact('application/vnd.example.sbom', 'config', 'a');
      const b = artifact('application/vnd.example.signature', 'field', 'b');
      for (const body of [a, b]) {
        const put = await reg.call('PUT', `/v2/${NAME}/manifests/${digestOf(body)}`, {
          body,
          headers: { 'content-type': OCI_MANIFEST },
        });
        assert.equal(put.status, 201, put.body.toString());
        assert.equal(put.headers.get('oci-subject'), manifestDigest);
      }
      const missingSubject = { mediaType: OCI_MANIFEST, digest: digestOf('no such manifest'), size: 10 };
      const c = artifact('application/vnd.example.sbom', 'field', 'c', missingSubject);
      const putC = await reg.call('PUT', `/v2/${NAME}/manifests/${digestOf(c)}`, {
        body: c,
        headers: { 'content-type': OCI_MANIFEST },
      });
      assert.equal(putC.status, 201);
      assert.equal(putC.headers.get('oci-subject'), missingSubject.digest);

      const none = await reg.call('GET', `/v2/${NAME}/referrers/${dummyDigest}`);
      assert.equal(none.status, 200);
      assert.equal(none.headers.get('content-type'), OCI_INDEX);
      assert.deepEqual(none.json().manifests, []);
      const listed = await reg.call('GET', `/v2/${NAME}/referrers/${manifestDigest}`);
      const manifests = listed.json().manifests as {
        digest: string;
        artifactType: string;
        annotations: Record<string, string>;
      }[];
      assert.equal(manifests.length, 2);
      const byDigest = new Map(manifests.map((m) => [m.digest, m]));
      assert.equal(byDigest.get(digestOf(a))?.artifactType, 'application/vnd.example.sbom');
      assert.equal(byDigest.get(digestOf(b))?.artifactType, 'application/vnd.example.signature');
      assert.deepEqual(byDigest.get(digestOf(b))?.annotations, { 'org.example.note': 'b' });
      const filtered = await reg.call(
        'GET',
        `/v2/${NAME}/referrers/${manifestDigest}?artifactType=application/vnd.example.sbom`,
      );
      assert.equal(filtered.headers.get('oci-filters-applied'), 'artifactType');
      assert.deepEqual(
        filtered.json().manifests.map((m: { digest: string }) => m.digest),
        [digestOf(a)],
      );
      const toMissing = await reg.call('GET', `/v2/${NAME}/referrers/${missingSubject.digest}`);
      assert.deepEqual(
        toMissing.json().manifests.map((m: { digest: string }) => m.digest),
        [digestOf(c)],
      );
    });
  });

  describe('content management', () => {
    it('tag DELETE is UNSUPPORTED (400, as ECR); DELETE by digest 202, then 404 and the tags are gone', async () => {
      const tags = (await reg.call('GET', `/v2/${NAME}/tags/list`)).json().tags.length;
      const byTag = await reg.call('DELETE', `/v2/${NAME}/manifests/test0`);
      assert.equal(byTag.status, 400);
      assert.equal(byTag.json().errors[0].code, 'UNSUPPORTED');
      const del = await reg.call('DELETE', `/v2/${NAME}/manifests/${manifestDigest}`);
      assert.equal(del.status, 202);
      assert.equal((await reg.call('GET', `/v2/${NAME}/manifests/${manifestDigest}`)).status, 404);
      assert.ok((await reg.call('GET', `/v2/${NAME}/tags/list`)).json().tags.length < tags);
      assert.equal((await reg.call('DELETE', `/v2/${NAME}/manifests/${manifestDigest}`)).status, 404);
    });

    it('blob DELETE: 202 for a blob no image references, then 404; a referenced blob is refused', async () => {
      const loose = await pushBlob(reg, NAME, 'a blob nothing references');
      const del = await reg.call('DELETE', `/v2/${NAME}/blobs/${loose}`);
      assert.equal(del.status, 202);
      assert.equal((await reg.call('GET', `/v2/${NAME}/blobs/${loose}`)).status, 404);
      // The empty blob is the config and layer of the referrers still stored.
      const held = await reg.call(
        'DELETE',
        `/v2/${NAME}/blobs/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`,
      );
      assert.equal(held.status, 405);
      assert.equal(held.json().errors[0].code, 'UNSUPPORTED');
    });

    it('upload DELETE cancels a session (204, then 404)', async () => {
      const start = await reg.call('POST', `/v2/${NAME}/blobs/uploads/`);
      const location = start.headers.get('location') ?? '';
      assert.equal((await reg.call('DELETE', location)).status, 204);
      const gone = await reg.call('GET', location);
      assert.equal(gone.status, 404);
      assert.equal(gone.json().errors[0].code, 'BLOB_UPLOAD_UNKNOWN');
    });
  });

  describe('cross-repository mount', () => {
    it('mounts a blob from another repository (201), else starts an upload (202)', async () => {
      await reg.createRepository('conformance/other');
      const mounted = await reg.call(
        'POST',
        `/v2/conformance/other/blobs/uploads/?mount=${layerDigest}&from=${NAME}`,
      );
      assert.equal(mounted.status, 201);
      assert.equal(mounted.headers.get('location'), `/v2/conformance/other/blobs/${layerDigest}`);
      assert.equal(mounted.headers.get('docker-content-digest'), layerDigest);
      const fallback = await reg.call(
        'POST',
        `/v2/conformance/other/blobs/uploads/?mount=${dummyDigest}&from=${NAME}`,
      );
      assert.equal(fallback.status, 202);
      assert.ok(fallback.headers.get('location')?.startsWith('/v2/conformance/other/blobs/uploads/'));
    });
  });
});
