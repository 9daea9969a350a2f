/**
 * Lifecycle policy previews and runs: the repository's images as the evaluator sees them, the
 * stored result of StartLifecyclePolicyPreview (a Kind.Meta record per repository, removed with the
 * repository), and `expireImages`, which applies a policy (the lifecycle controller's step).
 */
import type { PublishContext } from '../../events/model/publish-events.ts';
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import { type Expiry, evaluateLifecyclePolicy, type LifecycleImage } from './lifecycle-evaluate.ts';
import { publishImageAction } from './images.ts';
import { parseLifecyclePolicy } from './lifecycle-policy.ts';
import { ecrKeys, type ImageRecord, type TagRecord } from './records.ts';

/** A preview as stored: what the policy would expire when the preview ran. */
export interface LifecyclePreviewRecord {
  repositoryName: string;
  lifecyclePolicyText: string;
  status: 'COMPLETE';
  /** Epoch ms. */
  evaluatedAt: number;
  results: (Expiry & { imageTags: string[]; imagePushedAt: number })[];
}

/** Kind.Meta key of a repository's last preview. */
export const lifecyclePreviewKey = (repository: string): string => `ecr-lifecycle-preview/${repository}`;

/** Kind.Meta key of when a repository's policy was last applied ({at: epoch ms}). */
export const lifecycleEvaluatedKey = (repository: string): string => `ecr-lifecycle-evaluated/${repository}`;

/** A repository's images with their tags, for the evaluator. */
export async function lifecycleImagesOf(
  reader: Reader,
  repository: string,
): Promise<(LifecycleImage & { imagePushedAt: number })[]> {
  const [images, tags] = await Promise.all([
    reader.list<ImageRecord>(Kind.EcrImage, { prefix: ecrKeys.imagesOf(repository) }),
    reader.list<TagRecord>(Kind.EcrTag, { prefix: ecrKeys.tagsOf(repository) }),
  ]);
  const tagsOf = new Map<string, string[]>();
  for (const t of tags)
    tagsOf.set(t.value.imageDigest, [...(tagsOf.get(t.value.imageDigest) ?? []), t.value.imageTag]);
  return images.map((s) => ({
    imageDigest: s.value.imageDigest,
    imageTags: (tagsOf.get(s.value.imageDigest) ?? []).sort(),
    pushedAtMs: Math.round(s.value.imagePushedAt * 1000),
    imagePushedAt: s.value.imagePushedAt,
  }));
}

/** Evaluates `policyText` over the repository's images now and stores the result as its preview. */
export async function runLifecyclePreview(
  tx: Tx,
  repository: string,
  policyText: string,
  nowMs: number,
): Promise<LifecyclePreviewRecord> {
  const policy = parseLifecyclePolicy(policyText);
  const images = await lifecycleImagesOf(tx, repository);
  const byDigest = new Map(images.map((i) => [i.imageDigest, i]));
  const record: LifecyclePreviewRecord = {
    repositoryName: repository,
    lifecyclePolicyText: policyText,
    status: 'COMPLETE',
    evaluatedAt: nowMs,
    results: evaluateLifecyclePolicy(policy, images, nowMs).map((e) => {
      const image = byDigest.get(e.imageDigest)!;
      return { ...e, imageTags: [...image.imageTags], imagePushedAt: image.imagePushedAt };
    }),
  };
  await tx.put(Kind.Meta, lifecyclePreviewKey(repository), record);
  return record;
}

/**
 * Applies `policyText` to the repository: removes the images it expires and their tags (blobs are
 * left to the registry's collector). Returns what it expired. An image that a manifest list in the
 * repository references is kept while the list stays (it is expired with the list).
 */
export async function expireImages(
  tx: Tx,
  repository: string,
  policyText: string,
  nowMs: number,
  /** Where to tell each expiry as an `ECR Image Action` DELETE event (the region's bus). */
  events?: PublishContext,
): Promise<Expiry[]> {
  const policy = parseLifecyclePolicy(policyText);
  const images = await lifecycleImagesOf(tx, repository);
  const expiring = evaluateLifecyclePolicy(policy, images, nowMs);
  const doomed = new Set(expiring.map((e) => e.imageDigest));
  const records = await tx.list<ImageRecord>(Kind.EcrImage, { prefix: ecrKeys.imagesOf(repository) });
  const heldByKept = new Set(
    records.filter((r) => !doomed.has(r.value.imageDigest)).flatMap((r) => r.value.references),
  );
  const done: Expiry[] = [];
  for (const e of expiring) {
    if (heldByKept.has(e.imageDigest)) continue;
    const image = images.find((i) => i.imageDigest === e.imageDigest)!;
    for (const tag of image.imageTags) await tx.remove(Kind.EcrTag, ecrKeys.tag(repository, tag));
    await tx.remove(Kind.EcrImage, ecrKeys.image(repository, e.imageDigest));
    if (events) await publishImageAction(tx, events, 'DELETE', repository, e.imageDigest, image.imageTags[0]);
    done.push(e);
  }
  await tx.put(Kind.Meta, lifecycleEvaluatedKey(repository), { at: nowMs });
  return done;
}
