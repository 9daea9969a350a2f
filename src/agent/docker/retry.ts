/** Bounded retries for retriable Docker errors, so a daemon hiccup never leaves a task stuck. */
import { DockerRetriableError } from './errors.ts';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Default: 6 attempts with delays 0.25, 0.5, 1, 2, 4 s, about 8 s in all when the daemon refuses
 * connections at once, long enough to ride out a daemon restart's first seconds.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  initialDelayMs: 250,
  maxDelayMs: 4000,
} as const;

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn`; on a DockerRetriableError waits and tries again up to the policy's bound, then rethrows. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  sleep: Sleep = realSleep,
): Promise<T> {
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof DockerRetriableError) || attempt >= policy.attempts) throw error;
      await sleep(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
