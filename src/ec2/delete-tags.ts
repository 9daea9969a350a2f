/**
 * DeleteTags: removes tags by key (any value), by key and value (only when it matches; an empty
 * value matches an empty one), or every tag when none is named.
 */
import type { DeleteTagsRequest } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { updateTags } from './tagged-resources.ts';

export async function deleteTags(
  ctx: Ec2Context,
  input: DeleteTagsRequest,
  _request: RequestContext,
): Promise<object> {
  const named = input.Tags;
  return inRegion(ctx, async (tx) => {
    for (const id of input.Resources ?? []) {
      await updateTags(tx, id, (current) =>
        named === undefined || named.length === 0
          ? []
          : current.filter(
              (t) => !named.some((n) => n.Key === t.key && (n.Value === undefined || n.Value === t.value)),
            ),
      );
    }
    refuseDryRun(input);
    return {};
  });
}
