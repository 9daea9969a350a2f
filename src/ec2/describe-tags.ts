/** DescribeTags: every tag of the region's taggable resources, by filters, paged, ordered by resource and key. */
import type { DescribeTagsRequest, DescribeTagsResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import type { Ec2Context } from './ec2-service.ts';
import { ec2Page } from './paging.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { allTags, type TagRow } from './tagged-resources.ts';

const TAG_FILTERS: FilterTable<TagRow> = {
  key: (t) => t.key,
  value: (t) => t.value,
  'resource-id': (t) => t.resourceId,
  'resource-type': (t) => t.resourceType,
};

export async function describeTags(
  ctx: Ec2Context,
  input: DescribeTagsRequest,
  _request: RequestContext,
): Promise<DescribeTagsResult> {
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    // `tag:<key>` on DescribeTags selects the rows of resources that carry that tag.
    const rows = await allTags(tx);
    const tagsOfResource = (row: TagRow) =>
      rows.filter((r) => r.resourceId === row.resourceId).map((r) => ({ key: r.key, value: r.value }));
    const matching = applyFilters(rows, input.Filters, TAG_FILTERS, tagsOfResource);
    const page = ec2Page(matching, (t) => `${t.resourceId}\u0000${t.key}`, input);
    return {
      Tags: page.items.map((t) => ({
        Key: t.key,
        ResourceId: t.resourceId,
        ResourceType: t.resourceType,
        Value: t.value,
      })),
      NextToken: page.NextToken,
    };
  });
}
