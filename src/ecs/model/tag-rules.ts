/** ECS tag rules: at most 50 per resource, key 1-128 and value 0-256 characters, `aws:` reserved. */
import type { Tag } from '@aws-sdk/client-ecs';
import { invalidParameter } from './errors.ts';

export const MAX_TAGS = 50;
const KEY_MAX = 128;
const VALUE_MAX = 256;
/** Letters, digits, spaces and `+ - = . _ : / @` in any script, as AWS tagging allows. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Throws InvalidParameterException for the first rule `tags` breaks. */
export function validateTags(tags: readonly Tag[] | undefined): void {
  if (!tags) return;
  if (tags.length > MAX_TAGS) throw invalidParameter(`Tags can have a maximum of ${MAX_TAGS} items.`);
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.key ?? '';
    const value = tag.value ?? '';
    if (key.length < 1 || key.length > KEY_MAX) {
      throw invalidParameter(`Tag key must be between 1 and ${KEY_MAX} characters long: '${key}'.`);
    }
    if (value.length > VALUE_MAX)
      throw invalidParameter(`Tag value must be at most ${VALUE_MAX} characters long.`);
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw invalidParameter(
        `Tag '${key}' has characters outside letters, digits, spaces and + - = . _ : / @.`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter(`Tag keys starting with 'aws:' are reserved for AWS use: '${key}'.`);
    }
    if (seen.has(key)) throw invalidParameter(`Tag keys must be unique: '${key}' appears more than once.`);
    seen.add(key);
  }
}

/** `current` with `updates` applied: same keys replaced, new keys appended. */
export function mergeTags(current: readonly Tag[], updates: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((t) => [t.key, t]));
  for (const t of updates) byKey.set(t.key, { key: t.key, value: t.value ?? '' });
  return [...byKey.values()];
}
