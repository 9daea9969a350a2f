/** `clientToken` idempotency: the same token with the same request returns the first answer. */
import { createHash } from 'node:crypto';
import { Kind, type Tx } from '../store/store.ts';
import { invalidInput as invalidParameter } from './errors.ts';

/** ECS keeps idempotency tokens for at least 8 hours. */
export const CLIENT_TOKEN_TTL_MS = 8 * 60 * 60 * 1000;

interface TokenRecord {
  requestHash: string;
  /** What the first call created (task ARNs, a service ARN ...). */
  result: string[];
  expiresAt: number;
}

/** A stable hash of the request without its token. */
export function requestHash(input: object): string {
  const { clientToken: _t, ...rest } = input as { clientToken?: string };
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}

/** The earlier result for this token, or undefined; throws when the token came with another request. */
export async function previousResult(
  tx: Tx,
  operation: string,
  token: string | undefined,
  hash: string,
  now: number,
): Promise<string[] | undefined> {
  if (!token) return undefined;
  if (token.length > 64) throw invalidParameter('clientToken can be at most 64 characters long.');
  const found = await tx.get<TokenRecord>(Kind.ClientToken, `${operation}/${token}`);
  if (!found || found.value.expiresAt <= now) return undefined;
  if (found.value.requestHash !== hash) {
    throw invalidParameter(
      'The clientToken was already used with a different request; use a new token for a new request.',
    );
  }
  return found.value.result;
}

export async function rememberResult(
  tx: Tx,
  operation: string,
  token: string | undefined,
  hash: string,
  result: string[],
  now: number,
) {
  if (!token) return;
  await tx.put<TokenRecord>(Kind.ClientToken, `${operation}/${token}`, {
    requestHash: hash,
    result,
    expiresAt: now + CLIENT_TOKEN_TTL_MS,
  });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
