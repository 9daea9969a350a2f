/** AuthorizeSecurityGroupEgress: adds egress rules to a group; a rule it already has is InvalidPermission.Duplicate. */
import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupEgressResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Ec2Context } from './ec2-service.ts';
import { authorizeRules } from './security-group-rules.ts';

export async function authorizeSecurityGroupEgress(
  ctx: Ec2Context,
  input: AuthorizeSecurityGroupEgressRequest,
  _request: RequestContext,
): Promise<AuthorizeSecurityGroupEgressResult> {
  return authorizeRules(ctx, 'egress', input);
}
