/** DescribeAutoScalingGroups: by name (unknown names are left out, as AWS does), paginated by name. */
import type { AutoScalingGroupNamesType } from '@aws-sdk/client-auto-scaling';
import { paginate } from '../aws/pagination.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { groupInstances } from './model/groups.ts';
import { type AutoScalingGroupsContext, type GroupRecord, validationError } from './model/records.ts';
import { groupView } from './model/views.ts';

export async function describeAutoScalingGroups(
  ctx: AutoScalingGroupsContext,
  input: Wire<AutoScalingGroupNamesType>,
): Promise<object> {
  const names = input.AutoScalingGroupNames ?? [];
  let groups = (await ctx.store.list<GroupRecord>(Kind.AutoScalingGroup)).map((s) => s.value);
  if (names.length > 0) groups = groups.filter((g) => names.includes(g.name));
  for (const f of input.Filters ?? []) {
    const values = f.Values ?? [];
    if (f.Name === 'tag-key') groups = groups.filter((g) => g.tags.some((t) => values.includes(t.Key)));
    else if (f.Name === 'tag-value')
      groups = groups.filter((g) => g.tags.some((t) => values.includes(t.Value)));
    else if (f.Name?.startsWith('tag:')) {
      const key = f.Name.slice(4);
      groups = groups.filter((g) => g.tags.some((t) => t.Key === key && values.includes(t.Value)));
    } else throw validationError(`Filter name ${f.Name} is not valid.`);
  }
  const page = paginate(
    groups,
    (g) => g.name,
    { nextToken: input.NextToken, maxResults: input.MaxRecords },
    { max: 100, default: 50 },
    validationError,
  );
  const out = [];
  for (const g of page.items) {
    out.push(
      groupView(
        g,
        (await groupInstances(ctx.store, g.name)).map((i) => i.value),
      ),
    );
  }
  return { AutoScalingGroups: out, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}
