/** GetCallerIdentity: who signed the request. Needs no permission, so it never answers AccessDenied. */
import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import type { RequestContext } from '../aws/service.ts';
import type { StsContext } from './sts-context.ts';

/**
 * The principal behind the request's key (IAM's credential index puts it on the caller): root
 * answers UserId = account id and `arn:aws:iam::<account>:root`; a user its unique id and ARN (also
 * through GetSessionToken credentials); a role session `ROLEID:session` and
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>` (the aws:userid table in IAM's
 * policy-variables reference). A key the lookup gives no principal for is the account root's.
 */
export async function getCallerIdentity(
  ctx: StsContext,
  _input: unknown,
  request: RequestContext,
): Promise<GetCallerIdentityResponse> {
  const principal = request.caller.principal;
  if (!principal) {
    const account = ctx.partition.accountId;
    return { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` };
  }
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
}
