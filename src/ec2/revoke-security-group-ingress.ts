/** RevokeSecurityGroupIngress: removes ingress rules, named by SecurityGroupRuleIds or described as IpPermissions. */
import type {
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Ec2Context } from './ec2-service.ts';
import { revokeRules } from './security-group-rules.ts';

export async function revokeSecurityGroupIngress(
  ctx: Ec2Context,
  input: RevokeSecurityGroupIngressRequest,
  _request: RequestContext,
): Promise<RevokeSecurityGroupIngressResult> {
  return revokeRules(ctx, 'ingress', input);
}
