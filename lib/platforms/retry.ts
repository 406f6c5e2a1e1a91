/** Bounded retries with exponential backoff and jitter for retryable platform errors. */
import { setTimeout as delay } from 'node:timers/promises';
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

/** The retry knobs every connector accepts (each connector documents its own default attempts). */
export interface RetryOptions {
  /** Injected so tests never really sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts per request, the first included. */
  readonly maxAttempts?: number;
  /** First backoff (default 1 s), doubled per attempt, with jitter. */
  readonly baseDelayMs?: number;
  /** Longest wait before a retry (default 2 min); a longer one is thrown to the caller as it is. */
  readonly maxRetryWaitMs?: number;
  /** Uniform [0, 1) source of the jitter (default Math.random). */
  readonly random?: () => number;
}

/** The policy of a connector from its options and its platform's default number of attempts. */
export function retryPolicy(options: RetryOptions, defaultAttempts: number): RetryPolicy {
  return {
    maxAttempts: options.maxAttempts ?? defaultAttempts,
    baseDelayMs: options.baseDelayMs ?? 1_000,
    maxWaitMs: options.maxRetryWaitMs ?? 120_000,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    random: options.random ?? Math.random,
  };
}
