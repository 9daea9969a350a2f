/**
 * Lifecycle policies: the evaluator against the ECR documentation's own examples ("Examples of
 * lifecycle policies in Amazon ECR"), the policy checks, and the API (Put/Get/Delete, previews).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  type ECRClient,
  GetLifecyclePolicyCommand,
  GetLifecyclePolicyPreviewCommand,
  PutLifecyclePolicyCommand,
  StartLifecyclePolicyPreviewCommand,
} from '@aws-sdk/client-ecr';
import { evaluateLifecyclePolicy, type LifecycleImage } from '../../src/ecr/model/lifecycle-evaluate.ts';
import { parseLifecyclePolicy } from '../../src/ecr/model/lifecycle-policy.ts';
import { ecrKeys, type ImageRecord, type TagRecord } from '../../src/ecr/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { awsError, type TestPlane } from '../support/control-plane.ts';
import { startEcrPlane } from './ecr-plane.ts';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2026, 0, 31);
const image = (name: string, tags: string[], daysAgo: number): LifecycleImage => ({
  imageDigest: name,
  imageTags: tags,
  pushedAtMs: NOW - daysAgo * DAY,
});
const rule = (rulePriority: number, selection: Record<string, unknown>) => ({
  rulePriority,
  description: `Rule ${rulePriority}`,
  selection,
  action: { type: 'expire' },
});
const expired = (rules: object[], images: LifecycleImage[]) =>
  evaluateLifecyclePolicy(parseLifecyclePolicy(JSON.stringify({ rules })), images, NOW)
    .map((e) => e.imageDigest)
    .sort();

describe('lifecycle evaluation (the ECR documentation examples)', () => {
  const abc = [
    image('A', ['beta-1', 'prod-1'], 10),
    image('B', ['beta-2', 'prod-2'], 9),
    image('C', ['beta-3'], 8),
  ];
  const count1 = (prefix: string) => ({
    tagStatus: 'tagged',
    tagPrefixList: [prefix],
    countType: 'imageCountMoreThan',
    countNumber: 1,
  });

  it('multiple rules, example A: prod first expires A only (B belongs to rule 1, which keeps it)', () => {
    assert.deepEqual(expired([rule(1, count1('prod')), rule(2, count1('beta'))], abc), ['A']);
  });

  it('multiple rules, example B: beta first expires A and B; rule 2 sees nothing left', () => {
    assert.deepEqual(expired([rule(1, count1('beta')), rule(2, count1('prod'))], abc), ['A', 'B']);
  });

  it('multiple tags in one rule, example A: every prefix must match a tag; older than 5 days expires C', () => {
    const images = [
      image('A', ['alpha-1'], 12),
      image('B', ['beta-1'], 11),
      image('C', ['alpha-2', 'beta-2'], 10),
      image('D', ['alpha-3'], 4),
      image('E', ['beta-3'], 3),
      image('F', ['alpha-4', 'beta-4'], 2),
    ];
    const sel = {
      tagStatus: 'tagged',
      tagPrefixList: ['alpha', 'beta'],
      countType: 'sinceImagePushed',
      countNumber: 5,
      countUnit: 'days',
    };
    assert.deepEqual(expired([rule(1, sel)], images), ['C']);
  });

  it('multiple tags in one rule, example B: tags are not exclusive; count > 1 expires A and B', () => {
    const images = [
      image('A', ['alpha-1', 'beta-1', 'gamma-1'], 10),
      image('B', ['alpha-2', 'beta-2'], 9),
      image('C', ['alpha-3', 'beta-3', 'gamma-2'], 8),
    ];
    assert.deepEqual(expired([rule(1, { ...count1('alpha'), tagPrefixList: ['alpha', 'beta'] })], images), [
      'A',
      'B',
    ]);
  });

  it('filtering on image age and count: untagged older than 14 days; keep one untagged', () => {
    const images = [
      image('old', [], 20),
      image('mid', [], 15),
      image('new', [], 1),
      image('tagged-old', ['v1'], 30),
    ];
    const age = { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 };
    assert.deepEqual(expired([rule(1, age)], images), ['mid', 'old']);
    assert.deepEqual(
      expired([rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 })], images),
      ['mid', 'old'],
    );
  });

  it('tagPatternList prod* older than 14 days; `any` last keeps the newest N of everything else', () => {
    const images = [
      image('p1', ['prod-1'], 20),
      image('p2', ['prod2'], 3),
      image('x', ['dev'], 40),
      image('u', [], 50),
    ];
    const prod = {
      tagStatus: 'tagged',
      tagPatternList: ['prod*'],
      countType: 'sinceImagePushed',
      countUnit: 'days',
      countNumber: 14,
    };
    assert.deepEqual(expired([rule(1, prod)], images), ['p1']);
    // The any rule counts p1 and p2 (they belong to rule 1) but only expires what it owns.
    const any = { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 };
    assert.deepEqual(expired([rule(1, prod), rule(2, any)], images), ['p1', 'u', 'x']);
  });
});

describe('lifecycle policy checks', () => {
  const invalid = (rules: unknown) => {
    try {
      parseLifecyclePolicy(JSON.stringify({ rules }).padEnd(100, ' '));
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  const ok = { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 };

  it("refuses what ECR refuses, with its 'Lifecycle policy validation failure' messages", () => {
    const prefix =
      "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ";
    assert.equal(
      invalid([rule(1, { ...ok, countNumber: 0 })]),
      `${prefix}numeric instance is lower than the required minimum (minimum: 1, found: 0)'`,
    );
    assert.equal(
      invalid([{ rulePriority: 1, selection: ok }]),
      `${prefix}object has missing required properties (["action"])'`,
    );
    assert.match(invalid([rule(1, { ...ok, tagStatus: 'some' })]), /not found in enum/);
    assert.match(
      invalid([rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 })]),
      /tagPrefixList or tagPatternList is required/,
    );
    assert.match(
      invalid([rule(1, { ...ok, tagPrefixList: ['a'] })]),
      /only be specified when tagStatus is tagged/,
    );
    assert.match(invalid([rule(1, { ...ok, countType: 'sinceImagePushed' })]), /countUnit is required/);
    assert.match(invalid([rule(1, { ...ok, countUnit: 'days' })]), /countUnit must not be specified/);
    assert.match(invalid([rule(1, ok), rule(1, { ...ok, tagStatus: 'any' })]), /must be unique/);
    assert.match(
      invalid([
        rule(1, { ...ok, tagStatus: 'any' }),
        rule(2, {
          tagStatus: 'tagged',
          tagPrefixList: ['v'],
          countType: 'imageCountMoreThan',
          countNumber: 1,
        }),
      ]),
      /highest rulePriority/,
    );
    assert.match(invalid([rule(1, ok), rule(2, ok)]), /Only one rule may select untagged/);
    assert.match(
      invalid([
        rule(1, {
          tagStatus: 'tagged',
          tagPatternList: ['*a*b*c*d*e'],
          countType: 'imageCountMoreThan',
          countNumber: 1,
        }),
      ]),
      /more than 4 wildcards/,
    );
    assert.equal(invalid([rule(1, ok)]), 'accepted');
  });
});

describe('lifecycle policy API', () => {
  let t: TestPlane;
  let ecr: ECRClient;
  const policy = JSON.stringify({
    rules: [
      rule(1, {
        tagStatus: 'tagged',
        tagPrefixList: ['prod'],
        countType: 'imageCountMoreThan',
        countNumber: 1,
      }),
      rule(2, {
        tagStatus: 'tagged',
        tagPrefixList: ['beta'],
        countType: 'imageCountMoreThan',
        countNumber: 1,
      }),
    ],
  });
  before(async () => {
    ({ t, ecr } = await startEcrPlane());
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'life' }));
    // The documentation's repository: images written as the registry writes them.
    const now = Date.now();
    const images: [string, string[], number][] = [
      [`sha256:${'a'.repeat(64)}`, ['beta-1', 'prod-1'], 10],
      [`sha256:${'b'.repeat(64)}`, ['beta-2', 'prod-2'], 9],
      [`sha256:${'c'.repeat(64)}`, ['beta-3'], 8],
    ];
    await t.plane.regions.context('us-east-1').store.transact(async (tx) => {
      for (const [digest, tags, days] of images) {
        const pushedAt = (now - days * DAY) / 1000;
        const record: ImageRecord = {
          repositoryName: 'life',
          imageDigest: digest,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          manifestSize: 100,
          imageSizeInBytes: 1000,
          imagePushedAt: pushedAt,
          references: [],
        };
        await tx.put(Kind.EcrImage, ecrKeys.image('life', digest), record);
        for (const tag of tags) {
          const tr: TagRecord = {
            repositoryName: 'life',
            imageTag: tag,
            imageDigest: digest,
            updatedAt: pushedAt,
          };
          await tx.put(Kind.EcrTag, ecrKeys.tag('life', tag), tr);
        }
      }
    });
  });
  after(async () => {
    ecr.destroy();
    await t.stop();
  });

  it('puts, gets and deletes a policy; refuses an invalid one', async () => {
    const missing = await awsError(() => ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life' })));
    assert.equal(missing.name, 'LifecyclePolicyNotFoundException');
    assert.equal(
      missing.message,
      "Lifecycle policy does not exist for the repository with name 'life' in the registry with id '000000000000'",
    );
    const bad = await awsError(() =>
      ecr.send(
        new PutLifecyclePolicyCommand({
          repositoryName: 'life',
          lifecyclePolicyText: `{"rules": "x"}${' '.repeat(100)}`,
        }),
      ),
    );
    assert.equal(bad.name, 'InvalidParameterException');
    const put = await ecr.send(
      new PutLifecyclePolicyCommand({ repositoryName: 'life', lifecyclePolicyText: policy }),
    );
    assert.equal(put.lifecyclePolicyText, policy);
    const got = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life' }));
    assert.equal(got.lifecyclePolicyText, policy);
    assert.ok(got.lastEvaluatedAt instanceof Date);
    const deleted = await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'life' }));
    assert.equal(deleted.lifecyclePolicyText, policy);
    const again = await awsError(() =>
      ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'life' })),
    );
    assert.equal(again.name, 'LifecyclePolicyNotFoundException');
  });

  it('previews the images a policy would expire, without expiring them', async () => {
    const none = await awsError(() =>
      ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life' })),
    );
    assert.equal(none.name, 'LifecyclePolicyPreviewNotFoundException');
    const noPolicy = await awsError(() =>
      ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life' })),
    );
    assert.equal(noPolicy.name, 'LifecyclePolicyNotFoundException');
    const started = await ecr.send(
      new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life', lifecyclePolicyText: policy }),
    );
    assert.equal(started.status, 'COMPLETE');
    const preview = await ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life' }));
    assert.equal(preview.status, 'COMPLETE');
    assert.equal(preview.lifecyclePolicyText, policy);
    assert.deepEqual(preview.summary, { expiringImageTotalCount: 1 });
    assert.equal(preview.previewResults?.length, 1);
    const [result] = preview.previewResults!;
    assert.equal(result.imageDigest, `sha256:${'a'.repeat(64)}`);
    assert.deepEqual(result.imageTags, ['beta-1', 'prod-1']);
    assert.deepEqual(result.action, { type: 'EXPIRE' });
    assert.equal(result.appliedRulePriority, 1);
    const untagged = await ecr.send(
      new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life', filter: { tagStatus: 'UNTAGGED' } }),
    );
    assert.deepEqual(untagged.previewResults, []);
    const images = await t.plane.regions.context('us-east-1').store.list(Kind.EcrImage, { prefix: 'life@' });
    assert.equal(images.length, 3);
  });
});
