/**
 * ECR's registry authentication: `docker login -u AWS -p <password>` then Basic on every request
 * (a Bearer carrying the same password is accepted too), or the Docker token flow: Basic
 * credentials at the token endpoint (token-server.ts) buy a short-lived Bearer token scoped to
 * repositories and actions. The password is what GetAuthorizationToken issued; its region picks
 * the region's context. Secrets are never logged.
 */
import type { IncomingMessage } from 'node:http';
import { verifyDownloadUrl } from '../layers/download-url.ts';
import { type AccessScope, verifyAccessToken, verifyRegistryPassword } from '../model/auth-token.ts';
import { RegistryError } from '../model/images.ts';
import type { EcrContext } from '../model/records.ts';
import type { RegistryPath } from './paths.ts';

/**
 * Which challenge a 401 carries: `basic` (ECR's: clients send the password on every request) or
 * `bearer` (distribution's token flow: clients fetch scoped tokens from `/v2/token`).
 */
export type RegistryChallengeMode = 'basic' | 'bearer';

/** What one request needs a token to grant: an action on a repository, or the catalog. */
export interface RequiredAccess {
  type: 'repository' | 'registry';
  name: string;
  action: string;
}

/** The access `method` on `path` needs (nothing for the base endpoint and the token endpoint). */
export function requiredAccess(path: RegistryPath | undefined, method: string): RequiredAccess | undefined {
  if (!path || path.type === 'base' || path.type === 'token') return undefined;
  if (path.type === 'catalog') return { type: 'registry', name: 'catalog', action: '*' };
  const reads = method === 'GET' || method === 'HEAD';
  let action = 'push';
  if (method === 'DELETE' && (path.type === 'manifest' || path.type === 'blob')) action = 'delete';
  else if (reads && path.type !== 'upload') action = 'pull';
  return { type: 'repository', name: path.name, action };
}

/** Whether `scopes` grant `access` (`*` grants every action). */
export function grants(scopes: readonly AccessScope[], access: RequiredAccess): boolean {
  return scopes.some(
    (s) =>
      s.type === access.type &&
      s.name === access.name &&
      (s.actions.includes(access.action) || s.actions.includes('*')),
  );
}

/** A request's caller: the region its credentials name, and what they allow. */
export interface RegistryCaller {
  ctx: EcrContext;
  /** Whether the caller may do `action` on repository `name` (a mount checks its source with it). */
  allows(name: string, action: string): boolean;
}

/**
 * The 401 challenge. Basic is ECR's (`Basic realm="https://<registry host>/",service="ecr.amazonaws.com"`);
 * Bearer names the token endpoint on the host the client used, and the scope the request needed.
 */
export function challengeFor(
  mode: RegistryChallengeMode,
  registryHost: string,
  req: IncomingMessage,
  access?: RequiredAccess,
  insufficient = false,
): string {
  if (mode === 'basic') return `Basic realm="https://${registryHost}/",service="ecr.amazonaws.com"`;
  const host = req.headers.host || registryHost;
  const scheme = 'encrypted' in req.socket ? 'https' : 'http';
  const scope = access ? `,scope="${access.type}:${access.name}:${access.action}"` : '';
  return `Bearer realm="${scheme}://${host}/v2/token",service="${registryHost}"${scope}${insufficient ? ',error="insufficient_scope"' : ''}`;
}

const invalidCredentials = () =>
  new RegistryError(
    'UNAUTHORIZED',
    401,
    'Your authorization token is invalid or has expired. Reauthenticate and try again.',
  );

/** The password in a Basic `AWS:<password>` header, or undefined. */
export function basicPassword(header: string | undefined): string | undefined {
  const [scheme, value] = splitAuthorization(header);
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(0, colon) === 'AWS' ? decoded.slice(colon + 1) : undefined;
}

function splitAuthorization(header: string | undefined): [string, string] {
  const text = header ?? '';
  const space = text.indexOf(' ');
  if (space < 0) return [text.toLowerCase(), ''];
  return [text.slice(0, space).toLowerCase(), text.slice(space + 1).trim()];
}

/**
 * The caller the request's credentials name, or UNAUTHORIZED (anonymous, malformed, forged,
 * expired, or a token whose scopes do not cover `access`: then with the access as its detail).
 * In `basic` mode (ECR's) the password comes by Basic, or as a Bearer; in `bearer` mode (the token
 * flow, as distribution has it) only access tokens from the token endpoint are taken.
 */
export function authenticate(
  req: IncomingMessage,
  contextFor: (region: string) => EcrContext,
  home: string,
  now: number,
  access: RequiredAccess | undefined,
  mode: RegistryChallengeMode,
): RegistryCaller {
  const [scheme, value] = splitAuthorization(req.headers.authorization);
  const secret = contextFor(home).tokenSecret;
  const password =
    scheme === 'basic' ? basicPassword(req.headers.authorization) : scheme === 'bearer' ? value : '';
  if (!password || (mode === 'bearer' && scheme !== 'bearer')) {
    throw new RegistryError('UNAUTHORIZED', 401, 'authentication required');
  }
  const token = scheme === 'bearer' ? verifyAccessToken(secret, password, now) : undefined;
  const principal = token ?? (mode === 'basic' ? verifyRegistryPassword(secret, password, now) : undefined);
  if (!principal) throw invalidCredentials();
  const ctx = contextFor(principal.region);
  if (ctx.partition.accountId !== principal.accountId) {
    throw new RegistryError(
      'DENIED',
      403,
      'Your authorization token does not grant access to this registry.',
    );
  }
  if (!token) return { ctx, allows: () => true };
  if (access && !grants(token.scopes, access)) {
    throw new RegistryError('UNAUTHORIZED', 401, 'authentication required', [
      { Type: access.type, Name: access.name, Action: access.action },
    ]);
  }
  return { ctx, allows: (name, action) => grants(token.scopes, { type: 'repository', name, action }) };
}

/**
 * The context a GetDownloadUrlForLayer URL grants (layers/download-url.ts): a GET or HEAD of the
 * very blob it was signed for, before it expires; anything else is DENIED (403, as an expired or
 * altered pre-signed URL is), whatever Authorization header comes with it.
 */
export function authenticateSignedUrl(
  req: IncomingMessage,
  url: URL,
  path: RegistryPath | undefined,
  contextFor: (region: string) => EcrContext,
  home: string,
  now: number,
): EcrContext {
  const denied = new RegistryError('DENIED', 403, 'The download URL is invalid or has expired.');
  if ((req.method !== 'GET' && req.method !== 'HEAD') || path?.type !== 'blob') throw denied;
  const region = verifyDownloadUrl(url, path.name, path.digest, contextFor(home), now);
  if (region === undefined) throw denied;
  return contextFor(region);
}
