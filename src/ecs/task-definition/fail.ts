/** Error helpers for task-definition rules: ECS's ClientException texts and Coral-style constraint errors. */
import type { ServiceError } from '../../core/errors.ts';
import { clientException, invalidParameter } from '../model/errors.ts';

/** Most task-definition content rules answer `ClientException` (e.g. "Unknown volume 'x'."). */
export const reject = (message: string): ServiceError => clientException(message);

/**
 * A value outside a modeled enum. ECS's front end checks model constraints the way every Coral
 * service does ("1 validation error detected: Value 'x' at 'path' failed to satisfy constraint:
 * ..."); the gateway's `validateInput` already reports missing members that way as
 * InvalidParameterException, and this keeps enum and length failures consistent with it.
 */
export function checkEnumValue<T extends string>(
  path: string,
  value: string | undefined,
  allowed: readonly T[],
): void {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return;
  throw constraint(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

export function constraint(path: string, value: unknown, rule: string): ServiceError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidParameter(
    `1 validation error detected: Value '${shown}' at '${path}' failed to satisfy constraint: ${rule}`,
  );
}

/**
 * An integer setting outside its documented range, in ECS's "Invalid 'x' setting for ..." style
 * (as in "Invalid 'cpu' setting for task." and "Invalid 'containerPort' setting for container 'web'.").
 */
export function checkRange(
  value: number | undefined,
  min: number,
  max: number,
  setting: string,
  owner: string,
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw reject(`Invalid '${setting}' setting for ${owner}. The value must be between ${min} and ${max}.`);
  }
}

/** `for container 'web'` — the owner phrase ECS puts in container-level messages. */
export const containerOwner = (name: string): string => `container '${name}'`;
