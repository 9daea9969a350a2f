/**
 * Agent join tokens and agent keys (Longshore's own, issues 14 and 18). An administrator makes a
 * join token (`lsjt-<id>.<secret>`; only a SHA-256 of the secret is stored); an agent exchanges it
 * once for a key pair of its own (AKLA...), which signs as a session of the role `ecsInstanceRole`,
 * the way an ECS agent on EC2 signs with its instance profile: IAM authorizes it with that role's
 * policies (AmazonEC2ContainerServiceforEC2Role unless the user changed them).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { IdPrefix } from './ids.ts';
import type { Principal } from './principal.ts';
import type { RoleRecord } from './records.ts';

/** The role agent keys act as: ECS's instance role, as the console's and the docs' setups name it. */
export const AGENT_ROLE_NAME = 'ecsInstanceRole';
/** The managed policy attached to `ecsInstanceRole` when a join creates it. */
export const AGENT_ROLE_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';
/** EC2 instances assume instance roles: the trust policy a join gives `ecsInstanceRole`. */
export const AGENT_ROLE_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
/** Agent access key ids: `AKLA` + 16 characters (AWS's 20), apart from IAM's AKIA and the root's AKLS. */
export const AGENT_KEY_PREFIX = IdPrefix.AgentKey;
/** Join tokens: `lsjt-<token id>.<secret>`. */
export const JOIN_TOKEN_PREFIX = 'lsjt-';

/** What the store keeps of a join token (`Kind.AgentJoinToken`, keyed by token id). */
export interface AgentJoinTokenRecord {
  tokenId: string;
  /** SHA-256 of the secret, hex; the secret itself is shown once, by CreateAgentJoinToken. */
  secretHash: string;
  /** The only cluster the agents that join with it may connect for. */
  cluster?: string;
  description?: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  /** Absent: unlimited. */
  maxUses?: number;
  uses: number;
  /** Who made it (the caller's ARN). */
  createdBy?: string;
}

/** An agent's key pair (`Kind.AgentKey`, keyed by access key id). */
export interface AgentKeyRecord {
  accessKeyId: string;
  /** The secret access key, sealed (`sealContext('agent-key', id)`). */
  sealedSecret: string;
  /** The join token it came from (which may since be deleted: the key stays valid). */
  tokenId: string;
  cluster?: string;
  hostname?: string;
  createdAt: number;
  status: 'Active' | 'Inactive';
  /** The `ecsInstanceRole` session it signs as. */
  principal: Principal;
}

/** SHA-256 of a join token's secret, hex. */
export function hashJoinSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` is the token's, compared in constant time. */
export function joinSecretMatches(record: AgentJoinTokenRecord, secret: string): boolean {
  const given = Buffer.from(hashJoinSecret(secret), 'hex');
  const stored = Buffer.from(record.secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** `lsjt-<id>.<secret>` -> its parts; undefined when the text is not shaped like a token. */
export function parseJoinToken(text: unknown): { tokenId: string; secret: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^lsjt-([a-z0-9]{8,32})\.([A-Za-z0-9_-]{16,128})$/.exec(text.trim());
  return m ? { tokenId: m[1]!, secret: m[2]! } : undefined;
}

/** The token as handed to an administrator (once). */
export function formatJoinToken(tokenId: string, secret: string): string {
  return `${JOIN_TOKEN_PREFIX}${tokenId}.${secret}`;
}

/**
 * The principal of an agent key: `arn:aws:sts::ACCOUNT:assumed-role/ecsInstanceRole/<key id>`,
 * as an instance profile's session is named after the instance.
 */
export function agentPrincipal(
  accountId: string,
  role: Pick<RoleRecord, 'roleName' | 'roleId' | 'arn'>,
  sessionName: string,
): Principal {
  return {
    type: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn: role.arn,
    roleName: role.roleName,
    sessionName,
  };
}

export const isAgentKeyId = (accessKeyId: string): boolean => accessKeyId.startsWith(AGENT_KEY_PREFIX);
