/**
 * ECR's registry authentication: `docker login -u AWS -p <password>` then Basic on every request
 * (a Bearer carrying the same password is accepted too). The password is what
 * GetAuthorizationToken issued; its region picks the region's context. Secrets are never logged.
 */
import type { IncomingMessage } from 'node:http';
import { verifyDownloadUrl } from '../layers/download-url.ts';
import { verifyRegistryPassword } from '../model/auth-token.ts';
import { RegistryError } from '../model/images.ts';
import type { EcrContext } from '../model/records.ts';
import type { RegistryPath } from './paths.ts';

/** ECR's challenge: `Basic realm="https://<registry host>/",service="ecr.amazonaws.com"`. */
export const challengeFor = (host: string): string =>
  `Basic realm="https://${host}/",service="ecr.amazonaws.com"`;

/** The context the request's credentials grant, or UNAUTHORIZED (anonymous, malformed, forged, expired). */
export function authenticate(
  req: IncomingMessage,
  contextFor: (region: string) => EcrContext,
  home: string,
  now: number,
): EcrContext {
  const header = req.headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  let password: string | undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0 && decoded.slice(0, colon) === 'AWS') password = decoded.slice(colon + 1);
  } else if (scheme === 'bearer') {
    password = value;
  }
  if (!password) throw new RegistryError('UNAUTHORIZED', 401, 'authentication required');
  const principal = verifyRegistryPassword(contextFor(home).tokenSecret, password, now);
  if (!principal) {
    throw new RegistryError(
      'UNAUTHORIZED',
      401,
      'Your authorization token is invalid or has expired. Reauthenticate and try again.',
    );
  }
  const ctx = contextFor(principal.region);
  if (ctx.partition.accountId !== principal.accountId) {
    throw new RegistryError(
      'DENIED',
      403,
      'Your authorization token does not grant access to this registry.',
    );
  }
  return ctx;
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
