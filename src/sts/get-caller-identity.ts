/** GetCallerIdentity: who signed the request. Needs no permission, so it never answers AccessDenied. */
import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import type { RequestContext } from '../aws/service.ts';
import type { StsContext } from './sts-service.ts';

/**
 * Longshore's keys are root keys of its one account, so every caller is the account root. AWS
 * answers root credentials with the account id as UserId and `arn:aws:iam::<account>:root`
 * (the aws:userid row for the root user in IAM's policy-variables reference).
 */
export async function getCallerIdentity(
  ctx: StsContext,
  _input: unknown,
  _request: RequestContext,
): Promise<GetCallerIdentityResponse> {
  const account = ctx.partition.accountId;
  return { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` };
}
