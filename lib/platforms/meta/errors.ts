/** Errors of the Meta connector's own configuration; errors from Meta itself are the typed errors of ../errors.ts. */
export class MetaConnectorConfigError extends Error {
  override readonly name = 'MetaConnectorConfigError';
}
