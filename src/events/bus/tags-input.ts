/** EventBridge tags on the wire (`[{Key, Value}]`) and as records keep them. */
import type { Tag } from '@aws-sdk/client-eventbridge';
import { constraintFailed } from '../model/errors.ts';

/** At most 50 tags, keys 1-128 characters, values up to 256 (the model's limits). */
export function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    const key = t.Key ?? '';
    if (key.length < 1 || key.length > 128)
      throw constraintFailed('tags.member.key', key, 'Member must have length between 1 and 128');
    if ((t.Value ?? '').length > 256)
      throw constraintFailed(
        'tags.member.value',
        t.Value,
        'Member must have length less than or equal to 256',
      );
    out[key] = t.Value ?? '';
  }
  if (Object.keys(out).length > 50)
    throw constraintFailed('tags', '[...]', 'Member must have length less than or equal to 50');
  return out;
}

export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
