/** The principal ARN of the caller, as ECS records it in `registeredBy` and `createdBy`. */
import type { RequestContext } from '../../aws/service.ts';
import type { EcsContext } from '../model/context.ts';

/** Longshore has one root key pair per installation, so every caller is the account root. */
export function callerArn(ctx: EcsContext, _request?: RequestContext): string {
  return `arn:aws:iam::${ctx.partition.accountId}:root`;
}
