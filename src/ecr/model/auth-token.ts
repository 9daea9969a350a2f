/**
 * Registry passwords: what GetAuthorizationToken hands out (as base64 `AWS:<password>`) and what
 * the registry checks on `docker login` and every request after it.
 *
 * A password is `base64url(JSON {a: accountId, r: region, e: expiry ms}) + '.' +
 * base64url(HMAC-SHA256(tokenSecret, payload))`, valid 12 hours, as ECR's are. Nothing is stored:
 * any replica holding the installation's token secret can check one. The secret and the passwords
 * are never logged nor echoed in an error.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EcrContext } from './records.ts';

/** How long a password (and GetAuthorizationToken's token) stays valid: 12 hours, as ECR. */
export const REGISTRY_PASSWORD_TTL_MS = 12 * 60 * 60 * 1000;

/** The account and region a valid password grants access to. */
export interface RegistryPrincipal {
  accountId: string;
  region: string;
}

interface Payload {
  a: string;
  r: string;
  e: number;
}

function sign(tokenSecret: string, payload: string): Buffer {
  return createHmac('sha256', tokenSecret).update(payload).digest();
}

/** A new password for the context's account and region, valid 12 hours from `nowMs`. */
export function issueRegistryPassword(
  ctx: EcrContext,
  nowMs: number,
): { password: string; expiresAt: number } {
  const expiresAt = Math.floor(nowMs) + REGISTRY_PASSWORD_TTL_MS;
  const body: Payload = { a: ctx.partition.accountId, r: ctx.partition.region, e: expiresAt };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  const signature = sign(ctx.tokenSecret, payload).toString('base64url');
  return { password: `${payload}.${signature}`, expiresAt };
}

/**
 * The principal a password names, when it was signed with `tokenSecret` and has not expired at
 * `nowMs`; undefined otherwise (malformed, forged, or expired: the caller cannot tell which, and
 * neither can an attacker). The signature is compared in constant time.
 */
export function verifyRegistryPassword(
  tokenSecret: string,
  password: string,
  nowMs: number,
): RegistryPrincipal | undefined {
  if (typeof password !== 'string' || password.length > 4096) return undefined;
  const dot = password.indexOf('.');
  if (dot <= 0 || dot !== password.lastIndexOf('.')) return undefined;
  const payload = password.slice(0, dot);
  const given = Buffer.from(password.slice(dot + 1), 'base64url');
  const expected = sign(tokenSecret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isPayload(body)) return undefined;
  if (nowMs >= body.e) return undefined;
  return { accountId: body.a, region: body.r };
}

function isPayload(value: unknown): value is Payload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.a === 'string' && typeof v.r === 'string' && typeof v.e === 'number' && Number.isFinite(v.e)
  );
}

/** GetAuthorizationToken's `authorizationToken`: base64 of `AWS:<password>`, as `docker login` takes it. */
export function authorizationToken(password: string): string {
  return Buffer.from(`AWS:${password}`).toString('base64');
}
