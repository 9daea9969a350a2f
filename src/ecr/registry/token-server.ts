/**
 * The Docker token flow's token endpoint, `GET /v2/token?service=...&scope=repository:demo:pull,push`
 * with Basic `AWS:<password>` (the GetAuthorizationToken password `docker login` was given): answers
 * `{token, access_token, expires_in, issued_at}`, a Bearer token for the scopes asked for, valid
 * 15 minutes and never past the password. Clients use it when the registry's challenge is Bearer
 * (`--registry-auth token`); ECR itself challenges with Basic, which stays the default.
 *
 * Every repository of the password's account may be pulled, pushed and deleted (there is no IAM
 * yet), so each well-formed repository scope is granted as asked; `registry:catalog:*` too. Other
 * scopes are left out of the token, as distribution's token servers do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AccessScope, issueAccessToken, verifyRegistryPassword } from '../model/auth-token.ts';
import { RegistryError } from '../model/images.ts';
import type { EcrContext } from '../model/records.ts';
import { basicPassword } from './auth.ts';
import { sendJson } from './call.ts';
import { NAME_PATTERN } from './paths.ts';

const REPOSITORY_ACTIONS = new Set(['pull', 'push', 'delete', '*']);
/** Scopes in one request, at most (a client asks for a handful: the target and a mount source). */
const MAX_SCOPES = 64;

/** The scopes of `scope` parameters (repeated, or space-separated in one), in `type:name:actions` form. */
export function parseScopes(values: string[]): AccessScope[] {
  const scopes: AccessScope[] = [];
  for (const value of values) {
    for (const item of value.split(' ')) {
      if (!item) continue;
      const first = item.indexOf(':');
      const last = item.lastIndexOf(':');
      if (first <= 0 || last === first) continue;
      // `repository(plugin):name:pull`: the class in parentheses does not change the grant.
      const type = item.slice(0, first).replace(/\(.*\)$/, '');
      scopes.push({ type, name: item.slice(first + 1, last), actions: item.slice(last + 1).split(',') });
      if (scopes.length > MAX_SCOPES) throw new RegistryError('DENIED', 400, 'too many scopes requested');
    }
  }
  return scopes;
}

/** What a token may carry of what was asked. */
export function grantedScopes(asked: AccessScope[]): AccessScope[] {
  const granted: AccessScope[] = [];
  for (const scope of asked) {
    if (scope.type === 'registry' && scope.name === 'catalog' && scope.actions.includes('*')) {
      granted.push({ type: 'registry', name: 'catalog', actions: ['*'] });
    } else if (scope.type === 'repository' && NAME_PATTERN.test(scope.name) && scope.name.length <= 256) {
      const actions = [...new Set(scope.actions.filter((a) => REPOSITORY_ACTIONS.has(a)))];
      if (actions.length > 0) granted.push({ type: 'repository', name: scope.name, actions });
    }
  }
  return granted;
}

/** Answers a token request; throws RegistryError (UNAUTHORIZED for missing or refused credentials). */
export function serveToken(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  contextFor: (region: string) => EcrContext,
  home: string,
  now: number,
): void {
  if (req.method !== 'GET') {
    throw new RegistryError('UNSUPPORTED', 405, 'The token endpoint answers GET requests only.', {
      method: req.method,
    });
  }
  const password = basicPassword(req.headers.authorization);
  if (!password) throw new RegistryError('UNAUTHORIZED', 401, 'authentication required');
  const secret = contextFor(home).tokenSecret;
  const principal = verifyRegistryPassword(secret, password, now);
  if (!principal) {
    throw new RegistryError(
      'UNAUTHORIZED',
      401,
      'Your authorization token is invalid or has expired. Reauthenticate and try again.',
    );
  }
  const scopes = grantedScopes(parseScopes(url.searchParams.getAll('scope')));
  const { token, expiresAt } = issueAccessToken(secret, principal, scopes, now, principal.expiresAt);
  sendJson(
    res,
    200,
    {
      token,
      access_token: token,
      expires_in: Math.max(1, Math.floor((expiresAt - now) / 1000)),
      issued_at: new Date(now).toISOString(),
    },
    { 'Cache-Control': 'no-store' },
  );
}
