/** DescribeSecurityGroups: groups by id, by name (in the default VPC), and by filters, paged. */
import type { DescribeSecurityGroupsRequest, DescribeSecurityGroupsResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import { requireGroup, requireGroupByIdOrName } from './lookups.ts';
import type { RulePeer, SecurityGroupRecord, SecurityGroupRuleRecord } from './model/records.ts';
import { listSecurityGroups } from './model/security-groups.ts';
import type { Ec2Context } from './ec2-service.ts';
import { ec2Page } from './paging.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { securityGroupShape } from './shapes.ts';

const peerValue = (peer: RulePeer, type: RulePeer['type']) =>
  peer.type !== type
    ? undefined
    : peer.type === 'cidr4' || peer.type === 'cidr6'
      ? peer.cidr
      : peer.type === 'group'
        ? peer.groupId
        : peer.prefixListId;

/** The `ip-permission.*` and `egress.ip-permission.*` filters over one direction's rules. */
function permissionFilters(prefix: string, rulesOf: (g: SecurityGroupRecord) => SecurityGroupRuleRecord[]) {
  const over = (f: (r: SecurityGroupRuleRecord) => string | number | undefined) => (g: SecurityGroupRecord) =>
    rulesOf(g).map(f);
  return {
    [`${prefix}.cidr`]: over((r) => peerValue(r.peer, 'cidr4')),
    [`${prefix}.ipv6-cidr`]: over((r) => peerValue(r.peer, 'cidr6')),
    [`${prefix}.prefix-list-id`]: over((r) => peerValue(r.peer, 'prefix-list')),
    [`${prefix}.group-id`]: over((r) => peerValue(r.peer, 'group')),
    [`${prefix}.from-port`]: over((r) => r.fromPort),
    [`${prefix}.to-port`]: over((r) => r.toPort),
    [`${prefix}.protocol`]: over((r) => r.protocol),
    [`${prefix}.user-id`]: over((r) => (r.peer.type === 'group' ? r.peer.userId : undefined)),
  };
}

const GROUP_FILTERS: FilterTable<SecurityGroupRecord> = {
  'group-id': (g) => g.groupId,
  'group-name': (g) => g.groupName,
  description: (g) => g.description,
  'vpc-id': (g) => g.vpcId,
  'owner-id': (g) => g.ownerId,
  ...permissionFilters('ip-permission', (g) => g.ingress),
  ...permissionFilters('egress.ip-permission', (g) => g.egress),
};

export async function describeSecurityGroups(
  ctx: Ec2Context,
  input: DescribeSecurityGroupsRequest,
  _request: RequestContext,
): Promise<DescribeSecurityGroupsResult> {
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    let groups = await listSecurityGroups(tx);
    const ids = input.GroupIds ?? [];
    const names = input.GroupNames ?? [];
    if (ids.length > 0 || names.length > 0) {
      const chosen = new Set<string>();
      for (const id of ids) chosen.add((await requireGroup(tx, id)).groupId);
      for (const name of names) chosen.add((await requireGroupByIdOrName(tx, { GroupName: name })).groupId);
      groups = groups.filter((g) => chosen.has(g.groupId));
    }
    const matching = applyFilters(groups, input.Filters, GROUP_FILTERS, (g) => g.tags);
    const idsParameter = ids.length > 0 ? 'groupIds' : names.length > 0 ? 'groupNames' : undefined;
    const page = ec2Page(matching, (g) => g.groupId, input, idsParameter);
    return {
      SecurityGroups: page.items.map((g) => securityGroupShape(ctx.partition, g)),
      NextToken: page.NextToken,
    };
  });
}
