/** Shape helpers: copy a request without JSON nulls, and order members the way ECS responses do. */

/**
 * A deep copy of decoded request JSON with `null` members and list items dropped. Clients send
 * `"entryPoint": null` (the console's JSON does); ECS treats null as absent, so rules and defaults
 * only ever see `undefined`, and the record never shares objects with the caller's input.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map((v) => withoutNulls(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
  return out as T;
}

/** `value` with its members in `order` (the model's member order, which ECS responses follow). */
export function ordered<T extends object>(value: T, order: readonly (keyof T)[]): T {
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key of order)
    if (source[key as string] !== undefined) out[key as string] = source[key as string];
  for (const [k, v] of Object.entries(source)) if (v !== undefined && !(k in out)) out[k] = v;
  return out as T;
}
