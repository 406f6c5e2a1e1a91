/**
 * Errors of the Meta connector: its own configuration, and the Meta-specific outcomes a caller must tell apart.
 * Throttles, auth, transient and malformed answers are the shared typed errors of ../errors.ts.
 */
import { PlatformError } from '../errors.ts';

type ErrorContext = ConstructorParameters<typeof PlatformError>[1];

export class MetaConnectorConfigError extends Error {
  override readonly name = 'MetaConnectorConfigError';
}

/**
 * An async insights report failed ('Job Failed' or 'Job Skipped', or it never finished) on a single day, after the
 * range was halved down to it: nothing smaller can be asked. Not retryable as such; a later run may succeed.
 */
export class AsyncReportFailedError extends PlatformError {
  override readonly name = 'AsyncReportFailedError';
  constructor(
    message: string,
    context: ErrorContext,
    readonly reportRunId: string,
    readonly since: string,
    readonly until: string,
    readonly asyncStatus: string,
  ) {
    super(message, context);
  }
}

/**
 * Meta's "insights request timed out: use a smaller range or async" (100/1504018, 2/1504038): retrying the same
 * request will not help, so it is not retryable; the connector answers it with an async report run.
 */
export class InsightsTooLargeError extends PlatformError {
  override readonly name = 'InsightsTooLargeError';
}

/** A daily budget below Meta's minimum for the ad set's billing event (`/act_{id}/minimum_budgets`): refused before writing. */
export class BudgetBelowMinimumError extends PlatformError {
  override readonly name = 'BudgetBelowMinimumError';
  constructor(
    message: string,
    context: ErrorContext,
    /** The billable amount that would have been written (micros). */
    readonly requestedMicros: number,
    /** Meta's minimum (micros). */
    readonly minimumMicros: number,
  ) {
    super(message, context);
  }
}
