/** Errors of the CDK app: raised at synth time, before anything is deployed. */

/** The clients folder or a client config cannot be turned into a stack. */
export class ClientDefinitionError extends Error {
  override readonly name = 'ClientDefinitionError';
  constructor(
    message: string,
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A cdk-nag acknowledgement is malformed (wrong rule prefix, no specific reason) or misused. */
export class NagAcknowledgementError extends Error {
  override readonly name = 'NagAcknowledgementError';
  constructor(
    message: string,
    readonly ruleId: string,
  ) {
    super(message);
  }
}

/** Constructs were wired inconsistently (a state machine without the function of one of its Tasks). */
export class InfraWiringError extends Error {
  override readonly name = 'InfraWiringError';
}
