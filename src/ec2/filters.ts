/**
 * EC2's `Filter.N.Name` / `Filter.N.Value.M`: a resource matches when every filter has a value
 * it matches (values of one filter are alternatives). Values may use `*` (any run) and `?` (one
 * character), with `\` escaping them. `tag:<key>`, `tag-key` and `tag-value` work on every
 * resource with tags; other names come from each Describe call's table.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { invalidValue } from './model/errors.ts';
import type { Ec2Tag } from './model/records.ts';

type Scalar = string | number | boolean | undefined;
/** A filter's values on one resource. */
export type FilterField<T> = (item: T) => Scalar | readonly Scalar[];
export type FilterTable<T> = Readonly<Record<string, FilterField<T>>>;

/** The items matching every filter; an unknown filter name is EC2's InvalidParameterValue. */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[] | undefined,
  table: FilterTable<T>,
  tagsOf?: (item: T) => readonly Ec2Tag[],
): T[] {
  if (!filters || filters.length === 0) return [...items];
  const tests = filters.map((f) => compile(f, table, tagsOf));
  return items.filter((item) => tests.every((test) => test(item)));
}

function compile<T>(
  filter: Filter,
  table: FilterTable<T>,
  tagsOf: ((item: T) => readonly Ec2Tag[]) | undefined,
): (item: T) => boolean {
  const name = filter.Name ?? '';
  const field = table[name] ?? tagField(name, tagsOf);
  if (!field) throw invalidValue(`The filter '${filter.Name ?? 'null'}' is invalid`);
  const patterns = (filter.Values ?? []).map(pattern);
  return (item) => {
    const raw = field(item);
    const values = (Array.isArray(raw) ? raw : [raw]) as Scalar[];
    return values.some((v) => v !== undefined && patterns.some((p) => p.test(String(v))));
  };
}

function tagField<T>(
  name: string,
  tagsOf: ((item: T) => readonly Ec2Tag[]) | undefined,
): FilterField<T> | undefined {
  if (!tagsOf) return undefined;
  if (name === 'tag-key') return (item) => tagsOf(item).map((t) => t.key);
  if (name === 'tag-value') return (item) => tagsOf(item).map((t) => t.value);
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (item) =>
      tagsOf(item)
        .filter((t) => t.key === key)
        .map((t) => t.value);
  }
  return undefined;
}

/** `web-*` -> /^web-.*$/; `\*` is a literal star. */
export function pattern(value: string): RegExp {
  let source = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) source += escapeRegExp(value[++i]);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
