/** AuthorizeSecurityGroupIngress: adds ingress rules to a group; a rule it already has is InvalidPermission.Duplicate. */
import type {
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Ec2Context } from './ec2-service.ts';
import { authorizeRules } from './security-group-rules.ts';

export async function authorizeSecurityGroupIngress(
  ctx: Ec2Context,
  input: AuthorizeSecurityGroupIngressRequest,
  _request: RequestContext,
): Promise<AuthorizeSecurityGroupIngressResult> {
  return authorizeRules(ctx, 'ingress', input);
}
