/** ELBv2's Marker / PageSize paging over Describe results (PageSize 1..400; NextMarker when more remain). */
import { paginate } from '../aws/pagination.ts';
import { validation } from './model/errors.ts';

export const PAGE_SIZE = { min: 1, max: 400 } as const;

/** A sort key that orders by a number first: creation time, port or priority, then the ARN. */
export const orderKey = (n: number, arn: string) => `${String(n).padStart(16, '0')}|${arn}`;

/**
 * One page of `items` in `keyOf` order (ELBv2 answers load balancers and target groups in creation
 * order, listeners by port, rules by priority). The marker names the last key answered, so records
 * made or deleted between pages neither repeat nor shift the listing.
 */
export function elbPage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { Marker?: string; PageSize?: number },
): { items: T[]; NextMarker?: string } {
  const size = input.PageSize;
  if (size !== undefined && (!Number.isInteger(size) || size < PAGE_SIZE.min || size > PAGE_SIZE.max)) {
    const bound =
      size < PAGE_SIZE.min
        ? `greater than or equal to ${PAGE_SIZE.min}`
        : `less than or equal to ${PAGE_SIZE.max}`;
    throw validation(
      `1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const page = paginate(
    sorted,
    keyOf,
    { nextToken: input.Marker, maxResults: size },
    { max: PAGE_SIZE.max, default: PAGE_SIZE.max },
    () => validation('Invalid Marker: pass the NextMarker of the previous response unchanged'),
  );
  return { items: page.items, ...(page.nextToken ? { NextMarker: page.nextToken } : {}) };
}
