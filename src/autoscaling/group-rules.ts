/** Validation CreateAutoScalingGroup, UpdateAutoScalingGroup and SetDesiredCapacity share; AWS's texts. */
import type { Tag } from '@aws-sdk/client-auto-scaling';
import type { Wire } from '../core/wire.ts';
import { type GroupTag, validationError } from './model/records.ts';

/** 0 <= min <= desired <= max. */
export function checkRange(min: number, max: number, desired: number): void {
  if (min < 0 || max < 0 || desired < 0) throw validationError('Group sizes must be non-negative.');
  if (min > max) {
    throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  }
  if (desired < min || desired > max) {
    throw validationError(
      `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
    );
  }
}

/** At most 50 tags, keys 1-128 characters, no `aws:` prefix, no duplicates. */
export function checkTags(tags: readonly Wire<Tag>[]): GroupTag[] {
  if (tags.length > 50) throw validationError('The number of tags must not exceed 50.');
  const seen = new Set<string>();
  return tags.map((t) => {
    const key = t.Key ?? '';
    if (key.length < 1 || key.length > 128) throw validationError('Tag key must be 1-128 characters.');
    if (key.toLowerCase().startsWith('aws:')) {
      throw validationError('Tag keys starting with aws: are reserved for internal use');
    }
    if (seen.has(key)) throw validationError(`Duplicate tag key: ${key}`);
    seen.add(key);
    return { Key: key, Value: t.Value ?? '', PropagateAtLaunch: t.PropagateAtLaunch ?? false };
  });
}
