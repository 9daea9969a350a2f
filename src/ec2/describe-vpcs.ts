/** DescribeVpcs: the region's VPCs, by id and filters, paged. */
import type { DescribeVpcsRequest, DescribeVpcsResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import { vpcNotFound } from './model/errors.ts';
import type { VpcRecord } from './model/records.ts';
import { listVpcs } from './model/vpcs.ts';
import type { Ec2Context } from './ec2-service.ts';
import { ec2Page } from './paging.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { vpcShape } from './shapes.ts';

const VPC_FILTERS: FilterTable<VpcRecord> = {
  'vpc-id': (v) => v.vpcId,
  cidr: (v) => v.cidrBlock,
  'cidr-block-association.cidr-block': (v) => v.cidrBlock,
  'cidr-block-association.association-id': (v) => v.cidrBlockAssociationId,
  'cidr-block-association.state': () => 'associated',
  'dhcp-options-id': (v) => v.dhcpOptionsId,
  'is-default': (v) => v.isDefault,
  'owner-id': (v) => v.ownerId,
  state: (v) => v.state,
};

export async function describeVpcs(
  ctx: Ec2Context,
  input: DescribeVpcsRequest,
  _request: RequestContext,
): Promise<Wire<DescribeVpcsResult>> {
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    let vpcs = await listVpcs(tx);
    if (input.VpcIds && input.VpcIds.length > 0) {
      const missing = input.VpcIds.find((id) => !vpcs.some((v) => v.vpcId === id));
      if (missing !== undefined) throw vpcNotFound(missing);
      vpcs = vpcs.filter((v) => input.VpcIds!.includes(v.vpcId));
    }
    const matching = applyFilters(vpcs, input.Filters, VPC_FILTERS, (v) => v.tags);
    const page = ec2Page(matching, (v) => v.vpcId, input, input.VpcIds?.length ? 'vpcIds' : undefined);
    return { Vpcs: page.items.map(vpcShape), NextToken: page.NextToken };
  });
}
