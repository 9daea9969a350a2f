/**
 * Registry passwords: what GetAuthorizationToken hands out (as base64 `AWS:<password>`) and what
 * the registry checks on `docker login` and every request after it.
 *
 * A password is `base64url(JSON {a: accountId, r: region, e: expiry ms}) + '.' +
 * base64url(HMAC-SHA256(tokenSecret, label + payload))`, valid 12 hours, as ECR's are. The Docker
 * token flow's access tokens (registry/token-server.ts) are sealed the same way under another label,
 * with the scopes they grant. Nothing is stored:
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

/**
 * What a sealed string's signature covers: its kind and its payload, so a password can never pass
 * for an access token nor the other way round (they are signed under different labels).
 */
function sign(tokenSecret: string, label: string, payload: string): Buffer {
  return createHmac('sha256', tokenSecret).update(`${label}\n${payload}`).digest();
}

const PASSWORD_LABEL = 'registry-password';
const ACCESS_TOKEN_LABEL = 'registry-access-token';

/** `base64url(JSON body) + '.' + base64url(signature)`. */
function seal(tokenSecret: string, label: string, body: object): string {
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${sign(tokenSecret, label, payload).toString('base64url')}`;
}

/** The body of a string `seal` made with this secret and label, or undefined (checked in constant time). */
function unseal(tokenSecret: string, label: string, sealed: string): unknown {
  if (typeof sealed !== 'string' || sealed.length > 8192) return undefined;
  const dot = sealed.indexOf('.');
  if (dot <= 0 || dot !== sealed.lastIndexOf('.')) return undefined;
  const payload = sealed.slice(0, dot);
  const given = Buffer.from(sealed.slice(dot + 1), 'base64url');
  const expected = sign(tokenSecret, label, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A new password for the context's account and region, valid 12 hours from `nowMs`. */
export function issueRegistryPassword(
  ctx: EcrContext,
  nowMs: number,
): { password: string; expiresAt: number } {
  const expiresAt = Math.floor(nowMs) + REGISTRY_PASSWORD_TTL_MS;
  const body: Payload = { a: ctx.partition.accountId, r: ctx.partition.region, e: expiresAt };
  return { password: seal(ctx.tokenSecret, PASSWORD_LABEL, body), expiresAt };
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
): (RegistryPrincipal & { expiresAt: number }) | undefined {
  const body = unseal(tokenSecret, PASSWORD_LABEL, password);
  if (!isPayload(body) || nowMs >= body.e) return undefined;
  return { accountId: body.a, region: body.r, expiresAt: body.e };
}

function isPayload(value: unknown): value is Payload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.a === 'string' && typeof v.r === 'string' && typeof v.e === 'number' && Number.isFinite(v.e)
  );
}

/** How long a token-server access token lives (capped by the password it was issued for). */
export const ACCESS_TOKEN_TTL_MS = 15 * 60 * 1000;

/**
 * One grant of an access token, in the token server's scope grammar: `repository:<name>:pull,push`
 * or `registry:catalog:*`.
 */
export interface AccessScope {
  type: string;
  name: string;
  actions: string[];
}

interface AccessPayload extends Payload {
  s: AccessScope[];
}

/**
 * An access token (the Docker token flow's Bearer token) for `principal`, granting `scopes`, valid
 * ACCESS_TOKEN_TTL_MS but never past the password it was issued against (`notAfter`).
 */
export function issueAccessToken(
  tokenSecret: string,
  principal: RegistryPrincipal,
  scopes: AccessScope[],
  nowMs: number,
  notAfter: number,
): { token: string; expiresAt: number } {
  const expiresAt = Math.min(Math.floor(nowMs) + ACCESS_TOKEN_TTL_MS, notAfter);
  const body: AccessPayload = { a: principal.accountId, r: principal.region, e: expiresAt, s: scopes };
  return { token: seal(tokenSecret, ACCESS_TOKEN_LABEL, body), expiresAt };
}

/** The principal and grants of a valid, unexpired access token; undefined otherwise. */
export function verifyAccessToken(
  tokenSecret: string,
  token: string,
  nowMs: number,
): (RegistryPrincipal & { scopes: AccessScope[] }) | undefined {
  const body = unseal(tokenSecret, ACCESS_TOKEN_LABEL, token);
  if (!isPayload(body) || nowMs >= body.e) return undefined;
  const scopes = (body as Partial<AccessPayload>).s;
  if (!Array.isArray(scopes)) return undefined;
  return { accountId: body.a, region: body.r, scopes };
}

/** GetAuthorizationToken's `authorizationToken`: base64 of `AWS:<password>`, as `docker login` takes it. */
export function authorizationToken(password: string): string {
  return Buffer.from(`AWS:${password}`).toString('base64');
}
