/** Opaque page tokens: the last key a page returned, which the next page starts after. */
import { invalidParameter } from './model/errors.ts';

export function encodeToken(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (text === '' || encodeToken(text) !== token)
    throw invalidParameter('The specified nextToken is invalid.');
  return text;
}

/** One page of `items` (sorted by `keyOf`) after the token's key. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  nextToken: string | undefined,
  limit: number,
): { items: T[]; nextToken?: string } {
  const after = decodeToken(nextToken);
  const start = after === undefined ? 0 : items.findIndex((i) => keyOf(i) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const out = rest.slice(0, limit);
  return rest.length > limit
    ? { items: out, nextToken: encodeToken(keyOf(out[out.length - 1]!)) }
    : { items: out };
}
