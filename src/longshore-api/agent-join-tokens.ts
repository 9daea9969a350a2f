/**
 * CreateAgentJoinToken, ListAgentJoinTokens and DeleteAgentJoinToken (Longshore's own API): the
 * tokens an administrator hands to hosts so their agents join with keys of their own instead of
 * the root key (docs/agents.md). The secret is shown once, by Create; the store keeps a SHA-256 of
 * it. Deleting a token stops new joins with it; agents that joined keep their keys. Tokens are
 * global, like IAM: they live in the root store whatever region a call is signed for.
 */
import type { InputSchema, RequestContext } from '../aws/service.ts';
import type { Clock, Rng } from '../core/clock.ts';
import { ServiceError } from '../core/errors.ts';
import { EcsErrorCode, invalidParameter } from '../ecs/model/errors.ts';
import { checkRange } from '../ecs/model/validation.ts';
import { type AgentJoinTokenRecord, formatJoinToken, hashJoinSecret } from '../iam/model/agent-keys.ts';
import { Kind, type Store } from '../store/store.ts';

/** What the operations work with: the root store (tokens are global). */
export interface JoinTokenContext {
  store: Store;
  clock: Clock;
  rng: Rng;
}

/** 24 hours, unless the caller says otherwise. */
export const DEFAULT_TOKEN_SECONDS = 24 * 60 * 60;
/** 30 days at most: a join token is for joining, not a long-term credential. */
export const MAX_TOKEN_SECONDS = 30 * 24 * 60 * 60;
const MIN_TOKEN_SECONDS = 60;
const MAX_DESCRIPTION = 256;

export const CreateAgentJoinTokenRequest$: InputSchema = [
  3,
  'com.longshore',
  'CreateAgentJoinTokenRequest',
  0,
  ['cluster', 'expiresInSeconds', 'maxUses', 'description'],
  [0, 1, 1, 0],
];
export const ListAgentJoinTokensRequest$: InputSchema = [
  3,
  'com.longshore',
  'ListAgentJoinTokensRequest',
  0,
  [],
  [],
];
export const DeleteAgentJoinTokenRequest$: InputSchema = [
  3,
  'com.longshore',
  'DeleteAgentJoinTokenRequest',
  0,
  ['tokenId'],
  [0],
];

export interface CreateAgentJoinTokenInput {
  cluster?: string;
  expiresInSeconds?: number;
  maxUses?: number;
  description?: string;
}

/**
 * A token as List describes it: never its secret (nor its hash). Times in epoch seconds, as AWS's
 * JSON APIs give them.
 */
export type AgentJoinTokenView = Omit<AgentJoinTokenRecord, 'secretHash'> & { expired: boolean };

export async function createAgentJoinToken(
  ctx: JoinTokenContext,
  input: CreateAgentJoinTokenInput,
  request: RequestContext,
): Promise<{ tokenId: string; token: string; expiresAt: number }> {
  if (typeof input !== 'object' || input === null)
    throw invalidParameter('The request body must be a JSON object.');
  const cluster = input.cluster === undefined ? undefined : clusterNameOf(input.cluster);
  checkRange('expiresInSeconds', input.expiresInSeconds, MIN_TOKEN_SECONDS, MAX_TOKEN_SECONDS);
  checkRange('maxUses', input.maxUses, 1, 1_000_000);
  if (input.description !== undefined && input.description.length > MAX_DESCRIPTION)
    throw invalidParameter(`description must be at most ${MAX_DESCRIPTION} characters.`);
  const now = ctx.clock.now();
  const tokenId = ctx.rng.hex(8);
  const secret = Buffer.from(ctx.rng.hex(32), 'hex').toString('base64url');
  const record: AgentJoinTokenRecord = {
    tokenId,
    secretHash: hashJoinSecret(secret),
    ...(cluster !== undefined ? { cluster } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    createdAt: now,
    expiresAt: now + (input.expiresInSeconds ?? DEFAULT_TOKEN_SECONDS) * 1000,
    ...(input.maxUses !== undefined ? { maxUses: input.maxUses } : {}),
    uses: 0,
    ...(request.caller.principal ? { createdBy: request.caller.principal.arn } : {}),
  };
  await ctx.store.transact((tx) => tx.put(Kind.AgentJoinToken, tokenId, record, 'absent'));
  return { tokenId, token: formatJoinToken(tokenId, secret), expiresAt: record.expiresAt / 1000 };
}

export async function listAgentJoinTokens(ctx: JoinTokenContext): Promise<{ tokens: AgentJoinTokenView[] }> {
  const now = ctx.clock.now();
  const records = await ctx.store.list<AgentJoinTokenRecord>(Kind.AgentJoinToken);
  const tokens = records
    .map((r) => r.value)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(({ secretHash: _hidden, ...t }) => ({
      ...t,
      createdAt: t.createdAt / 1000,
      expiresAt: t.expiresAt / 1000,
      expired: t.expiresAt <= now,
    }));
  return { tokens };
}

export async function deleteAgentJoinToken(
  ctx: JoinTokenContext,
  input: { tokenId?: string },
): Promise<{ tokenId: string }> {
  if (typeof input !== 'object' || input === null)
    throw invalidParameter('The request body must be a JSON object.');
  const tokenId = input.tokenId?.replace(/^lsjt-/, '').replace(/\..*$/, '');
  if (!tokenId) throw invalidParameter('tokenId is required.');
  const removed = await ctx.store.transact((tx) => tx.remove(Kind.AgentJoinToken, tokenId));
  if (!removed)
    throw new ServiceError(EcsErrorCode.ResourceNotFound, `The join token ${tokenId} does not exist.`);
  return { tokenId };
}

/** A cluster's name from its name or ARN, as ECS names clusters. */
function clusterNameOf(value: string): string {
  const name = value.startsWith('arn:')
    ? value.slice(value.indexOf(':cluster/') + ':cluster/'.length)
    : value;
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name) || (value.startsWith('arn:') && !value.includes(':cluster/')))
    throw invalidParameter(
      'cluster must be a cluster name (up to 255 letters, numbers, hyphens and underscores) or ARN.',
    );
  return name;
}
