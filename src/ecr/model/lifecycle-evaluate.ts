/**
 * Which images a lifecycle policy expires: a pure function of the policy, the repository's images
 * and the time, with ECR's semantics (its "Lifecycle policy evaluation rules"):
 *
 * - Every rule identifies the images its selection matches (tag status, and every prefix or
 *   pattern matching one of the image's tags), all rules at once, regardless of what others do.
 * - An image belongs to the lowest-numbered rule that identifies it: only that rule may expire it
 *   (a later rule still counts it, "as if it had not been expired", but never marks it).
 * - `imageCountMoreThan N` keeps the N most recently pushed images it identifies and marks the
 *   rest; `sinceImagePushed N days` marks those pushed more than N days ago.
 *
 * Worked example (ECR's "Filtering on multiple rules", example A): images A [beta-1, prod-1]
 * pushed 10 days ago, B [beta-2, prod-2] 9 days, C [beta-3] 8 days; rule 1 `prod` count > 1,
 * rule 2 `beta` count > 1. Rule 1 identifies A, B and marks A; rule 2 identifies A, B, C and
 * marks A, B; A and B belong to rule 1, C to rule 2. Rule 1 marks A, so A expires; B belongs to
 * rule 1, which keeps it, so rule 2's mark is void. Result: A.
 */
import type { LifecyclePolicy, LifecycleRule, LifecycleSelection } from './lifecycle-policy.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An image as the evaluator sees it. */
export interface LifecycleImage {
  imageDigest: string;
  imageTags: readonly string[];
  /** Epoch ms. */
  pushedAtMs: number;
}

/** An image the policy expires, and the priority of the rule that does. */
export interface Expiry {
  imageDigest: string;
  appliedRulePriority: number;
}

/** The images `policy` expires at `nowMs`, oldest first. */
export function evaluateLifecyclePolicy(
  policy: LifecyclePolicy,
  images: readonly LifecycleImage[],
  nowMs: number,
): Expiry[] {
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const newestFirst = [...images].sort(
    (a, b) => b.pushedAtMs - a.pushedAtMs || a.imageDigest.localeCompare(b.imageDigest),
  );
  const marked = rules.map((rule) => marks(rule, newestFirst, nowMs));
  const out: Expiry[] = [];
  for (const image of newestFirst) {
    const owner = rules.findIndex((rule) => selects(rule.selection, image));
    if (owner >= 0 && marked[owner].has(image.imageDigest)) {
      out.push({ imageDigest: image.imageDigest, appliedRulePriority: rules[owner].rulePriority });
    }
  }
  return out.reverse();
}

/** The digests `rule` marks among the images it identifies (given newest first). */
function marks(rule: LifecycleRule, newestFirst: readonly LifecycleImage[], nowMs: number): Set<string> {
  const identified = newestFirst.filter((image) => selects(rule.selection, image));
  const { countType, countNumber } = rule.selection;
  const doomed =
    countType === 'imageCountMoreThan'
      ? identified.slice(countNumber)
      : identified.filter((image) => nowMs - image.pushedAtMs > countNumber * DAY_MS);
  return new Set(doomed.map((image) => image.imageDigest));
}

/** Whether a rule's selection identifies the image (its tag requirements only). */
export function selects(selection: LifecycleSelection, image: LifecycleImage): boolean {
  const tags = image.imageTags;
  switch (selection.tagStatus) {
    case 'any':
      return true;
    case 'untagged':
      return tags.length === 0;
    case 'tagged': {
      if (tags.length === 0) return false;
      if (selection.tagPrefixList)
        return selection.tagPrefixList.every((p) => tags.some((t) => t.startsWith(p)));
      const patterns = (selection.tagPatternList ?? []).map(tagPattern);
      return patterns.every((re) => tags.some((t) => re.test(t)));
    }
  }
}

/** A tagPatternList entry (`*` matches any run of characters, everything else itself). */
export function tagPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}
