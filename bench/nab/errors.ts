/** Errors of the NAB corpus loader and scorer. */

/** A NAB data, label or results file is missing, malformed or inconsistent with the corpus. */
export class NabDataError extends Error {
  override readonly name = 'NabDataError';
  readonly file: string;

  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}
