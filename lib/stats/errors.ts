/** Errors of the statistics module. */

/** A caller passed malformed input (negative counts, non-finite sums, alpha outside (0, 1), mismatched lengths). */
export class InvalidStatsInputError extends Error {
  override readonly name = 'InvalidStatsInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Reasons why the data cannot support an estimate yet; they are expected states of a young test, not bugs. */
export type InsufficientReason =
  | 'too-few-units'
  | 'zero-variance'
  | 'zero-control-mean'
  | 'zero-denominator'
  | 'no-observations'
  | 'unreachable';

/** Thrown by `requireOk` when a caller insists on a result that the data cannot support. */
export class InsufficientDataError extends Error {
  override readonly name = 'InsufficientDataError';
  constructor(
    message: string,
    readonly reason: InsufficientReason,
  ) {
    super(message);
  }
}

/** A numerical routine did not converge (should not happen for valid input; carries the routine's name). */
export class ConvergenceError extends Error {
  override readonly name = 'ConvergenceError';
  constructor(
    message: string,
    readonly routine: string,
  ) {
    super(message);
  }
}
