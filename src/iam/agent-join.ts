/**
 * The join exchange (`POST /longshore/v1/agents/join`, unsigned): a join token for an agent key of
 * its own. The token is checked (known, secret right, not expired, uses left) and its use counted
 * in the same transaction that writes the key, so `maxUses` holds under concurrent joins. The key
 * signs as a session of `ecsInstanceRole`, made on the first join when no one made it before
 * (CreateRole and AttachRolePolicy, as the IAM API writes them); a role the user made is used as
 * it is. Secrets are never logged, nor put in an error.
 */
import { ServiceError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import { attachRolePolicy } from './holder-policies.ts';
import {
  AGENT_ROLE_NAME,
  AGENT_ROLE_POLICY,
  AGENT_ROLE_TRUST,
  type AgentJoinTokenRecord,
  type AgentKeyRecord,
  agentPrincipal,
  joinSecretMatches,
  parseJoinToken,
} from './model/agent-keys.ts';
import { IamErrorCode } from './model/errors.ts';
import { IdPrefix, newIamId, newSecretAccessKey } from './model/ids.ts';
import { type IamContext, nameKey, type RoleRecord, sealContext } from './model/records.ts';
import { createRole } from './roles.ts';

/** What an agent gets for its token. */
export interface AgentJoinAnswer {
  accessKeyId: string;
  secretAccessKey: string;
  roleArn: string;
}

/** The one message every refused token gets (which check failed is not told to the caller). */
export const JOIN_REFUSED_MESSAGE =
  'The join token is unknown, expired, revoked or used up: create a new token with `longshore join-token create` and start the agent with it.';

/** A refused join: AccessDeniedException, answered 403. */
export function joinRefused(): ServiceError {
  return new ServiceError('AccessDeniedException', JOIN_REFUSED_MESSAGE);
}

/** Hostnames as agents report them: at most 253 characters of a DNS name. */
const HOSTNAME = /^[A-Za-z0-9._-]{1,253}$/;

export async function joinAgent(
  ctx: IamContext,
  input: { token?: unknown; hostname?: unknown },
): Promise<AgentJoinAnswer> {
  if (input.hostname !== undefined && (typeof input.hostname !== 'string' || !HOSTNAME.test(input.hostname)))
    throw new ServiceError(
      'InvalidParameterException',
      'hostname must be a DNS name of at most 253 characters.',
    );
  const parsed = parseJoinToken(input.token);
  if (!parsed) throw joinRefused();
  // Checked before the role is made (an unknown token changes nothing), and again as it is used.
  const stored = await ctx.store.get<AgentJoinTokenRecord>(Kind.AgentJoinToken, parsed.tokenId);
  usable(stored?.value, parsed.secret, ctx.clock.now());
  const role = await instanceRole(ctx);
  const accessKeyId = newIamId(ctx.rng, IdPrefix.AgentKey);
  const secretAccessKey = newSecretAccessKey(ctx.rng);
  await ctx.store.transact(async (tx) => {
    const now = ctx.clock.now();
    const found = await tx.get<AgentJoinTokenRecord>(Kind.AgentJoinToken, parsed.tokenId);
    const token = usable(found?.value, parsed.secret, now);
    await tx.put(Kind.AgentJoinToken, parsed.tokenId, { ...token, uses: token.uses + 1 }, found!.version);
    const key: AgentKeyRecord = {
      accessKeyId,
      sealedSecret: ctx.sealer.seal(secretAccessKey, sealContext('agent-key', accessKeyId)),
      tokenId: token.tokenId,
      ...(token.cluster !== undefined ? { cluster: token.cluster } : {}),
      ...(typeof input.hostname === 'string' ? { hostname: input.hostname } : {}),
      createdAt: now,
      status: 'Active',
      principal: agentPrincipal(ctx.accountId, role, accessKeyId),
    };
    await tx.put(Kind.AgentKey, accessKeyId, key, 'absent');
  });
  return { accessKeyId, secretAccessKey, roleArn: role.arn };
}

/** The token when it exists, has this secret, has not expired (at `now`) and has uses left. */
function usable(token: AgentJoinTokenRecord | undefined, secret: string, now: number): AgentJoinTokenRecord {
  if (!token || !joinSecretMatches(token, secret)) throw joinRefused();
  if (token.expiresAt <= now) throw joinRefused();
  if (token.maxUses !== undefined && token.uses >= token.maxUses) throw joinRefused();
  return token;
}

/**
 * `ecsInstanceRole`: the user's, when there is one; else made now, trusted by ec2.amazonaws.com
 * with AmazonEC2ContainerServiceforEC2Role attached. Two first joins at once: one makes it, the
 * other finds it made.
 */
async function instanceRole(ctx: IamContext): Promise<RoleRecord> {
  const existing = await ctx.store.get<RoleRecord>(Kind.IamRole, nameKey(AGENT_ROLE_NAME));
  if (existing) return existing.value;
  try {
    await createRole(ctx, {
      RoleName: AGENT_ROLE_NAME,
      AssumeRolePolicyDocument: AGENT_ROLE_TRUST,
      Description: 'Made by Longshore on the first agent join: the role agents sign as.',
    });
    await attachRolePolicy(ctx, { RoleName: AGENT_ROLE_NAME, PolicyArn: AGENT_ROLE_POLICY });
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === IamErrorCode.EntityAlreadyExists)) throw error;
  }
  const made = await ctx.store.get<RoleRecord>(Kind.IamRole, nameKey(AGENT_ROLE_NAME));
  if (!made)
    throw new ServiceError(
      'ServiceUnavailableException',
      'ecsInstanceRole was deleted during the join; try again.',
      undefined,
      'server',
    );
  return made.value;
}
