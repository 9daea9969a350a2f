/** DescribeSubnets: the region's subnets, by id and filters, paged, with their free-address counts. */
import type { DescribeSubnetsRequest, DescribeSubnetsResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import { subnetNotFound } from './model/errors.ts';
import type { SubnetRecord } from './model/records.ts';
import { availableAddressCount, listSubnets } from './model/subnets.ts';
import type { Ec2Context } from './ec2-service.ts';
import { ec2Page } from './paging.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { subnetShape } from './shapes.ts';

const SUBNET_FILTERS: FilterTable<SubnetRecord> = {
  'subnet-id': (s) => s.subnetId,
  'subnet-arn': (s) => s.subnetArn,
  'vpc-id': (s) => s.vpcId,
  'cidr-block': (s) => s.cidrBlock,
  cidr: (s) => s.cidrBlock,
  cidrBlock: (s) => s.cidrBlock,
  'availability-zone': (s) => s.availabilityZone,
  availabilityZone: (s) => s.availabilityZone,
  'availability-zone-id': (s) => s.availabilityZoneId,
  availabilityZoneId: (s) => s.availabilityZoneId,
  'available-ip-address-count': (s) => availableAddressCount(s),
  'default-for-az': (s) => s.defaultForAz,
  defaultForAz: (s) => s.defaultForAz,
  'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
  'owner-id': (s) => s.ownerId,
  state: (s) => s.state,
};

export async function describeSubnets(
  ctx: Ec2Context,
  input: DescribeSubnetsRequest,
  _request: RequestContext,
): Promise<Wire<DescribeSubnetsResult>> {
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    let subnets = await listSubnets(tx);
    const ids = input.SubnetIds ?? [];
    if (ids.length > 0) {
      const missing = ids.find((id) => !subnets.some((s) => s.subnetId === id));
      if (missing !== undefined) throw subnetNotFound(missing);
      subnets = subnets.filter((s) => ids.includes(s.subnetId));
    }
    const matching = applyFilters(subnets, input.Filters, SUBNET_FILTERS, (s) => s.tags);
    const page = ec2Page(matching, (s) => s.subnetId, input, ids.length > 0 ? 'subnetIds' : undefined);
    return { Subnets: page.items.map(subnetShape), NextToken: page.NextToken };
  });
}
