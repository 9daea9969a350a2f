/**
 * IAM's records as the store keeps them: users, groups, roles, customer managed policies,
 * instance profiles and access keys (one record each, keyed by lower-cased name: IAM names are
 * unique without regard to case), and STS sessions. IAM is global: every record lives in the
 * root store, whatever region a request is signed for, and no ARN carries a region.
 */
import type { Clock, Rng } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import type { PolicyDocument, Principal } from './principal.ts';

/** A tag as IAM's API spells it. */
export interface IamTag {
  Key: string;
  Value: string;
}

/** What users, groups and roles share: inline policies (name -> document text) and attached ARNs. */
export interface PolicyHolder {
  /** Inline policies by name, in the order they were put; the document as the caller sent it. */
  inlinePolicies: Record<string, string>;
  /** ARNs of attached managed policies (customer and AWS), in attachment order. */
  attachedPolicies: string[];
}

export interface UserRecord extends PolicyHolder {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: number;
  permissionsBoundary?: string;
  tags: IamTag[];
  /** Names of the groups the user is in (as the groups spell them). */
  groups: string[];
}

export interface GroupRecord extends PolicyHolder {
  groupName: string;
  groupId: string;
  arn: string;
  path: string;
  createDate: number;
}

export interface RoleRecord extends PolicyHolder {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: number;
  /** The trust policy, as the caller sent it. */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600 to 43200. */
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: IamTag[];
  /** When a session of the role was last made, and in which region. */
  lastUsed?: { date: number; region: string };
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: number;
}

/** A customer managed policy with all its versions (at most five). */
export interface PolicyRecord {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  /** The number the next version gets (`v<n>`): IAM never reuses a version id. */
  nextVersion: number;
  versions: PolicyVersionRecord[];
  tags: IamTag[];
}

export interface InstanceProfileRecord {
  instanceProfileName: string;
  instanceProfileId: string;
  arn: string;
  path: string;
  createDate: number;
  /** Role names (at most one, as IAM allows). */
  roles: string[];
  tags: IamTag[];
}

export const AccessKeyStatus = { Active: 'Active', Inactive: 'Inactive' } as const;
export type AccessKeyStatus = (typeof AccessKeyStatus)[keyof typeof AccessKeyStatus];

export interface AccessKeyRecord {
  accessKeyId: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: number;
  /** The secret access key, sealed (`sealContext('access-key', id)`). */
  sealedSecret: string;
  /** Last successful use, written at most once per `LAST_USED_PERSIST_MS` (credentials.ts). */
  lastUsed?: { date: number; service: string; region: string };
}

/** Temporary credentials (AssumeRole, GetSessionToken). */
export interface SessionRecord {
  accessKeyId: string;
  sealedSecret: string;
  sealedToken: string;
  createdAt: number;
  expiresAt: number;
  /** Who the session acts as. */
  principal: Principal;
  /** The key that made it (GetSessionToken: the user's long-term key). */
  sourceAccessKeyId?: string;
  /** Session policies: the inline `Policy` and the `PolicyArns`' documents are read when evaluated. */
  policy?: string;
  policyArns?: string[];
  /** Session tags (AssumeRole `Tags`, plus transitive ones from the caller's session). */
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
}

/**
 * Seals and opens secrets at rest (structurally the project's `ValueCipher`, with a key kept apart
 * from the database); the context binds a sealed value to its record.
 */
export interface SecretSealer {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): Buffer;
}

export function sealContext(
  kind: 'access-key' | 'session-secret' | 'session-token' | 'agent-key',
  id: string,
): string {
  return `iam/${kind}/${id}`;
}

/** What IAM and STS handlers work with (IAM is global: the root store, the home partition's account). */
export interface IamContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  accountId: string;
  sealer: SecretSealer;
  /** A key's last use: the credential index's memory or, when later, what was stored (credentials.ts). */
  lastUsed(
    accessKeyId: string,
    stored?: AccessKeyRecord['lastUsed'],
  ): AccessKeyRecord['lastUsed'] | undefined;
  /** Ids of sessions expired before `before` (STS deletes a few each time it makes one). */
  expiredSessions(before: number, limit: number): string[];
}

/** Store keys: IAM names are case-insensitive ("Bob" and "bob" are one user). */
export const nameKey = (name: string): string => name.toLowerCase();

/** Parses a stored policy document (validated when it was written). */
export function parseDocument(text: string): PolicyDocument {
  return JSON.parse(text) as PolicyDocument;
}
