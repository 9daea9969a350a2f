/** `nextToken`/`maxResults` paging over key-ordered lists, with opaque tokens, for every service. */
import type { ServiceError } from '../core/errors.ts';
import { invalidInput as invalidParameter } from './errors.ts';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Returns the page after `nextToken`. The token encodes the last key returned, so records
 * created or deleted between calls neither repeat nor shift the listing.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { nextToken?: string; maxResults?: number },
  limits: { max: number; default: number },
  /** The service's error for a bad maxResults or nextToken; ECS's InvalidParameterException by default. */
  invalid: (message: string) => ServiceError = invalidParameter,
): Page<T> {
  const max = input.maxResults;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > limits.max)) {
    throw invalid(`maxResults must be between 1 and ${limits.max}, got ${max}.`);
  }
  const size = input.maxResults ?? limits.default;
  let start = 0;
  if (input.nextToken !== undefined) {
    const after = decodeToken(input.nextToken, invalid);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: slice, nextToken: more ? encodeToken(keyOf(slice[slice.length - 1])) : undefined };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: key }), 'utf8').toString('base64url');
}

function decodeToken(token: string, invalid: (message: string) => ServiceError): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: number;
      after?: unknown;
    };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the ECS error below
  }
  throw invalid('Invalid nextToken: pass the nextToken value from the previous response unchanged.');
}
