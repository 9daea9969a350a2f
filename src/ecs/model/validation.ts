/** Input checks shared by the ECS handlers, with ECS's error types and message style. */
import { invalidParameter } from './errors.ts';

/** ECS names (clusters, services, families, containers): letters, digits, hyphens, underscores. */
export const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/;

export function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${name} must be between ${min} and ${max}, got ${value}.`);
  }
}

export function checkEnum<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(`${name} must be one of ${allowed.join(', ')}; got '${value}'.`);
  }
  return value as T;
}

export function checkMaxItems(name: string, values: readonly unknown[] | undefined, max: number): void {
  if (values && values.length > max) {
    throw invalidParameter(`${name} can have at most ${max} items; got ${values.length}.`);
  }
}

export function requireNonEmpty(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw invalidParameter(`${name} can not be blank.`);
  return value;
}

/** Drops `undefined` members so stored records and responses carry only what is set. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
