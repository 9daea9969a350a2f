/**
 * Temporary credentials: an STS session (AssumeRole, GetSessionToken; later task roles) is an
 * ASIA access key id, a secret and an opaque session token, sealed at rest and expiring at a fixed
 * time. The credential index (credentials.ts) picks a new session up from the change feed before
 * the writing call answers, so the credentials work at once; after `expiresAt` the gateway answers
 * ExpiredToken. Expired sessions are deleted a day after they expire, a few at a time, as new ones
 * are made (until then a late request still gets ExpiredToken, not an unknown key).
 */
import { Kind } from '../../store/store.ts';
import { IdPrefix, newIamId, newSecretAccessKey, newSessionToken } from './ids.ts';
import type { Principal } from './principal.ts';
import { type IamContext, type SessionRecord, sealContext } from './records.ts';

/** How long an expired session's record stays (ExpiredToken rather than InvalidClientTokenId). */
export const EXPIRED_SESSION_KEEP_MS = 24 * 60 * 60 * 1000;
/** Expired sessions deleted per new session. */
const SWEEP_PER_SESSION = 10;

export interface SessionSpec {
  principal: Principal;
  durationSeconds: number;
  sourceAccessKeyId?: string;
  policy?: string;
  policyArns?: string[];
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

/** Makes and stores a session; the secret and token are returned here and never again. */
export async function createSession(ctx: IamContext, spec: SessionSpec): Promise<IssuedCredentials> {
  const now = ctx.clock.now();
  const accessKeyId = newIamId(ctx.rng, IdPrefix.SessionKey);
  const secretAccessKey = newSecretAccessKey(ctx.rng);
  const sessionToken = newSessionToken(ctx.rng);
  const expiresAt = now + spec.durationSeconds * 1000;
  const record: SessionRecord = {
    accessKeyId,
    sealedSecret: ctx.sealer.seal(secretAccessKey, sealContext('session-secret', accessKeyId)),
    sealedToken: ctx.sealer.seal(sessionToken, sealContext('session-token', accessKeyId)),
    createdAt: now,
    expiresAt,
    principal: withoutSessionKey(spec.principal),
    ...(spec.sourceAccessKeyId ? { sourceAccessKeyId: spec.sourceAccessKeyId } : {}),
    ...(spec.policy !== undefined ? { policy: spec.policy } : {}),
    ...(spec.policyArns && spec.policyArns.length > 0 ? { policyArns: spec.policyArns } : {}),
    ...(spec.tags && Object.keys(spec.tags).length > 0 ? { tags: spec.tags } : {}),
    ...(spec.transitiveTagKeys && spec.transitiveTagKeys.length > 0
      ? { transitiveTagKeys: spec.transitiveTagKeys }
      : {}),
    ...(spec.sourceIdentity !== undefined ? { sourceIdentity: spec.sourceIdentity } : {}),
  };
  const stale = ctx.expiredSessions(now - EXPIRED_SESSION_KEEP_MS, SWEEP_PER_SESSION);
  await ctx.store.transact(async (tx) => {
    await tx.put(Kind.StsSession, accessKeyId, record, 'absent');
    for (const id of stale) await tx.remove(Kind.StsSession, id);
  });
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt };
}

function withoutSessionKey(principal: Principal): Principal {
  const { sessionKeyId: _drop, ...rest } = principal;
  return rest as Principal;
}
