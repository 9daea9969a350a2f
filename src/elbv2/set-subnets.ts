/** SetSubnets: replaces a load balancer's subnets (same VPC, one per zone, two zones at least for an ALB). */
import type { SetSubnetsInput, SetSubnetsOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { checkIpAddressType } from './create-load-balancer.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireLoadBalancer } from './lookups.ts';
import { Elbv2ErrorCode } from './model/errors.ts';
import type { LoadBalancerRecord } from './model/records.ts';
import { checkedPlacement, subnetIdsOf } from './placement.ts';
import { inRegion } from './region.ts';

export async function setSubnets(
  ctx: Elbv2Context,
  input: Wire<SetSubnetsInput>,
  _request: RequestContext,
): Promise<Wire<SetSubnetsOutput>> {
  const subnetIds = subnetIdsOf(input);
  checkIpAddressType(input.IpAddressType);
  return inRegion(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, input.LoadBalancerArn ?? '');
    const placement = await checkedPlacement(tx, lb.type, subnetIds);
    if (placement.vpcId !== lb.vpcId) {
      throw new ServiceError(
        Elbv2ErrorCode.InvalidSubnet,
        `The subnets must belong to the load balancer's VPC '${lb.vpcId}'`,
      );
    }
    const updated: LoadBalancerRecord = { ...lb, zones: placement.zones };
    await tx.put(Kind.Elbv2LoadBalancer, lb.arn, updated);
    return {
      AvailabilityZones: updated.zones.map((z) => ({
        ZoneName: z.zoneName,
        SubnetId: z.subnetId,
        LoadBalancerAddresses: [],
      })),
      IpAddressType: updated.ipAddressType,
    };
  });
}
