/** Errors of the command line: wrong or missing options. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
