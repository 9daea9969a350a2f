/**
 * A target's RetryPolicy as EventBridge applies it: a failed invocation is tried again with
 * exponential backoff until MaximumRetryAttempts retries were made (default 185) or the event is
 * older than MaximumEventAgeInSeconds (default 86,400: 24 hours). Pure.
 *
 * Backoff: 1 s, 2 s, 4 s ... doubling to at most 5 minutes (185 retries then span well over a
 * day, so the age limit ends a failing default delivery, as in EventBridge).
 */
import type { TargetRecord } from './records.ts';

export const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;
export const DEFAULT_MAX_RETRY_ATTEMPTS = 185;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 300_000;

export interface RetryLimits {
  maxAgeMs: number;
  maxRetries: number;
}

export function retryLimits(target: TargetRecord): RetryLimits {
  const policy = target.RetryPolicy;
  return {
    maxAgeMs: (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000,
    maxRetries: policy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS,
  };
}

/** The wait before retry number `attempt` (1-based): base * 2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs = BACKOFF_BASE_MS): number {
  return Math.min(BACKOFF_MAX_MS, baseMs * 2 ** Math.min(30, attempt - 1));
}

/**
 * When the next attempt is, after `attempts` failures of an event accepted at `acceptedAt`, or
 * undefined when the policy gives up: retries exhausted, or the event would be too old by then.
 */
export function nextAttemptAt(
  limits: RetryLimits,
  attempts: number,
  acceptedAt: number,
  now: number,
  baseMs = BACKOFF_BASE_MS,
): number | undefined {
  if (attempts > limits.maxRetries) return undefined;
  const at = now + backoffMs(attempts, baseMs);
  return at - acceptedAt > limits.maxAgeMs ? undefined : at;
}
