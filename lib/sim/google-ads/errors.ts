/** Errors of the fake Google Ads API: each one is rendered as Google's google.rpc.Status error body. */

/** One GoogleAdsError of a GoogleAdsFailure: `{"errorCode": {"queryError": "BAD_FIELD_NAME"}, "message": …}`. */
export interface GoogleAdsErrorSpec {
  /** e.g. `{ quotaError: 'RESOURCE_EXHAUSTED' }`. */
  readonly errorCode: Readonly<Record<string, string>>;
  readonly message: string;
  /** `details` of the GoogleAdsError (quotaErrorDetails, budgetPerDayMinimumErrorDetails, …). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Field path elements of `location`, e.g. [{ fieldName: 'operations', index: 0 }]. */
  readonly location?: readonly { readonly fieldName: string; readonly index?: number }[];
}

/** An error answer of the fake Google Ads API: HTTP status, rpc status, and the GoogleAdsErrors (none for front-end errors). */
export class GoogleAdsApiError extends Error {
  override readonly name = 'GoogleAdsApiError';
  constructor(
    readonly httpStatus: number,
    readonly rpcStatus: string,
    /** The rpc-level message ("Request contains an invalid argument."). */
    message: string,
    readonly errors: readonly GoogleAdsErrorSpec[] = [],
    /** Other `details[]` entries (google.rpc.BadRequest, RetryInfo) written as they are. */
    readonly extraDetails: readonly Readonly<Record<string, unknown>>[] = [],
  ) {
    super(message);
  }
}

/** A GAQL query the fake cannot parse or will not run; becomes an INVALID_ARGUMENT with a queryError. */
export class GaqlError extends Error {
  override readonly name = 'GaqlError';
  constructor(
    /** QueryError enum name, e.g. BAD_FIELD_NAME. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
