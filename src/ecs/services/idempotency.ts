/**
 * CreateService idempotency: a retry with the same clientToken and the same request returns the
 * service it created; anything else that meets an ACTIVE service of that name is refused with
 * "Creation of service was not idempotent."
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from '../model/errors.ts';
import type { ServiceRecord } from '../model/records.ts';

/** A fingerprint of the request: key order and the token itself do not matter. */
export function requestFingerprint(input: object): string {
  const { clientToken: _token, ...rest } = input as { clientToken?: string };
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

/** True when `existing` was created by this very request (same token, same fingerprint). */
export function isRetry(
  existing: ServiceRecord,
  clientToken: string | undefined,
  fingerprint: string,
): boolean {
  return (
    clientToken !== undefined && existing.clientToken === clientToken && existing.requestHash === fingerprint
  );
}

export function notIdempotent(): Error {
  return invalidParameter('Creation of service was not idempotent.');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
