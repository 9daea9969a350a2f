/** `nextToken`/`maxResults` paging over key-ordered lists, with opaque tokens, for every service. */
import type { ServiceError } from '../core/errors.ts';
import { invalidInput as invalidParameter } from './errors.ts';

export interface PageInput {
  nextToken?: string;
  maxResults?: number;
}

export interface PageLimits {
  max: number;
  default: number;
}

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
  input: PageInput,
  limits: PageLimits,
  /** The service's error for a bad maxResults or nextToken; ECS's InvalidParameterException by default. */
  invalid: (message: string) => ServiceError = invalidParameter,
): Page<T> {
  const size = pageSize(input, limits, invalid);
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

/**
 * `paginate` over the items `keep` accepts, for `items` in ascending key order (a store listing):
 * the page starts by bisection after the token's key and `keep` runs only until the page is full
 * and one more item is found, so a page costs its own size, not the listing's.
 */
export function paginateWhere<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  keep: (item: T) => boolean,
  input: PageInput,
  limits: PageLimits,
  invalid: (message: string) => ServiceError = invalidParameter,
): Page<T> {
  const size = pageSize(input, limits, invalid);
  const start =
    input.nextToken === undefined ? 0 : firstAfter(items, keyOf, decodeToken(input.nextToken, invalid));
  const page: T[] = [];
  for (let i = start; i < items.length; i++) {
    if (!keep(items[i])) continue;
    if (page.length === size) return { items: page, nextToken: encodeToken(keyOf(page[page.length - 1])) };
    page.push(items[i]);
  }
  return { items: page };
}

/** The index of the first item whose key is greater than `after` (items in ascending key order). */
function firstAfter<T>(items: readonly T[], keyOf: (item: T) => string, after: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]) > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function pageSize(input: PageInput, limits: PageLimits, invalid: (message: string) => ServiceError): number {
  const max = input.maxResults;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > limits.max)) {
    throw invalid(`maxResults must be between 1 and ${limits.max}, got ${max}.`);
  }
  return input.maxResults ?? limits.default;
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
