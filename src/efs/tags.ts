/** TagResource, UntagResource, ListTagsForResource on file systems and access points (by id or ARN). */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-efs';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { EfsContext } from './efs-service.ts';
import { accessPointNotFound, badRequest, fileSystemNotFound } from './model/errors.ts';
import { type EfsTag, idOf } from './model/records.ts';
import { checkTags, mergeTags, page } from './validate.ts';

type Tagged = { tags: EfsTag[] };

/** Reads the resource, applies `change` to its tags, writes it back; returns the tags. */
async function withTags(
  ctx: EfsContext,
  resourceId: string,
  change?: (tags: EfsTag[]) => EfsTag[],
): Promise<EfsTag[]> {
  const id = idOf(resourceId);
  const kind = id.startsWith('fsap-')
    ? Kind.EfsAccessPoint
    : id.startsWith('fs-')
      ? Kind.EfsFileSystem
      : undefined;
  if (!kind) throw badRequest(`Invalid resource ID: ${resourceId}`);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<Tagged>(kind, id);
    if (!stored) throw kind === Kind.EfsAccessPoint ? accessPointNotFound(id) : fileSystemNotFound(id);
    if (!change) return stored.value.tags;
    const tags = change(stored.value.tags);
    if (tags.length > 50) throw badRequest('The number of tags exceeds the limit of 50.');
    await tx.put(kind, id, { ...stored.value, tags }, stored.version);
    return tags;
  });
}

export async function tagResource(
  ctx: EfsContext,
  input: Wire<TagResourceRequest>,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const tags = checkTags(input.Tags);
  await withTags(ctx, input.ResourceId ?? '', (current) => mergeTags(current, tags));
  return {};
}

export async function untagResource(
  ctx: EfsContext,
  input: Wire<UntagResourceRequest>,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const keys = new Set(input.TagKeys ?? []);
  await withTags(ctx, input.ResourceId ?? '', (current) => current.filter((t) => !keys.has(t.Key)));
  return {};
}

export async function listTagsForResource(
  ctx: EfsContext,
  input: Wire<ListTagsForResourceRequest>,
  _request: RequestContext,
): Promise<Wire<ListTagsForResourceResponse>> {
  const tags = await withTags(ctx, input.ResourceId ?? '');
  const { items, next } = page(tags, (t) => t.Key, input.NextToken, input.MaxResults);
  return { Tags: items, ...(next ? { NextToken: next } : {}) };
}
