/**
 * Drops `null` object members and array items from a decoded JSON value, for input that has no
 * schema to say which nulls are meaningful. Iterative: JSON.parse accepts nesting far deeper than
 * a recursive walk's stack (a 1 MB body can nest 500,000 levels).
 */

/** A copy of `value` without nulls (a null top-level value stays null). */
export function withoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const root = shell(value);
  const work: [source: object, target: object][] = [[value, root]];
  for (let next = work.pop(); next; next = work.pop()) {
    const [source, target] = next;
    if (Array.isArray(source)) {
      for (const item of source) {
        if (item !== null) (target as unknown[]).push(copyInto(item, work));
      }
    } else {
      for (const [k, v] of Object.entries(source)) {
        // defineProperty keeps a `__proto__` key a plain key.
        if (v !== null) Object.defineProperty(target, k, { value: copyInto(v, work), ...PLAIN });
      }
    }
  }
  return root;
}

const PLAIN = { enumerable: true, writable: true, configurable: true } as const;

function copyInto(value: unknown, work: [object, object][]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const target = shell(value);
  work.push([value, target]);
  return target;
}

function shell(value: object): object {
  return Array.isArray(value) ? [] : {};
}
