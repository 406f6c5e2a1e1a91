/** Errors of the local runtime (lib/local). */
import type { StateMachineId } from '../workflows/tasks.ts';

/** The local deployment cannot run as asked (missing credentials, a data dir of another simulation…). */
export class LocalRuntimeError extends Error {
  override readonly name = 'LocalRuntimeError';
}

/** A state machine definition still holds `${...}` placeholders after the substitutions were applied. */
export class UnresolvedSubstitutionError extends Error {
  override readonly name = 'UnresolvedSubstitutionError';
  constructor(
    readonly machine: StateMachineId,
    readonly placeholders: readonly string[],
  ) {
    super(`state machine ${machine}: no substitution for ${placeholders.join(', ')}`);
  }
}

/** The handlers or the STATE_MACHINES mapping do not fit the definitions, or an unknown machine was asked for. */
export class StateMachineWiringError extends Error {
  override readonly name = 'StateMachineWiringError';
}

/**
 * An error thrown by a local Task handler, reshaped the way Lambda reports a function error:
 * `name` is the handler error's name (Lambda's `errorType`, the ASL error name that Retry and
 * Catch match) and `message` is the JSON Step Functions puts in the caught error's `Cause`.
 */
export class LambdaFunctionError extends Error {
  override readonly name: string;
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: readonly string[],
  ) {
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
  }
}
