/** The scheduled application of ECR lifecycle policies: a pass expires what the rules select, and only that. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboxRecord } from '../../src/events/model/publish-events.ts';
import { seededRng } from '../../src/core/clock.ts';
import { EcrLifecycleController } from '../../src/controllers/ecr-lifecycle/ecr-lifecycle-controller.ts';
import {
  ecrKeys,
  type ImageRecord,
  type RepositoryRecord,
  type TagRecord,
} from '../../src/ecr/model/records.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../../src/store/store.ts';

const DAY = 86_400;
const NOW_MS = Date.UTC(2026, 10, 29);

function digest(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`;
}

describe('ECR lifecycle controller', () => {
  it('keeps the newest tagged images and expires untagged ones older than a day, on each pass', async () => {
    const store = SqliteStore.open(':memory:');
    const policy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: {
            tagStatus: 'untagged',
            countType: 'sinceImagePushed',
            countUnit: 'days',
            countNumber: 1,
          },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          selection: {
            tagStatus: 'tagged',
            tagPrefixList: ['v'],
            countType: 'imageCountMoreThan',
            countNumber: 2,
          },
          action: { type: 'expire' },
        },
      ],
    });
    await store.transact(async (tx) => {
      const repo = { repositoryName: 'app', lifecyclePolicyText: policy } as RepositoryRecord;
      await tx.put(Kind.EcrRepository, ecrKeys.repository('app'), repo);
      const put = async (n: number, ageDays: number, tag?: string) => {
        const image: ImageRecord = {
          repositoryName: 'app',
          imageDigest: digest(n),
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          manifestSize: 100,
          imageSizeInBytes: 1000,
          imagePushedAt: NOW_MS / 1000 - ageDays * DAY,
          references: [],
        };
        await tx.put(Kind.EcrImage, ecrKeys.image('app', image.imageDigest), image);
        if (tag) {
          const record: TagRecord = {
            repositoryName: 'app',
            imageTag: tag,
            imageDigest: image.imageDigest,
            updatedAt: image.imagePushedAt,
          };
          await tx.put(Kind.EcrTag, ecrKeys.tag('app', tag), record);
        }
      };
      await put(1, 5, 'v1');
      await put(2, 4, 'v2');
      await put(3, 3, 'v3');
      await put(4, 2); // untagged, 2 days old: expires
      await put(5, 0.5); // untagged, 12 hours old: stays
      await put(6, 10, 'latest'); // no rule selects it
    });
    const controller = new EcrLifecycleController({
      store,
      clock: { now: () => NOW_MS },
      events: { partition: { region: 'us-east-1', accountId: '000000000000' }, rng: seededRng(7) },
    });
    assert.equal(await controller.pass(), 2);
    const left = (await store.list<ImageRecord>(Kind.EcrImage)).map((r) => r.value.imageDigest).sort();
    assert.deepEqual(left, [digest(2), digest(3), digest(5), digest(6)]);
    // Each expiry is told as ECR tells a deletion: an `ECR Image Action` DELETE on the default bus.
    const told = (await store.list<OutboxRecord>(Kind.EventOutbox)).map((r) => r.value.event);
    assert.deepEqual(
      told
        .map((e) => [
          e['detail-type'],
          e.detail['action-type'],
          e.detail['image-digest'],
          e.detail['image-tag'],
        ])
        .sort(),
      [
        ['ECR Image Action', 'DELETE', digest(1), 'v1'],
        ['ECR Image Action', 'DELETE', digest(4), undefined],
      ].sort(),
    );
    assert.equal(await store.get(Kind.EcrTag, ecrKeys.tag('app', 'v1')), undefined);
    assert.equal(await controller.pass(), 0, 'a second pass finds nothing more');
    await store.close();
  });
});
