/** EventBridge's list paging: `Limit` 1..100, `NextToken`; a bad token or limit is a ValidationException. */
import { paginate, type Page } from '../../aws/pagination.ts';
import { epochSeconds } from '../../core/clock.ts';
import { validation } from '../model/errors.ts';

const LIMITS = { max: 100, default: 100 };

export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { NextToken?: string; Limit?: number },
): Page<T> {
  return paginate(items, keyOf, { nextToken: input.NextToken, maxResults: input.Limit }, LIMITS, validation);
}

/** Epoch ms as the wire's epoch seconds; 0 (unknown) is left out. */
export function seconds(ms: number | undefined): number | undefined {
  return ms ? epochSeconds(ms) : undefined;
}
