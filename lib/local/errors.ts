/** Errors of the local runtime (lib/local). */

/** The local deployment cannot run as asked (missing credentials, a data dir of another simulation…). */
export class LocalRuntimeError extends Error {
  override readonly name = 'LocalRuntimeError';
}
