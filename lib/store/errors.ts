/** Errors of the store adapters. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}
