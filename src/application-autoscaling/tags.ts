/** TagResource, UntagResource, ListTagsForResource on scalable targets (the only taggable resource). */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-application-auto-scaling';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind, type Reader, type Stored } from '../store/store.ts';
import type { AutoScalingContext, ScalableTargetRecord } from './model/records.ts';
import { validation } from './model/targets.ts';
import { checkTags, MAX_TAGS, tooManyTags } from './input.ts';

const TARGET_ARN = /^arn:aws[a-z-]*:application-autoscaling:[a-z0-9-]+:\d{12}:scalable-target\/[0-9a-z]+$/;

async function targetByArn(reader: Reader, arn: unknown): Promise<Stored<ScalableTargetRecord>> {
  if (typeof arn !== 'string' || arn.length < 1 || arn.length > 1011) {
    throw validation('ResourceARN must be 1 to 1011 characters.');
  }
  if (!TARGET_ARN.test(arn)) throw validation(`Invalid ResourceARN: ${arn}`);
  const found = (await reader.list<ScalableTargetRecord>(Kind.ScalableTarget)).find(
    (t) => t.value.arn === arn,
  );
  if (!found) {
    throw new ServiceError('ResourceNotFoundException', `Scalable target with ARN ${arn} not found.`, {
      ResourceName: arn,
    });
  }
  return found;
}

export async function tagResource(ctx: AutoScalingContext, input: Wire<TagResourceRequest>): Promise<object> {
  const tags = checkTags(input.Tags ?? {}, input.ResourceARN ?? '');
  await ctx.store.transact(async (tx) => {
    const target = await targetByArn(tx, input.ResourceARN);
    const merged = { ...target.value.tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) throw tooManyTags(target.value.arn);
    await tx.put(Kind.ScalableTarget, target.key, { ...target.value, tags: merged }, target.version);
  });
  return {};
}

export async function untagResource(
  ctx: AutoScalingContext,
  input: Wire<UntagResourceRequest>,
): Promise<object> {
  const keys = input.TagKeys ?? [];
  if (keys.length > 200 || keys.some((k) => k.length < 1 || k.length > 128)) {
    throw validation('TagKeys must name 1 to 128 character keys.');
  }
  await ctx.store.transact(async (tx) => {
    const target = await targetByArn(tx, input.ResourceARN);
    const tags = Object.fromEntries(Object.entries(target.value.tags).filter(([k]) => !keys.includes(k)));
    await tx.put(Kind.ScalableTarget, target.key, { ...target.value, tags }, target.version);
  });
  return {};
}

export async function listTagsForResource(
  ctx: AutoScalingContext,
  input: Wire<ListTagsForResourceRequest>,
): Promise<Wire<ListTagsForResourceResponse>> {
  const target = await targetByArn(ctx.store, input.ResourceARN);
  return { Tags: target.value.tags };
}
