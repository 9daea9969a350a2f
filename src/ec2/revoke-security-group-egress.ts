/** RevokeSecurityGroupEgress: removes egress rules, named by SecurityGroupRuleIds or described as IpPermissions. */
import type { RevokeSecurityGroupEgressRequest, RevokeSecurityGroupEgressResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Ec2Context } from './ec2-service.ts';
import { revokeRules } from './security-group-rules.ts';

export async function revokeSecurityGroupEgress(
  ctx: Ec2Context,
  input: RevokeSecurityGroupEgressRequest,
  _request: RequestContext,
): Promise<RevokeSecurityGroupEgressResult> {
  return revokeRules(ctx, 'egress', input);
}
