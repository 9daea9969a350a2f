/** ECS events carry timestamps as ISO 8601 strings where the API returns epoch seconds. */

/** `1579802254.402` -> `2020-01-23T17:57:34.402Z`. */
export function isoFromSeconds(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** A copy of `object` with the named epoch-second fields (when present and numeric) as ISO strings. */
export function withIsoTimes<T extends object>(
  object: T,
  fields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  for (const field of fields) {
    const value = out[field];
    if (typeof value === 'number') out[field] = isoFromSeconds(value);
  }
  return out;
}
