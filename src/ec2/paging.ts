/** EC2's MaxResults / NextToken paging over Describe results, with EC2's errors for bad values. */
import { paginate } from '../aws/pagination.ts';
import { ServiceError } from '../core/errors.ts';
import { Ec2ErrorCode, invalidValue } from './model/errors.ts';

/** Most EC2 Describe calls take 5..1000 (DescribeTags too); without MaxResults everything comes in one page. */
export const PAGE_LIMITS = { min: 5, max: 1000 } as const;

/**
 * One page of `items` (ordered by `keyOf`). `ids` names the id-list parameter that EC2 refuses to
 * combine with MaxResults (`vpcIds`), when the request gave ids.
 */
export function ec2Page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { MaxResults?: number; NextToken?: string },
  ids?: string,
): { items: T[]; NextToken?: string } {
  const max = input.MaxResults;
  if (max !== undefined) {
    if (ids) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidParameterCombination,
        `The parameter ${ids} cannot be used with the parameter maxResults`,
      );
    }
    if (max < PAGE_LIMITS.min) {
      throw invalidValue(
        `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value greater than ${PAGE_LIMITS.min}.`,
      );
    }
    if (max > PAGE_LIMITS.max) {
      throw invalidValue(
        `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value less than or equal to ${PAGE_LIMITS.max}.`,
      );
    }
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const page = paginate(
    sorted,
    keyOf,
    { nextToken: input.NextToken, maxResults: max },
    { max: PAGE_LIMITS.max, default: Number.MAX_SAFE_INTEGER },
    (_message) =>
      new ServiceError(Ec2ErrorCode.InvalidNextToken, `The token '${input.NextToken}' is invalid`),
  );
  return { items: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}
