/** Errors of the Lambda runtime layer (lib/runtime). */

/** The event did not match the handler's input schema; names each bad field. */
export class InputValidationError extends Error {
  override readonly name = 'InputValidationError';
}

/** A failure that may pass on retry (throttle, 5xx, timeout); the ASL Retry rules match this name. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}
