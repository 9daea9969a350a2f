/** Tags on ELBv2 resources: checking the ones a call gives, merging them, and the `{Key, Value}` answer form. */
import type { Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceError } from '../core/errors.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { DEFAULT_LIMITS } from './model/limits.ts';
import type { Elbv2Tag } from './model/records.ts';

const MAX_KEY = 128;
const MAX_VALUE = 256;
/** Letters, digits, spaces and + - = . _ : / @ in any script, as ELBv2's tag pattern allows. */
const TAG_TEXT = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

/** Tags as given, checked: a key within ELBv2's lengths and characters, not `aws:`, none twice. */
export function checkedTags(tags: readonly Tag[] | undefined): Elbv2Tag[] {
  const out: Elbv2Tag[] = [];
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    const key = t.Key ?? '';
    if (key.length === 0 || key.length > MAX_KEY || !TAG_TEXT.test(key)) {
      throw validation(
        `Tag key '${key}' is not valid: it must be 1 to ${MAX_KEY} letters, digits, spaces or _.:/=+-@`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) throw validation(`Tag key '${key}' cannot start with 'aws:'`);
    const value = t.Value ?? '';
    if (value.length > MAX_VALUE || !TAG_TEXT.test(value)) {
      throw validation(
        `Tag value '${value}' is not valid: it must be at most ${MAX_VALUE} letters, digits, spaces or _.:/=+-@`,
      );
    }
    if (seen.has(key))
      throw new ServiceError(Elbv2ErrorCode.DuplicateTagKeys, `Tag key '${key}' is duplicated`);
    seen.add(key);
    out.push({ key, value });
  }
  if (out.length > DEFAULT_LIMITS['tags-per-resource']) throw tooManyTags();
  return out;
}

const tooManyTags = () =>
  new ServiceError(
    Elbv2ErrorCode.TooManyTags,
    `A resource can have at most ${DEFAULT_LIMITS['tags-per-resource']} tags`,
  );

/** `tags` with `added` put in (a key already there takes the new value), within the limit. */
export function mergeTags(tags: readonly Elbv2Tag[], added: readonly Elbv2Tag[]): Elbv2Tag[] {
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  for (const t of added) byKey.set(t.key, t.value);
  if (byKey.size > DEFAULT_LIMITS['tags-per-resource']) throw tooManyTags();
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export function tagsOut(tags: readonly Elbv2Tag[]): { Key: string; Value: string }[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}
