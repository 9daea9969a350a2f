/**
 * Cluster mode with `--shared-dir`: ECR blobs and S3 objects live in a directory every replica
 * mounts, so a layer uploaded in parts through two replicas downloads from a third view, and an
 * object put through one replica is read through the other.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import {
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { replicaHarness } from '../support/replicas.ts';

const harness = await replicaHarness('replicas sharing ECR blobs and S3 objects');

if (harness) {
  it('a layer pushed through two replicas is downloaded through either; an S3 object likewise', {
    timeout: 60_000,
  }, async () => {
    const shared = mkdtempSync(join(tmpdir(), 'longshore-shared-'));
    harness.cleanups.push(async () => rmSync(shared, { recursive: true, force: true }));
    const { a, b } = await harness.twoReplicas({ sharedDir: shared });
    const client = <T>(make: new (c: object) => T, endpoint: string, extra: object = {}) =>
      new make({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, ...extra });
    const ecrA = client(ECRClient, a.plane.endpoint);
    const ecrB = client(ECRClient, b.plane.endpoint);

    await ecrA.send(new CreateRepositoryCommand({ repositoryName: 'shared/app' }));
    const layer = randomBytes(3 * 1024 * 1024);
    const digest = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
    const { uploadId } = await ecrA.send(new InitiateLayerUploadCommand({ repositoryName: 'shared/app' }));
    const half = layer.length / 2;
    // First part through a, second through b: the upload file is in the shared directory.
    await ecrA.send(
      new UploadLayerPartCommand({
        repositoryName: 'shared/app',
        uploadId,
        partFirstByte: 0,
        partLastByte: half - 1,
        layerPartBlob: layer.subarray(0, half),
      }),
    );
    await ecrB.send(
      new UploadLayerPartCommand({
        repositoryName: 'shared/app',
        uploadId,
        partFirstByte: half,
        partLastByte: layer.length - 1,
        layerPartBlob: layer.subarray(half),
      }),
    );
    await ecrA.send(
      new CompleteLayerUploadCommand({ repositoryName: 'shared/app', uploadId, layerDigests: [digest] }),
    );
    // ECR serves layers of images only: an image with a config blob and that layer, put through b.
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
    );
    const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
    const upload = await ecrB.send(new InitiateLayerUploadCommand({ repositoryName: 'shared/app' }));
    await ecrB.send(
      new UploadLayerPartCommand({
        repositoryName: 'shared/app',
        uploadId: upload.uploadId,
        partFirstByte: 0,
        partLastByte: config.length - 1,
        layerPartBlob: config,
      }),
    );
    await ecrB.send(
      new CompleteLayerUploadCommand({
        repositoryName: 'shared/app',
        uploadId: upload.uploadId,
        layerDigests: [configDigest],
      }),
    );
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: config.length,
        digest: configDigest,
      },
      layers: [
        { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest },
      ],
    };
    await ecrB.send(
      new PutImageCommand({
        repositoryName: 'shared/app',
        imageTag: 'v1',
        imageManifest: JSON.stringify(manifest),
      }),
    );
    const { downloadUrl } = await ecrB.send(
      new GetDownloadUrlForLayerCommand({ repositoryName: 'shared/app', layerDigest: digest }),
    );
    assert.ok(downloadUrl?.startsWith(b.plane.endpoint), downloadUrl);
    const fetched = Buffer.from(await (await fetch(downloadUrl ?? '')).arrayBuffer());
    assert.equal(fetched.length, layer.length);
    assert.ok(fetched.equals(layer), 'replica b serves the bytes uploaded through a and b');

    const s3A = client(S3Client, a.plane.endpoint, { forcePathStyle: true });
    const s3B = client(S3Client, b.plane.endpoint, { forcePathStyle: true });
    await s3A.send(new CreateBucketCommand({ Bucket: 'shared-config' }));
    await s3A.send(new PutObjectCommand({ Bucket: 'shared-config', Key: 'app.env', Body: 'MODE=cluster\n' }));
    const got = await s3B.send(new GetObjectCommand({ Bucket: 'shared-config', Key: 'app.env' }));
    assert.equal(await got.Body?.transformToString(), 'MODE=cluster\n');
    for (const c of [ecrA, ecrB, s3A, s3B]) c.destroy();
  });
}
