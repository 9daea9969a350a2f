/** ECR's image calls (PutImage, ListImages, DescribeImages, BatchGetImage, BatchDeleteImage) through @aws-sdk/client-ecr. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  type ECRClient,
  ListImagesCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { blobStoreFor, sha256 } from '../../src/ecr/model/blob-store.ts';
import { Kind } from '../../src/store/store.ts';
import { awsError, type TestPlane } from '../support/control-plane.ts';
import { startEcrPlane } from './ecr-plane.ts';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

describe('ECR images API', () => {
  let t: TestPlane;
  let ecr: ECRClient;
  /** Stores a blob in the registry's content store, as a `docker push` of a layer would. */
  let blob: (content: string) => Promise<{ digest: string; size: number }>;
  before(async () => {
    ({ t, ecr } = await startEcrPlane());
    const store = blobStoreFor(join(t.dataDir, 'registry'));
    let n = 0;
    blob = async (content) => {
      const bytes = Buffer.from(content);
      return { digest: await store.putBytes(bytes, `test-${n++}`), size: bytes.length };
    };
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'locked', imageTagMutability: 'IMMUTABLE' }),
    );
  });
  after(async () => {
    ecr.destroy();
    await t.stop();
  });

  /** A Docker schema 2 manifest over a fresh config and one layer of `layer` bytes. */
  async function manifest(layer: string): Promise<string> {
    const config = await blob(JSON.stringify({ architecture: 'amd64', os: 'linux', layer }));
    const l = await blob(layer);
    return JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...l }],
    });
  }

  let v1: string;
  let v2: string;
  it('puts images by tag and by digest, with the sizes and media types DescribeImages reports', async () => {
    v1 = await manifest('layer-one');
    const put = await ecr.send(
      new PutImageCommand({ repositoryName: 'app', imageManifest: v1, imageTag: 'v1' }),
    );
    assert.deepEqual(put.image?.imageId, { imageDigest: sha256(v1), imageTag: 'v1' });
    assert.equal(put.image?.imageManifestMediaType, DOCKER_MANIFEST);
    await ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v1, imageTag: 'latest' }));
    v2 = await manifest('layer-two-longer');
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'app',
        imageManifest: v2,
        imageDigest: sha256(v2),
        imageManifestMediaType: DOCKER_MANIFEST,
      }),
    );
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    const one = imageDetails!.find((d) => d.imageDigest === sha256(v1))!;
    assert.deepEqual(one.imageTags, ['latest', 'v1']);
    assert.equal(one.imageSizeInBytes, 'layer-one'.length);
    assert.equal(one.imageManifestMediaType, DOCKER_MANIFEST);
    assert.equal(one.registryId, '000000000000');
    assert.ok(one.imagePushedAt instanceof Date);
    const two = imageDetails!.find((d) => d.imageDigest === sha256(v2))!;
    assert.equal(two.imageTags, undefined);
  });

  it("refuses a push ECR refuses: same image and tag, wrong digest, missing layers, an immutable tag's move", async () => {
    const again = await awsError(() =>
      ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v1, imageTag: 'v1' })),
    );
    assert.equal(again.name, 'ImageAlreadyExistsException');
    const wrong = await awsError(() =>
      ecr.send(
        new PutImageCommand({
          repositoryName: 'app',
          imageManifest: v1,
          imageDigest: `sha256:${'0'.repeat(64)}`,
        }),
      ),
    );
    assert.equal(wrong.name, 'ImageDigestDoesNotMatchException');
    const dangling = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        digest: `sha256:${'a'.repeat(64)}`,
        size: 3,
      },
      layers: [],
    });
    const layers = await awsError(() =>
      ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: dangling, imageTag: 'x' })),
    );
    assert.equal(layers.name, 'LayersNotFoundException');
    const notJson = await awsError(() =>
      ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: 'nope', imageTag: 'x' })),
    );
    assert.equal(notJson.name, 'InvalidParameterException');
    const badTag = await awsError(() =>
      ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v1, imageTag: '-bad' })),
    );
    assert.equal(badTag.name, 'InvalidParameterException');
    await ecr.send(new PutImageCommand({ repositoryName: 'locked', imageManifest: v1, imageTag: 'prod' }));
    const immutable = await awsError(() =>
      ecr.send(new PutImageCommand({ repositoryName: 'locked', imageManifest: v2, imageTag: 'prod' })),
    );
    assert.equal(immutable.name, 'ImageTagAlreadyExistsException');
    assert.equal(
      immutable.message,
      "The image tag 'prod' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable.",
    );
    const noRepo = await awsError(() =>
      ecr.send(new PutImageCommand({ repositoryName: 'ghost', imageManifest: v1 })),
    );
    assert.equal(noRepo.name, 'RepositoryNotFoundException');
  });

  it('lists image ids by tag status, a page at a time', async () => {
    const all = await ecr.send(new ListImagesCommand({ repositoryName: 'app' }));
    assert.equal(all.imageIds?.length, 3);
    const tagged = await ecr.send(
      new ListImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'TAGGED' } }),
    );
    assert.deepEqual(tagged.imageIds?.map((i) => i.imageTag).sort(), ['latest', 'v1']);
    const untagged = await ecr.send(
      new ListImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'UNTAGGED' } }),
    );
    assert.deepEqual(untagged.imageIds, [{ imageDigest: sha256(v2) }]);
    const first = await ecr.send(new ListImagesCommand({ repositoryName: 'app', maxResults: 2 }));
    assert.equal(first.imageIds?.length, 2);
    const rest = await ecr.send(
      new ListImagesCommand({ repositoryName: 'app', maxResults: 2, nextToken: first.nextToken }),
    );
    assert.equal(rest.imageIds?.length, 1);
    assert.equal(rest.nextToken, undefined);
    const nf = await awsError(() => ecr.send(new ListImagesCommand({ repositoryName: 'ghost' })));
    assert.equal(nf.name, 'RepositoryNotFoundException');
  });

  it("describes named images and answers ECR's ImageNotFoundException", async () => {
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'latest' }, { imageDigest: sha256(v1) }],
      }),
    );
    assert.equal(imageDetails?.length, 1);
    const e = await awsError(() =>
      ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'nope' }] })),
    );
    assert.equal(e.name, 'ImageNotFoundException');
    assert.equal(
      e.message,
      "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'app' in the registry with id '000000000000'",
    );
  });

  it('gets manifests in a batch, with failures for what is missing or not accepted', async () => {
    const res = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'v1' }, { imageTag: 'missing' }, { imageDigest: 'bad' }],
      }),
    );
    assert.equal(res.images?.length, 1);
    assert.equal(res.images?.[0].imageManifest, v1);
    assert.deepEqual(res.images?.[0].imageId, { imageDigest: sha256(v1), imageTag: 'v1' });
    assert.deepEqual(
      res.failures?.map((f) => [f.imageId, f.failureCode]),
      [
        [{ imageTag: 'missing' }, 'ImageNotFound'],
        [{ imageDigest: 'bad' }, 'InvalidImageDigest'],
      ],
    );
    const oci = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'v1' }],
        acceptedMediaTypes: [OCI_INDEX],
      }),
    );
    assert.equal(oci.images?.length, 0);
    assert.equal(oci.failures?.length, 1);
  });

  it('keeps an image a manifest list references; deleting by tag removes the tag, by digest the image', async () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: DOCKER_MANIFEST,
          digest: sha256(v2),
          size: Buffer.byteLength(v2),
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    });
    await ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: index, imageTag: 'multi' }));
    const refused = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageDigest: sha256(v2) }] }),
    );
    assert.deepEqual(refused.imageIds, []);
    assert.equal(refused.failures?.[0].failureCode, 'ImageReferencedByManifestList');
    assert.equal(
      refused.failures?.[0].failureReason,
      `Requested image referenced by manifest list: [${sha256(index)}]`,
    );

    const untag = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'latest' }] }),
    );
    assert.deepEqual(untag.imageIds, [{ imageDigest: sha256(v1), imageTag: 'latest' }]);
    const still = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageDigest: sha256(v1) }] }),
    );
    assert.deepEqual(still.imageDetails?.[0].imageTags, ['v1']);

    const both = await ecr.send(
      new BatchDeleteImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }, { imageDigest: sha256(v2) }, { imageDigest: sha256(v1) }, {}],
      }),
    );
    assert.deepEqual(both.imageIds, [
      { imageDigest: sha256(index), imageTag: 'multi' },
      { imageDigest: sha256(v2) },
      { imageDigest: sha256(v1), imageTag: 'v1' },
    ]);
    assert.deepEqual(both.failures, [
      {
        imageId: {},
        failureCode: 'MissingDigestAndTag',
        failureReason: 'Invalid request parameters: both tag and digest cannot be null',
      },
    ]);
    assert.deepEqual((await ecr.send(new ListImagesCommand({ repositoryName: 'app' }))).imageIds, []);
  });

  it('refuses to delete a repository with images unless forced, then removes every record of it', async () => {
    const e = await awsError(() => ecr.send(new DeleteRepositoryCommand({ repositoryName: 'locked' })));
    assert.equal(e.name, 'RepositoryNotEmptyException');
    assert.equal(
      e.message,
      "The repository with name 'locked' in registry with id '000000000000' cannot be deleted because it still contains images",
    );
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'locked', force: true }));
    const store = t.plane.regions.context('us-east-1').store;
    assert.equal((await store.list(Kind.EcrImage, { prefix: 'locked@' })).length, 0);
    assert.equal((await store.list(Kind.EcrTag, { prefix: 'locked:' })).length, 0);
  });
});
