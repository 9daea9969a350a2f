/** SetIpAddressType: a load balancer's address type; Longshore's subnets have no IPv6 ranges, so it stays `ipv4`. */
import type {
  SetIpAddressTypeInput,
  SetIpAddressTypeOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { checkIpAddressType } from './create-load-balancer.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireLoadBalancer } from './lookups.ts';
import { validation } from './model/errors.ts';
import { inRegion } from './region.ts';

export async function setIpAddressType(
  ctx: Elbv2Context,
  input: Wire<SetIpAddressTypeInput>,
  _request: RequestContext,
): Promise<Wire<SetIpAddressTypeOutput>> {
  checkArn(input.LoadBalancerArn ?? '', 'loadbalancer');
  if (input.IpAddressType === undefined) throw validation('An IP address type must be specified');
  return inRegion(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, input.LoadBalancerArn ?? '');
    checkIpAddressType(input.IpAddressType);
    return { IpAddressType: lb.ipAddressType };
  });
}
