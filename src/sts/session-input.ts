/** Checks of STS's session inputs, with STS's ValidationError wording. */
import { ServiceError } from '../core/errors.ts';

export function stsValidation(member: string, value: string, constraint: string): ServiceError {
  return new ServiceError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** DurationSeconds within [min, max]; `fallback` when omitted. */
export function durationSeconds(
  value: number | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (value < min) {
    throw stsValidation(
      'durationSeconds',
      String(value),
      `Member must have value greater than or equal to ${min}`,
    );
  }
  if (value > max) {
    throw stsValidation(
      'durationSeconds',
      String(value),
      `Member must have value less than or equal to ${max}`,
    );
  }
  return value;
}

/** Credentials as STS answers them (Expiration in the AWS JSON form: epoch seconds). */
export function credentialsOut(c: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}) {
  return {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiresAt / 1000,
  };
}
