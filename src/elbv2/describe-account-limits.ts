/** DescribeAccountLimits: ELBv2's default quotas (model/limits.ts), which Longshore's accounts keep, paged. */
import type {
  DescribeAccountLimitsInput,
  DescribeAccountLimitsOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import { elbPage } from './paging.ts';

export async function describeAccountLimits(
  _ctx: Elbv2Context,
  input: Wire<DescribeAccountLimitsInput>,
  _request: RequestContext,
): Promise<Wire<DescribeAccountLimitsOutput>> {
  const limits = Object.entries(ACCOUNT_LIMITS).map(([Name, max]) => ({ Name, Max: String(max) }));
  const page = elbPage(limits, (l) => l.Name, input);
  return { Limits: page.items, NextMarker: page.NextMarker };
}
