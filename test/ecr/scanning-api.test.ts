/** Image scanning through @aws-sdk/client-ecr: scan on push, StartImageScan, DescribeImageScanFindings, DescribeImages. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsResponse,
  DescribeImagesCommand,
  type ECRClient,
  PutImageCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr';
import type { ControlPlane } from '../../src/cli/control-plane.ts';
import { blobStoreFor } from '../../src/ecr/model/blob-store.ts';
import { Kind } from '../../src/store/store.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { ecrClient } from './ecr-plane.ts';

const FEED = join(import.meta.dirname, 'fixtures', 'osv');

function tar(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const h = Buffer.alloc(512);
    h.write(path, 0);
    h.write('0000644\0', 100);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const DEBIAN = {
  'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
  'var/lib/dpkg/status':
    'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\n' +
    'Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n' +
    'Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\n',
};

describe('ECR image scanning API', () => {
  let dataDir: string;
  let t: TestPlane;
  let plane: ControlPlane;
  let ecr: ECRClient;
  let n = 0;

  async function start(feed?: string): Promise<void> {
    t = await startTestPlane({ dataDir, controllers: false, vulnerabilityFeedDir: feed });
    plane = t.plane;
    ecr = ecrClient(plane.endpoint);
  }
  async function stop(): Promise<void> {
    ecr.destroy();
    await t.stop({ keepData: true });
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'longshore-scan-api-'));
    await start(FEED);
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'scanned',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'manual' }));
  });
  after(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Pushes a one-layer Docker image of `files` (with a unique marker file) by PutImage; returns its digest. */
  async function push(
    repositoryName: string,
    imageTag: string,
    files: Record<string, string>,
  ): Promise<string> {
    const blobs = blobStoreFor(join(dataDir, 'registry'));
    const put = async (bytes: Buffer) => ({
      digest: await blobs.putBytes(bytes, `api-${n++}`),
      size: bytes.length,
    });
    const layer = await put(gzipSync(tar({ ...files, [`marker-${n}`]: String(n) })));
    const config = await put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', n })));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer }],
    });
    const out = await ecr.send(new PutImageCommand({ repositoryName, imageTag, imageManifest: manifest }));
    return out.image!.imageId!.imageDigest!;
  }

  async function settled(
    repositoryName: string,
    imageTag: string,
  ): Promise<DescribeImageScanFindingsResponse> {
    for (let i = 0; i < 200; i++) {
      const out = await ecr.send(
        new DescribeImageScanFindingsCommand({ repositoryName, imageId: { imageTag } }),
      );
      if (out.imageScanStatus?.status !== 'IN_PROGRESS') return out;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the scan did not finish');
  }

  it('scans on push and reports findings, counts and the feed date', async () => {
    const digest = await push('scanned', 'v1', DEBIAN);
    const out = await settled('scanned', 'v1');
    assert.deepEqual(out.imageId, { imageDigest: digest, imageTag: 'v1' });
    assert.deepEqual(out.imageScanStatus, {
      status: 'COMPLETE',
      description: 'The scan was completed successfully.',
    });
    const f = out.imageScanFindings!;
    assert.deepEqual(f.findingSeverityCounts, { HIGH: 1, INFORMATIONAL: 1 });
    assert.deepEqual(
      f.findings?.map((x) => [x.name, x.severity]),
      [
        ['DSA-5532-1', 'HIGH'],
        ['DEBIAN-CVE-2024-0001', 'INFORMATIONAL'],
      ],
    );
    assert.ok(f.imageScanCompletedAt instanceof Date);
    assert.equal(f.vulnerabilitySourceUpdatedAt?.toISOString(), '2024-03-02T10:15:00.000Z');

    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'scanned', imageIds: [{ imageTag: 'v1' }] }),
    );
    const detail = described.imageDetails![0];
    assert.equal(detail.imageScanStatus?.status, 'COMPLETE');
    assert.deepEqual(detail.imageScanFindingsSummary?.findingSeverityCounts, { HIGH: 1, INFORMATIONAL: 1 });
  });

  it('pages findings with maxResults and nextToken', async () => {
    const first = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'scanned',
        imageId: { imageTag: 'v1' },
        maxResults: 1,
      }),
    );
    assert.equal(first.imageScanFindings?.findings?.length, 1);
    assert.ok(first.nextToken);
    const second = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'scanned',
        imageId: { imageTag: 'v1' },
        maxResults: 1,
        nextToken: first.nextToken,
      }),
    );
    assert.equal(second.imageScanFindings?.findings?.[0].name, 'DEBIAN-CVE-2024-0001');
    assert.equal(second.nextToken, undefined);
  });

  it('allows one scan per image per 24 hours, the scan on push included', async () => {
    const e = await awsError(() =>
      ecr.send(new StartImageScanCommand({ repositoryName: 'scanned', imageId: { imageTag: 'v1' } })),
    );
    assert.equal(e.name, 'LimitExceededException');
    assert.equal(e.message, 'The scan quota per image has been exceeded. Wait and try again.');
  });

  it('scans on request: ScanNotFound before, IN_PROGRESS then COMPLETE after', async () => {
    const digest = await push('manual', 'v1', DEBIAN);
    const missing = await awsError(() =>
      ecr.send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'manual', imageId: { imageDigest: digest } }),
      ),
    );
    assert.equal(missing.name, 'ScanNotFoundException');
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'manual' }));
    assert.equal(described.imageDetails![0].imageScanStatus, undefined);
    const started = await ecr.send(
      new StartImageScanCommand({ repositoryName: 'manual', imageId: { imageDigest: digest } }),
    );
    assert.deepEqual(started.imageScanStatus, { status: 'IN_PROGRESS' });
    assert.deepEqual(started.imageId, { imageDigest: digest });
    assert.equal((await settled('manual', 'v1')).imageScanStatus?.status, 'COMPLETE');
  });

  it('refuses manifest lists (UnsupportedImageTypeException) and unknown images (ImageNotFoundException)', async () => {
    const child = await push('manual', 'child', DEBIAN);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: child, size: 1 },
      ],
    });
    await ecr.send(
      new PutImageCommand({ repositoryName: 'manual', imageTag: 'multi', imageManifest: index }),
    );
    const e = await awsError(() =>
      ecr.send(new StartImageScanCommand({ repositoryName: 'manual', imageId: { imageTag: 'multi' } })),
    );
    assert.equal(e.name, 'UnsupportedImageTypeException');
    const gone = await awsError(() =>
      ecr.send(new StartImageScanCommand({ repositoryName: 'manual', imageId: { imageTag: 'nope' } })),
    );
    assert.equal(gone.name, 'ImageNotFoundException');
  });

  it('records a failed scan with its reason (a layer that is no tar)', async () => {
    const blobs = blobStoreFor(join(dataDir, 'registry'));
    const bytes = gzipSync(Buffer.from('not a tar '.repeat(100)));
    const layer = { digest: await blobs.putBytes(bytes, `api-${n++}`), size: bytes.length };
    const cfg = Buffer.from(JSON.stringify({ os: 'linux', n: n++ }));
    const config = { digest: await blobs.putBytes(cfg, `api-${n++}`), size: cfg.length };
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer }],
    });
    await ecr.send(
      new PutImageCommand({ repositoryName: 'scanned', imageTag: 'broken', imageManifest: manifest }),
    );
    const out = await settled('scanned', 'broken');
    assert.equal(out.imageScanStatus?.status, 'FAILED');
    assert.match(out.imageScanStatus?.description ?? '', /is not a readable tar/);
    assert.equal(out.imageScanFindings, undefined);
  });

  it('redoes a scan left IN_PROGRESS by a crash, after a restart; without a feed: no findings', async () => {
    const digest = await push('manual', 'crashed', DEBIAN);
    const key = `manual@${digest}`;
    const image = await plane.store.get<{ imagePushedAt: number }>(Kind.EcrImage, key);
    await plane.store.transact((tx) =>
      tx.put(Kind.EcrScan, key, {
        repositoryName: 'manual',
        imageDigest: digest,
        status: 'IN_PROGRESS',
        requestedAt: 1,
        imagePushedAt: image!.value.imagePushedAt,
      }),
    );
    await stop();
    await start(); // no --vulnerability-feed this time
    const out = await settled('manual', 'crashed');
    assert.equal(out.imageScanStatus?.status, 'COMPLETE');
    assert.match(
      out.imageScanStatus?.description ?? '',
      /3 dpkg packages inventoried \(debian 12\); no vulnerability feed/,
    );
    assert.deepEqual(out.imageScanFindings?.findings, []);
    assert.deepEqual(out.imageScanFindings?.findingSeverityCounts, {});
    assert.equal(out.imageScanFindings?.vulnerabilitySourceUpdatedAt, undefined);
  });
});
