/**
 * GetSessionToken: temporary credentials for the IAM user (or root) who signed, 900 s to 36 hours
 * (root: at most one hour), 12 hours by default. Callers already using temporary credentials are
 * refused, as STS refuses them.
 */
import { ProtocolError } from '../aws/errors.ts';
import type { RequestContext } from '../aws/service.ts';
import { createSession } from '../iam/model/sessions.ts';
import { credentialsOut, durationSeconds } from './session-input.ts';
import type { StsContext } from './sts-context.ts';

export async function getSessionToken(
  ctx: StsContext,
  input: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string },
  request: RequestContext,
) {
  const principal = request.caller.principal ?? {
    type: 'root' as const,
    accountId: ctx.accountId,
    arn: `arn:aws:iam::${ctx.accountId}:root`,
    userId: ctx.accountId,
  };
  if (principal.sessionKeyId !== undefined) {
    throw new ProtocolError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  }
  const max = principal.type === 'root' ? 3600 : 129_600;
  const seconds = durationSeconds(
    input.DurationSeconds,
    900,
    129_600,
    principal.type === 'root' ? 3600 : 43_200,
  );
  const issued = await createSession(ctx, {
    principal,
    durationSeconds: Math.min(seconds, max),
    sourceAccessKeyId: request.caller.accessKeyId,
  });
  return { Credentials: credentialsOut(issued) };
}
