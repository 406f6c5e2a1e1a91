/** Errors of the allocation module. */

/** The allocator was given input it cannot plan from (mixed currencies, inconsistent campaign budgets, bad numbers). */
export class AllocationInputError extends Error {
  override readonly name = 'AllocationInputError';
  /** The ad set or field the problem is about. */
  readonly subject: string;

  constructor(subject: string, message: string, options?: { cause?: unknown }) {
    super(`${subject}: ${message}`, options);
    this.subject = subject;
  }
}
