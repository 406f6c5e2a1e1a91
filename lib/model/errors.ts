/** Errors of the domain model. */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

export class DateError extends Error {
  override readonly name = 'DateError';
}
