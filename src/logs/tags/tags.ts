/** CloudWatch Logs' tag rules: at most 50 tags, keys 1-128 and values 0-256 characters, no `aws:` keys. */
import { ServiceError } from '../../core/errors.ts';
import { LogsErrorCode, validationFailed } from '../model/errors.ts';

export const MAX_TAGS = 50;
const TAG_KEY = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u;
const TAG_VALUE = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

export function checkTags(tags: Record<string, string>, member = 'tags'): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128 || !TAG_KEY.test(key)) {
      throw validationFailed(
        `${member}`,
        key,
        'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$',
      );
    }
    if (key.startsWith('aws:')) {
      throw new ServiceError(
        LogsErrorCode.InvalidParameter,
        'Tag keys cannot start with the reserved prefix aws:',
      );
    }
    if (value.length > 256 || !TAG_VALUE.test(value)) {
      throw validationFailed(
        `${member}`,
        value,
        'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
      );
    }
  }
  return tags;
}

/** The tags after a TagResource: too many is TooManyTagsException naming the resource. */
export function mergeTags(
  existing: Record<string, string>,
  added: Record<string, string>,
  resourceName: string,
): Record<string, string> {
  const merged = { ...existing, ...checkTags(added) };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new ServiceError(LogsErrorCode.TooManyTags, `A resource can have no more than ${MAX_TAGS} tags.`, {
      resourceName,
    });
  }
  return merged;
}
