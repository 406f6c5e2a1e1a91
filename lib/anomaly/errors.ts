/** Errors of the anomaly detectors: only bad input, since detection itself never fails. */

/** The input of a detector is malformed (unsorted days, a bad date, a non-positive window). */
export class AnomalyInputError extends Error {
  override readonly name = 'AnomalyInputError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
