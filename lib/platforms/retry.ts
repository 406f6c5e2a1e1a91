/** Bounded retries with exponential backoff and jitter for retryable platform errors. */
import { PlatformError, RateLimitedError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Backoff before the second attempt; doubles each time, jittered between half and all of it. */
  readonly baseDelayMs: number;
  /** A wait longer than this (e.g. Meta's hour-long budget-change block) is not waited for: the error is thrown. */
  readonly maxWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) for the jitter. */
  readonly random: () => number;
}

/** Runs `operation`, retrying retryable PlatformErrors; a RateLimitedError waits at least its `retryAfterMs`. */
export async function withRetries<T>(operation: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof PlatformError) || !error.retryable || attempt >= policy.maxAttempts) throw error;
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
      const jittered = backoff / 2 + (policy.random() * backoff) / 2;
      const delay = Math.round(error instanceof RateLimitedError ? Math.max(error.retryAfterMs, jittered) : jittered);
      if (delay > policy.maxWaitMs) throw error;
      await policy.sleep(delay);
    }
  }
}
