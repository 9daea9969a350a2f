/** Value semantics for comparisons: wildcards, versions, dates and numbers. Pure, no Date.now. */

/**
 * `t2.*` with == or in: `*` matches any run of characters (also none), everything else is literal.
 * Returns undefined for a pattern without `*`, so plain equality stays a string compare.
 */
export function wildcard(pattern: string): RegExp | undefined {
  if (!pattern.includes('*')) return undefined;
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** `1.14.5` -> [1, 14, 5]; a leading `v` and a `-suffix` are ignored. Undefined when not a version. */
export function parseVersion(text: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(?:[-+].*)?$/.exec(text.trim());
  return m ? m[1].split('.').map(Number) : undefined;
}

/** Segment-wise numeric compare; missing segments are 0, so `1.14` == `1.14.0`. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** A registeredAt argument and the precision it was written at. */
export interface DateArgument {
  readonly ms: number;
  readonly precision: 'day' | 'second';
}

const DAY_MS = 86_400_000;

/**
 * ECS's date forms: `2018-06-18T22:28:28+00:00`, `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28`
 * (read as UTC) and `2018-06-18` (a whole UTC day). Undefined when the text is none of them.
 */
export function parseDate(text: string): DateArgument | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const zone = m[7];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return { ms, precision: m[4] === undefined ? 'day' : 'second' };
}

/**
 * Compares an instance's registeredAt (epoch ms) with an argument at the argument's precision:
 * against `2018-02-13` the whole day is equal, so `registeredAt <= 2018-02-13` includes that day.
 */
export function compareDate(valueMs: number, arg: DateArgument): number {
  const unit = arg.precision === 'day' ? DAY_MS : 1000;
  const a = Math.floor(valueMs / unit);
  const b = Math.floor(arg.ms / unit);
  return a === b ? 0 : a < b ? -1 : 1;
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * Ordering for attribute values: numbers compare as numbers (`10 > 9`), versions as versions
 * (`1.10.0 > 1.9.2`), anything else by code units.
 */
export function compareAttribute(value: string, arg: string): number {
  if (NUMBER.test(value) && NUMBER.test(arg)) return Math.sign(Number(value) - Number(arg));
  const a = parseVersion(value);
  const b = parseVersion(arg);
  if (a && b && /\./.test(value) && /\./.test(arg)) return compareVersions(a, b);
  return value === arg ? 0 : value < arg ? -1 : 1;
}
