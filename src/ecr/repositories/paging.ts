/** ECR's paging: `nextToken` / `maxResults` over key-ordered lists, its errors as InvalidParameterException. */
import { type Page, paginate } from '../../aws/pagination.ts';
import { ServiceError } from '../../core/errors.ts';
import { EcrErrorCode } from '../model/repositories.ts';

export function ecrPage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { nextToken?: string; maxResults?: number },
  limits: { max: number; default: number } = { max: 1000, default: 100 },
): Page<T> {
  return paginate(
    items,
    keyOf,
    input,
    limits,
    (message) => new ServiceError(EcrErrorCode.InvalidParameter, message),
  );
}
