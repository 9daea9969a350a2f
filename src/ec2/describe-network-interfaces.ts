/** DescribeNetworkInterfaces: the region's ENIs (awsvpc tasks' among them), by id and filters, paged. */
import type { DescribeNetworkInterfacesRequest, DescribeNetworkInterfacesResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import { networkInterfaceNotFound } from './model/errors.ts';
import { listNetworkInterfaces } from './model/network-interfaces.ts';
import type { NetworkInterfaceRecord } from './model/records.ts';
import { listSecurityGroups } from './model/security-groups.ts';
import type { Ec2Context } from './ec2-service.ts';
import { ec2Page } from './paging.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { networkInterfaceShape } from './shapes.ts';

function eniFilters(groupNames: ReadonlyMap<string, string>): FilterTable<NetworkInterfaceRecord> {
  return {
    'network-interface-id': (e) => e.networkInterfaceId,
    'subnet-id': (e) => e.subnetId,
    'vpc-id': (e) => e.vpcId,
    'availability-zone': (e) => e.availabilityZone,
    description: (e) => e.description,
    status: (e) => e.status,
    'requester-managed': (e) => e.requesterManaged,
    'requester-id': (e) => e.requesterId,
    'private-ip-address': (e) => e.privateIpAddress,
    'addresses.private-ip-address': (e) => e.privateIpAddress,
    'addresses.primary': () => true,
    'private-dns-name': (e) => e.privateDnsName,
    'mac-address': (e) => e.macAddress,
    'group-id': (e) => e.groupIds,
    'group-name': (e) => e.groupIds.map((id) => groupNames.get(id)),
    'interface-type': (e) => e.interfaceType,
    'owner-id': (e) => e.ownerId,
    'source-dest-check': (e) => e.sourceDestCheck,
    'attachment.attachment-id': (e) => e.attachment?.attachmentId,
    'attachment.status': (e) => e.attachment?.status,
    'attachment.instance-owner-id': (e) => e.attachment?.instanceOwnerId,
    'attachment.device-index': (e) => e.attachment?.deviceIndex,
    'attachment.delete-on-termination': (e) => e.attachment?.deleteOnTermination,
  };
}

export async function describeNetworkInterfaces(
  ctx: Ec2Context,
  input: DescribeNetworkInterfacesRequest,
  _request: RequestContext,
): Promise<Wire<DescribeNetworkInterfacesResult>> {
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    const groupNames = new Map((await listSecurityGroups(tx)).map((g) => [g.groupId, g.groupName]));
    let enis = await listNetworkInterfaces(tx);
    const ids = input.NetworkInterfaceIds ?? [];
    if (ids.length > 0) {
      const missing = ids.find((id) => !enis.some((e) => e.networkInterfaceId === id));
      if (missing !== undefined) throw networkInterfaceNotFound(missing);
      enis = enis.filter((e) => ids.includes(e.networkInterfaceId));
    }
    const matching = applyFilters(enis, input.Filters, eniFilters(groupNames), (e) => e.tags);
    const page = ec2Page(
      matching,
      (e) => e.networkInterfaceId,
      input,
      ids.length > 0 ? 'networkInterfaceIds' : undefined,
    );
    return {
      NetworkInterfaces: page.items.map((e) => networkInterfaceShape(e, groupNames)),
      NextToken: page.NextToken,
    };
  });
}
