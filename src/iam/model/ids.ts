/**
 * IAM's unique ids and ARNs. Ids are a four-letter prefix naming the kind (AIDA user, AGPA group,
 * AROA role, ANPA policy, AIPA instance profile, AKIA access key, ASIA temporary key) and
 * upper-case base32 characters: 21 characters for entities, 20 for access keys, as AWS issues them.
 */
import type { Rng } from '../../core/clock.ts';

export const IdPrefix = {
  User: 'AIDA',
  Group: 'AGPA',
  Role: 'AROA',
  Policy: 'ANPA',
  InstanceProfile: 'AIPA',
  AccessKey: 'AKIA',
  SessionKey: 'ASIA',
  /** Longshore's own: an agent's key from a join token (agent-keys.ts). */
  AgentKey: 'AKLA',
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + random base32 up to `length` characters (21 for entities, 20 for access keys). */
export function newIamId(rng: Rng, prefix: IdPrefix): string {
  const length =
    prefix === IdPrefix.AccessKey || prefix === IdPrefix.SessionKey || prefix === IdPrefix.AgentKey ? 20 : 21;
  const bytes = Buffer.from(rng.hex(length), 'hex');
  let out = prefix;
  for (let i = 0; out.length < length; i++) out += BASE32[bytes[i]! % 32];
  return out;
}

/** A 40-character secret access key (30 random bytes, base64 with `+` and `/` as AWS's have). */
export function newSecretAccessKey(rng: Rng): string {
  return Buffer.from(rng.hex(30), 'hex').toString('base64');
}

/** An opaque session token: 96 random bytes behind a fixed marker, base64 (AWS's are opaque too). */
export function newSessionToken(rng: Rng): string {
  return `IQoJb3JpZ2luX2Vj${Buffer.from(rng.hex(96), 'hex').toString('base64')}`;
}

/** `arn:aws:iam::<account>:<type><path><name>`; IAM ARNs carry no region. */
export function iamArn(accountId: string, type: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${type}${path}${name}`;
}

/** The ARN prefix of AWS managed policies. */
export const AWS_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy';
