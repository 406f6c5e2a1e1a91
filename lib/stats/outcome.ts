/** The discriminated-union result shape shared by every statistical routine. */
import { InsufficientDataError, type InsufficientReason } from './errors.ts';

/** The data cannot support this computation yet (too few days, no variance, zero control mean…). */
export interface InsufficientData {
  readonly kind: 'insufficient-data';
  readonly reason: InsufficientReason;
  readonly message: string;
}

/** Either a computed result (`kind: 'ok'`) or the reason it could not be computed. */
export type Outcome<T extends object> = ({ readonly kind: 'ok' } & T) | InsufficientData;

/** Two-sided interval [lower, upper]. */
export type Interval = readonly [number, number];

/** Builds the insufficient-data variant. */
export function insufficient(reason: InsufficientReason, message: string): InsufficientData {
  return { kind: 'insufficient-data', reason, message };
}

/** Returns the ok variant or throws InsufficientDataError (for callers that have already checked the data). */
export function requireOk<T extends object>(outcome: Outcome<T>): { readonly kind: 'ok' } & T {
  if (outcome.kind === 'insufficient-data') throw new InsufficientDataError(outcome.message, outcome.reason);
  return outcome;
}
