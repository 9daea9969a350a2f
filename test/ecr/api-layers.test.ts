/**
 * ECR's layer operations through @aws-sdk/client-ecr: an image pushed entirely through the API
 * (BatchCheckLayerAvailability, InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, then
 * PutImage), pulled back with the real `docker pull` and through GetDownloadUrlForLayer's URLs,
 * and every error ECR answers on the way.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  DescribeImagesCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { tarArchive } from '../../src/agent/network/tar.ts';
import {
  DOWNLOAD_URL_TTL_MS,
  signDownloadUrl,
  verifyDownloadUrl,
} from '../../src/ecr/layers/download-url.ts';
import type { EcrContext } from '../../src/ecr/model/records.ts';
import { awsError } from '../support/control-plane.ts';
import { digestOf, dockerWith, type RegistryFixture, startRegistry } from './registry-client.ts';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const haveDocker = spawnSync('docker', ['version']).status === 0;
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';

describe('ECR layer API', () => {
  let reg: RegistryFixture;
  let dockerConfig: string;
  let work: string;
  const dockerRefs: string[] = [];
  const containers: string[] = [];

  before(async () => {
    reg = await startRegistry();
    await reg.createRepository('app');
    await reg.createRepository('other');
    dockerConfig = mkdtempSync(join(tmpdir(), 'longshore-docker-config-'));
    work = mkdtempSync(join(tmpdir(), 'longshore-layers-'));
  });
  after(async () => {
    for (const c of containers) spawnSync('docker', ['rm', '-f', c]);
    for (const r of dockerRefs) spawnSync('docker', ['image', 'rm', '-f', r]);
    rmSync(dockerConfig, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    await reg.stop();
  });

  const docker = (args: string[], input?: string) => dockerWith(dockerConfig, args, input);

  /** Uploads `bytes` as a layer of `repository` in parts of the size InitiateLayerUpload answers. */
  async function pushLayer(repository: string, bytes: Buffer): Promise<{ digest: string; parts: number }> {
    const init = await reg.ecr.send(new InitiateLayerUploadCommand({ repositoryName: repository }));
    assert.equal(init.partSize, 10 * 1024 * 1024, "ECR's part size");
    // Any part up to 20 MiB is accepted; 512 KiB parts make the test's small layers go in several.
    const partSize = 512 * 1024;
    let parts = 0;
    for (let first = 0; first < bytes.length; first += partSize) {
      const part = bytes.subarray(first, Math.min(first + partSize, bytes.length));
      const out = await reg.ecr.send(
        new UploadLayerPartCommand({
          repositoryName: repository,
          uploadId: init.uploadId,
          partFirstByte: first,
          partLastByte: first + part.length - 1,
          layerPartBlob: part,
        }),
      );
      assert.equal(out.lastByteReceived, first + part.length - 1);
      parts++;
    }
    const digest = digestOf(bytes);
    const done = await reg.ecr.send(
      new CompleteLayerUploadCommand({
        repositoryName: repository,
        uploadId: init.uploadId,
        layerDigests: [digest],
      }),
    );
    assert.deepEqual(
      { layerDigest: done.layerDigest, uploadId: done.uploadId, repositoryName: done.repositoryName },
      { layerDigest: digest, uploadId: init.uploadId, repositoryName: repository },
    );
    assert.equal(done.registryId, '000000000000');
    return { digest, parts };
  }

  const content = randomBytes(1_200_000).toString('base64');
  const tar = tarArchive([
    { type: 'file', path: 'hello.txt', data: Buffer.from('pushed through the ECR API\n'), mode: 0o644 },
    { type: 'file', path: 'noise.txt', data: Buffer.from(content), mode: 0o644 },
  ]);
  const layer = gzipSync(tar, { level: 1 });
  const config = Buffer.from(
    JSON.stringify({
      architecture: ARCH,
      os: 'linux',
      config: { Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
      history: [{ created_by: 'longshore api-layers test' }],
    }),
  );
  const layerDigest = digestOf(layer);
  const configDigest = digestOf(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: config.length,
      digest: configDigest,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.length,
        digest: layerDigest,
      },
    ],
  });
  let imageDigest: string;

  it('pushes an image entirely through the API: layers and config by parts, the manifest with PutImage', async () => {
    const before = await reg.ecr.send(
      new BatchCheckLayerAvailabilityCommand({
        repositoryName: 'app',
        layerDigests: [layerDigest, configDigest],
      }),
    );
    assert.deepEqual(before.layers, [
      { layerDigest, layerAvailability: 'UNAVAILABLE' },
      { layerDigest: configDigest, layerAvailability: 'UNAVAILABLE' },
    ]);
    assert.deepEqual(before.failures, []);
    const pushed = await pushLayer('app', layer);
    assert.equal(pushed.digest, layerDigest);
    assert.ok(pushed.parts >= 2, `the layer went in ${pushed.parts} parts`);
    await pushLayer('app', config);
    const afterCheck = await reg.ecr.send(
      new BatchCheckLayerAvailabilityCommand({
        repositoryName: 'app',
        layerDigests: [layerDigest, configDigest],
      }),
    );
    assert.deepEqual(afterCheck.layers, [
      { layerDigest, layerAvailability: 'AVAILABLE', layerSize: layer.length },
      { layerDigest: configDigest, layerAvailability: 'AVAILABLE', layerSize: config.length },
    ]);
    const put = await reg.ecr.send(
      new PutImageCommand({ repositoryName: 'app', imageManifest: manifest, imageTag: 'v1' }),
    );
    imageDigest = put.image?.imageId?.imageDigest ?? '';
    assert.equal(imageDigest, digestOf(manifest));
    const described = await reg.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    assert.equal(described.imageDetails?.[0].imageSizeInBytes, layer.length);
    assert.deepEqual(described.imageDetails?.[0].imageTags, ['v1']);
  });

  it('docker pull fetches the API-pushed image, whose file is there', {
    skip: !haveDocker && 'no docker',
  }, async () => {
    const login = await docker(['login', '-u', 'AWS', '--password-stdin', reg.host], reg.password);
    assert.equal(login.code, 0, login.out);
    const ref = `${reg.host}/app:v1`;
    dockerRefs.push(ref);
    const pull = await docker(['pull', ref]);
    assert.equal(pull.code, 0, pull.out);
    assert.match(pull.out, new RegExp(imageDigest));
    const inspect = await docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
    assert.equal(inspect.out.trim(), configDigest);
    const created = await docker(['create', ref]);
    assert.equal(created.code, 0, created.out);
    const id = created.out.trim().split('\n').at(-1) ?? '';
    containers.push(id);
    const copied = await docker(['cp', `${id}:/hello.txt`, join(work, 'hello.txt')]);
    assert.equal(copied.code, 0, copied.out);
    assert.equal(readFileSync(join(work, 'hello.txt'), 'utf8'), 'pushed through the ECR API\n');
  });

  it('GetDownloadUrlForLayer answers a URL that serves the layer without credentials', async () => {
    const got = await reg.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest }));
    assert.equal(got.layerDigest, layerDigest);
    const url = new URL(got.downloadUrl ?? '');
    assert.equal(url.host, reg.host);
    assert.equal(url.pathname, `/v2/app/blobs/${layerDigest}`);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer());
    assert.ok(body.equals(layer));
    assert.equal(res.headers.get('docker-content-digest'), layerDigest);
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(layer.length));
    const ranged = await fetch(url, { headers: { range: 'bytes=0-9' } });
    assert.equal(ranged.status, 206);
    assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(layer.subarray(0, 10)));
    // The config is a layer of the image too.
    const cfg = await reg.ecr.send(
      new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest: configDigest }),
    );
    const cfgBody = Buffer.from(await (await fetch(cfg.downloadUrl ?? '')).arrayBuffer());
    assert.ok(cfgBody.equals(config));
  });

  it('a download URL opens its one blob only: altered, moved or used for anything else it is DENIED', async () => {
    const got = await reg.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest }));
    const url = new URL(got.downloadUrl ?? '');
    const denied = async (u: URL, init: RequestInit = {}) => {
      const res = await fetch(u, init);
      assert.equal(res.status, 403, `${init.method ?? 'GET'} ${u}`);
      const body = await res.json();
      assert.equal(body.errors[0].code, 'DENIED');
    };
    const other = new URL(url);
    other.pathname = `/v2/app/blobs/${configDigest}`;
    await denied(other);
    const otherRepo = new URL(url);
    otherRepo.pathname = `/v2/other/blobs/${layerDigest}`;
    await denied(otherRepo);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    await denied(later);
    const forged = new URL(url);
    forged.searchParams.set('signature', '0'.repeat(64));
    await denied(forged);
    await denied(url, { method: 'DELETE' });
    const manifestUrl = new URL(url);
    manifestUrl.pathname = `/v2/app/manifests/v1`;
    await denied(manifestUrl);
    const uploads = new URL(url);
    uploads.pathname = '/v2/app/blobs/uploads/';
    await denied(uploads, { method: 'POST' });
    // Without the signature the registry wants credentials, as ever.
    const bare = new URL(url);
    bare.search = '';
    assert.equal((await fetch(bare)).status, 401);
  });

  it('a download URL expires after ten minutes', () => {
    const ctx = {
      tokenSecret: 'secret',
      registryHost: '127.0.0.1:1',
      partition: { region: 'eu-west-1', accountId: '000000000000' },
    } as unknown as EcrContext;
    const t0 = 1_700_000_000_000;
    const { url, expiresAt } = signDownloadUrl(ctx, 'team/app', layerDigest, t0);
    assert.equal(expiresAt, t0 + DOWNLOAD_URL_TTL_MS);
    const u = new URL(url);
    assert.equal(
      verifyDownloadUrl(u, 'team/app', layerDigest, ctx, t0 + DOWNLOAD_URL_TTL_MS - 1000),
      'eu-west-1',
    );
    assert.equal(verifyDownloadUrl(u, 'team/app', layerDigest, ctx, t0 + DOWNLOAD_URL_TTL_MS), undefined);
    assert.equal(verifyDownloadUrl(u, 'team/other', layerDigest, ctx, t0), undefined);
    assert.equal(
      verifyDownloadUrl(u, 'team/app', layerDigest, { ...ctx, tokenSecret: 'another' } as EcrContext, t0),
      undefined,
    );
  });

  it('an upload is the registry upload it looks like: its offset shows under /v2/', async () => {
    const init = await reg.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'app' }));
    assert.match(init.uploadId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const id = (init.uploadId ?? '').replaceAll('-', '');
    const status0 = await reg.call('GET', `/v2/app/blobs/uploads/${id}`);
    assert.equal(status0.status, 204);
    await reg.ecr.send(
      new UploadLayerPartCommand({
        repositoryName: 'app',
        uploadId: init.uploadId,
        partFirstByte: 0,
        partLastByte: 4,
        layerPartBlob: Buffer.from('hello'),
      }),
    );
    const status1 = await reg.call('GET', `/v2/app/blobs/uploads/${id}`);
    assert.equal(status1.headers.get('range'), '0-4');
    // A registry chunk continues it; the API completes it.
    const patched = await reg.call('PATCH', `/v2/app/blobs/uploads/${id}`, {
      body: ' world',
      headers: { 'content-range': '5-10', 'content-type': 'application/octet-stream' },
    });
    assert.equal(patched.status, 202);
    const done = await reg.ecr.send(
      new CompleteLayerUploadCommand({
        repositoryName: 'app',
        uploadId: init.uploadId,
        layerDigests: [digestOf('hello world')],
      }),
    );
    assert.equal(done.layerDigest, digestOf('hello world'));
    assert.equal((await reg.call('GET', `/v2/app/blobs/uploads/${id}`)).status, 404);
    assert.equal(
      (await reg.call('GET', `/v2/app/blobs/${digestOf('hello world')}`)).body.toString(),
      'hello world',
    );
  });

  describe('errors', () => {
    const part = (uploadId: string | undefined, first: number, bytes: Buffer | string, last?: number) =>
      reg.ecr.send(
        new UploadLayerPartCommand({
          repositoryName: 'app',
          uploadId,
          partFirstByte: first,
          partLastByte: last ?? first + Buffer.byteLength(bytes) - 1,
          layerPartBlob: Buffer.from(bytes),
        }),
      );
    const complete = (uploadId: string | undefined, digest: string) =>
      reg.ecr.send(
        new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId, layerDigests: [digest] }),
      );
    const initiate = async () =>
      (await reg.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'app' }))).uploadId;

    it('an unknown repository or another registry id is RepositoryNotFoundException', async () => {
      const missing = await awsError(() =>
        reg.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'nope' })),
      );
      assert.deepEqual(missing, {
        name: 'RepositoryNotFoundException',
        message: "The repository with name 'nope' does not exist in the registry with id '000000000000'",
        status: 400,
      });
      const elsewhere = await awsError(() =>
        reg.ecr.send(
          new BatchCheckLayerAvailabilityCommand({
            registryId: '123456789012',
            repositoryName: 'app',
            layerDigests: [layerDigest],
          }),
        ),
      );
      assert.equal(elsewhere.name, 'RepositoryNotFoundException');
      const download = await awsError(() =>
        reg.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'nope', layerDigest })),
      );
      assert.equal(download.name, 'RepositoryNotFoundException');
      const upload = await awsError(() =>
        reg.ecr.send(
          new UploadLayerPartCommand({
            repositoryName: 'nope',
            uploadId: '01234567-89ab-cdef-0123-456789abcdef',
            partFirstByte: 0,
            partLastByte: 0,
            layerPartBlob: Buffer.from('x'),
          }),
        ),
      );
      assert.equal(upload.name, 'RepositoryNotFoundException');
    });

    it('UploadLayerPart: a part that does not continue the upload is InvalidLayerPartException', async () => {
      const uploadId = await initiate();
      const gap = await reg.ecr
        .send(
          new UploadLayerPartCommand({
            repositoryName: 'app',
            uploadId,
            partFirstByte: 3,
            partLastByte: 5,
            layerPartBlob: Buffer.from('abc'),
          }),
        )
        .catch((e) => e);
      assert.equal(gap.name, 'InvalidLayerPartException');
      assert.equal(gap.lastValidByteReceived, -1);
      assert.equal(gap.uploadId, uploadId);
      assert.equal(gap.repositoryName, 'app');
      assert.equal(gap.registryId, '000000000000');
      await part(uploadId, 0, 'abcd');
      const overlap = await part(uploadId, 2, 'cdef').catch((e) => e);
      assert.equal(overlap.name, 'InvalidLayerPartException');
      assert.equal(overlap.lastValidByteReceived, 3);
      const short = await part(uploadId, 4, 'ef', 9).catch((e) => e);
      assert.equal(short.name, 'InvalidLayerPartException');
      assert.match(short.message, /does not match the length/);
      const inverted = await part(uploadId, 4, '', 3).catch((e) => e);
      assert.equal(inverted.name, 'InvalidLayerPartException');
      // A part beyond ECR's 20 MiB (28 MiB of base64 in JSON) never reaches the upload.
      const big = await awsError(() => part(uploadId, 4, Buffer.alloc(21 * 1024 * 1024)));
      assert.deepEqual([big.name, big.status], ['RequestEntityTooLargeException', 413]);
      // Refused parts changed nothing: the upload continues at byte 4.
      const next = await part(uploadId, 4, 'ef');
      assert.equal(next.lastByteReceived, 5);
      const done = await complete(uploadId, digestOf('abcdef'));
      assert.equal(done.layerDigest, digestOf('abcdef'));
    });

    it('UploadLayerPart and CompleteLayerUpload: unknown or malformed upload ids', async () => {
      const unknown = await awsError(() => part('01234567-89ab-cdef-0123-456789abcdef', 0, 'x'));
      assert.equal(unknown.name, 'UploadNotFoundException');
      assert.match(unknown.message, /01234567-89ab-cdef-0123-456789abcdef/);
      const malformed = await awsError(() => part('not-an-upload', 0, 'x'));
      assert.equal(malformed.name, 'InvalidParameterException');
      assert.match(malformed.message, /Invalid parameter at 'uploadId'/);
      const unknownComplete = await awsError(() =>
        complete('01234567-89ab-cdef-0123-456789abcdef', layerDigest),
      );
      assert.equal(unknownComplete.name, 'UploadNotFoundException');
      // An upload belongs to its repository.
      const uploadId = await initiate();
      const elsewhere = await awsError(() =>
        reg.ecr.send(
          new UploadLayerPartCommand({
            repositoryName: 'other',
            uploadId,
            partFirstByte: 0,
            partLastByte: 0,
            layerPartBlob: Buffer.from('x'),
          }),
        ),
      );
      assert.equal(elsewhere.name, 'UploadNotFoundException');
      const negative = await awsError(() => part(uploadId, -1, 'x', 0));
      assert.equal(negative.name, 'InvalidParameterException');
    });

    it('CompleteLayerUpload: empty, wrong digest, existing layer, malformed digest', async () => {
      const empty = await initiate();
      const e1 = await awsError(() => complete(empty, digestOf('')));
      assert.equal(e1.name, 'EmptyUploadException');
      // The empty upload stays open for parts.
      await part(empty, 0, 'late part');
      assert.equal((await complete(empty, digestOf('late part'))).layerDigest, digestOf('late part'));

      const wrong = await initiate();
      await part(wrong, 0, 'some bytes');
      const e2 = await awsError(() => complete(wrong, digestOf('other bytes')));
      assert.equal(e2.name, 'InvalidLayerException');
      assert.match(e2.message, new RegExp(digestOf('some bytes')));
      // Nothing was stored and the upload is gone.
      const check = await reg.ecr.send(
        new BatchCheckLayerAvailabilityCommand({
          repositoryName: 'app',
          layerDigests: [digestOf('some bytes'), digestOf('other bytes')],
        }),
      );
      assert.deepEqual(
        check.layers?.map((l) => l.layerAvailability),
        ['UNAVAILABLE', 'UNAVAILABLE'],
      );
      assert.equal((await awsError(() => part(wrong, 10, 'more'))).name, 'UploadNotFoundException');

      const again = await initiate();
      await part(again, 0, 'late part');
      const e3 = await awsError(() => complete(again, digestOf('late part')));
      assert.equal(e3.name, 'LayerAlreadyExistsException');
      assert.equal(
        (await awsError(() => complete(again, digestOf('late part')))).name,
        'UploadNotFoundException',
      );

      const sha512 = await initiate();
      await part(sha512, 0, 'x');
      assert.equal(
        (await awsError(() => complete(sha512, `sha512:${'a'.repeat(128)}`))).name,
        'InvalidLayerException',
      );

      const open = await initiate();
      const bad = await awsError(() => complete(open, 'not-a-digest'));
      assert.equal(bad.name, 'InvalidParameterException');
      assert.match(bad.message, /Invalid parameter at 'layerDigests'/);
    });

    it('BatchCheckLayerAvailability: MissingLayerDigest and InvalidLayerDigest failures, list limits', async () => {
      const out = await reg.ecr.send(
        new BatchCheckLayerAvailabilityCommand({
          repositoryName: 'app',
          layerDigests: ['', 'nonsense', layerDigest, `sha256:${'0'.repeat(64)}`],
        }),
      );
      assert.deepEqual(
        out.failures?.map((f) => [f.layerDigest, f.failureCode]),
        [
          ['', 'MissingLayerDigest'],
          ['nonsense', 'InvalidLayerDigest'],
        ],
      );
      assert.ok(
        out.failures?.every((f) => typeof f.failureReason === 'string' && f.failureReason.length > 0),
      );
      assert.deepEqual(out.layers, [
        { layerDigest, layerAvailability: 'AVAILABLE', layerSize: layer.length },
        { layerDigest: `sha256:${'0'.repeat(64)}`, layerAvailability: 'UNAVAILABLE' },
      ]);
      const tooMany = await awsError(() =>
        reg.ecr.send(
          new BatchCheckLayerAvailabilityCommand({
            repositoryName: 'app',
            layerDigests: Array.from({ length: 101 }, () => layerDigest),
          }),
        ),
      );
      assert.equal(tooMany.name, 'InvalidParameterException');
      const none = await awsError(() =>
        reg.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'app', layerDigests: [] })),
      );
      assert.equal(none.name, 'InvalidParameterException');
    });

    it('GetDownloadUrlForLayer: LayersNotFoundException, LayerInaccessibleException, malformed digests', async () => {
      const notFound = await awsError(() =>
        reg.ecr.send(
          new GetDownloadUrlForLayerCommand({
            repositoryName: 'app',
            layerDigest: `sha256:${'0'.repeat(64)}`,
          }),
        ),
      );
      assert.equal(notFound.name, 'LayersNotFoundException');
      // Uploaded, but no image references it.
      const loose = await pushLayer('app', Buffer.from('a loose layer'));
      const inaccessible = await awsError(() =>
        reg.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest: loose.digest })),
      );
      assert.equal(inaccessible.name, 'LayerInaccessibleException');
      // Another repository's image does not make it this repository's.
      const otherRepo = await awsError(() =>
        reg.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'other', layerDigest })),
      );
      assert.equal(otherRepo.name, 'LayerInaccessibleException');
      const malformed = await awsError(() =>
        reg.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest: 'sha256' })),
      );
      assert.equal(malformed.name, 'InvalidParameterException');
    });
  });
});
