/**
 * OAuth client-credentials tokens of connections: fetched from the connection's authorization
 * endpoint (client id and secret as HTTP Basic credentials, the connection's OAuth body
 * parameters form-encoded, `grant_type=client_credentials` unless they name one), cached until a
 * minute before `expires_in` runs out or the destination answers 401. Neither the secret nor the
 * token is ever logged or put in a delivery's failure reason.
 */
import { openParameters, openSecret } from '../../events/model/connections.ts';
import type { ConnectionRecord, SecretSealer } from '../../events/model/records.ts';

const TOKEN_TIMEOUT_MS = 5_000;

/** A token request that failed; its message names the endpoint's origin and the status only. */
export class OAuthTokenError extends Error {}
const EXPIRY_MARGIN_MS = 60_000;

export class OAuthTokens {
  readonly #cache = new Map<string, { token: string; expiresAt: number }>();

  forget(connection: ConnectionRecord): void {
    this.#cache.delete(cacheKey(connection));
  }

  /** The bearer token, or throws an Error whose message holds no secret. */
  async token(sealer: SecretSealer, connection: ConnectionRecord, now: number): Promise<string> {
    const oauth = connection.oauth!;
    const key = cacheKey(connection);
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt > now) return cached.token;
    const secret = openSecret(sealer, connection.arn, 'client-secret', oauth.sealedClientSecret);
    const url = new URL(oauth.authorizationEndpoint);
    for (const [k, v] of openParameters(sealer, connection.arn, 'oauth', 'query', oauth.parameters.query)) {
      url.searchParams.append(k, v);
    }
    const headers = new Headers(
      openParameters(sealer, connection.arn, 'oauth', 'header', oauth.parameters.headers),
    );
    headers.set('authorization', `Basic ${Buffer.from(`${oauth.clientId}:${secret}`).toString('base64')}`);
    const form = new URLSearchParams(
      openParameters(sealer, connection.arn, 'oauth', 'body', oauth.parameters.body),
    );
    if (!form.has('grant_type')) form.set('grant_type', 'client_credentials');
    let response: Response;
    try {
      response = await fetch(url, {
        method: oauth.httpMethod,
        headers: { ...Object.fromEntries(headers), 'content-type': 'application/x-www-form-urlencoded' },
        ...(oauth.httpMethod === 'GET' ? {} : { body: form.toString() }),
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch (error) {
      throw new OAuthTokenError(`OAuth token request to ${url.origin} failed: ${(error as Error).name}`);
    }
    if (!response.ok)
      throw new OAuthTokenError(`OAuth token request to ${url.origin} answered HTTP ${response.status}`);
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
    };
    if (typeof body.access_token !== 'string')
      throw new OAuthTokenError(`OAuth token response from ${url.origin} has no access_token`);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3_600_000;
    this.#cache.set(key, {
      token: body.access_token,
      expiresAt: now + Math.max(0, expiresIn - EXPIRY_MARGIN_MS),
    });
    return body.access_token;
  }
}

function cacheKey(c: ConnectionRecord): string {
  return `${c.arn}@${c.lastModifiedAt}`;
}
