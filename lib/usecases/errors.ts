/** Errors of the use cases: a request that cannot be carried out as asked. */
export class UseCaseError extends Error {
  override readonly name = 'UseCaseError';
}
