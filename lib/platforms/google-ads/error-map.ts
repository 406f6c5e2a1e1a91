/**
 * Maps a failed Google Ads REST response to the typed platform errors (../errors.ts): a google.rpc.Status
 * body whose `details` carry a GoogleAdsFailure (../shared/PLATFORM_APIS.md §2 "Rate limits and errors").
 * Branches on the rpc status and the GoogleAdsError codes, falling back on the HTTP status for bodies
 * that are not Google's (a proxy's HTML page).
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';
import { type GoogleAdsError, GoogleAdsFailure, RetryInfo, RpcErrorBody, type RpcStatus } from './schemas.ts';

/** rpc statuses that mean "the same request may work later". ABORTED is a concurrent modification. */
const TRANSIENT_STATUSES = new Set(['INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED', 'UNKNOWN']);
/** rpc statuses a human must fix (token, permission, manager link). */
const AUTH_STATUSES = new Set(['UNAUTHENTICATED', 'PERMISSION_DENIED']);

/** A google.protobuf.Duration in JSON ("40591s", "1.5s") in ms; undefined when it is not one. */
export function durationToMs(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Math.round(Number(`0.${m[2] ?? '0'}`) * 1000);
}

/** The error of a body: `{"error": …}`, or a searchStream array holding one (`[{"error": …}]`). */
export function rpcStatusOf(body: unknown): RpcStatus | undefined {
  const candidates = Array.isArray(body) ? body : [body];
  for (const candidate of candidates) {
    const parsed = RpcErrorBody.safeParse(candidate);
    if (parsed.success) return parsed.data.error;
  }
  return undefined;
}

interface Failure {
  readonly errors: GoogleAdsError[];
  readonly requestId: string | undefined;
  /** Longest retry delay found in QuotaErrorDetails or google.rpc.RetryInfo, in ms. */
  readonly retryDelayMs: number | undefined;
}

function failureOf(status: RpcStatus): Failure {
  const errors: GoogleAdsError[] = [];
  let requestId: string | undefined;
  const delays: number[] = [];
  for (const detail of status.details ?? []) {
    const failure = GoogleAdsFailure.safeParse(detail);
    if (failure.success) {
      errors.push(...failure.data.errors);
      requestId ??= failure.data.requestId;
      continue;
    }
    const retry = RetryInfo.safeParse(detail);
    const ms = retry.success ? durationToMs(retry.data.retryDelay) : undefined;
    if (ms !== undefined) delays.push(ms);
  }
  for (const error of errors) {
    const text = error.details?.quotaErrorDetails?.retryDelay;
    const ms = text === undefined ? undefined : durationToMs(text);
    if (ms !== undefined) delays.push(ms);
  }
  return { errors, requestId, retryDelayMs: delays.length > 0 ? Math.max(...delays) : undefined };
}

/** "quotaError.RESOURCE_EXHAUSTED" for each error of the failure. */
function codesOf(errors: readonly GoogleAdsError[]): string[] {
  return errors.flatMap((e) => Object.entries(e.errorCode ?? {}).map(([kind, value]) => `${kind}.${value}`));
}

export interface FailedResponse {
  readonly status: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly body: unknown;
}

/**
 * The typed error for a failed response: a non-2xx, or an error element inside a 200 stream (pass its
 * `error.code` as the status). `defaultRetryAfterMs` applies to throttles that name no delay; `clean`
 * scrubs Google's text before it becomes a message.
 */
export function googleAdsErrorFor(
  response: FailedResponse,
  endpoint: string,
  defaultRetryAfterMs: number,
  clean: (text: string) => string = (text) => text,
): PlatformError {
  const status = rpcStatusOf(response.body);
  const http = response.status;
  if (!status) {
    const context = { platform: 'google-ads' as const, endpoint, status: http };
    if (http === 429) return new RateLimitedError(`Google Ads ${endpoint}: HTTP 429`, context, defaultRetryAfterMs);
    if (http >= 500) return new TransientPlatformError(`Google Ads ${endpoint}: HTTP ${http}`, context);
    if (http === 401 || http === 403) return new AuthError(`Google Ads ${endpoint}: HTTP ${http}`, context);
    return new PlatformRequestError(`Google Ads ${endpoint}: HTTP ${http} without an error body`, context);
  }
  const failure = failureOf(status);
  const codes = codesOf(failure.errors);
  const rpc = status.status ?? '';
  const firstMessage = failure.errors.find((e) => e.message)?.message;
  const detail = codes.length > 0 ? ` [${codes.join(', ')}]${firstMessage ? ` ${firstMessage}` : ''}` : '';
  const request = failure.requestId ? ` (request-id ${failure.requestId})` : '';
  const message = clean(`Google Ads ${endpoint}: ${rpc || `HTTP ${http}`}: ${status.message}${detail}${request}`);
  const context = { platform: 'google-ads' as const, endpoint, status: http, code: rpc || status.code };

  // An access level that does not allow the call: waiting will not help.
  if (codes.includes('quotaError.ACCESS_PROHIBITED')) return new AuthError(message, context);
  if (rpc === 'RESOURCE_EXHAUSTED' || http === 429 || codes.some((c) => c.startsWith('quotaError.'))) {
    return new RateLimitedError(message, context, failure.retryDelayMs ?? defaultRetryAfterMs);
  }
  if (AUTH_STATUSES.has(rpc) || http === 401 || http === 403) return new AuthError(message, context);
  if (
    TRANSIENT_STATUSES.has(rpc) ||
    http >= 500 ||
    codes.some((c) => c.startsWith('internalError.') || c === 'databaseError.CONCURRENT_MODIFICATION')
  ) {
    return new TransientPlatformError(message, context);
  }
  return new PlatformRequestError(message, context);
}
