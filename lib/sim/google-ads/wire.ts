/**
 * Wire details of the fake Google Ads REST API (../shared/PLATFORM_APIS.md §2): proto3 JSON as Google writes
 * it (doubles with a decimal point, int64 as strings), google.rpc.Status error bodies carrying a
 * GoogleAdsFailure, request ids, and the errors the API answers most often.
 */

import { hashSeed } from '../random.ts';
import { GoogleAdsApiError, type GoogleAdsErrorSpec } from './errors.ts';

/** A proto double: written as `2.0`, not `2`, as the documented payloads show. */
export class ProtoDouble {
  constructor(readonly value: number) {}
}

/** JSON text of a value, writing ProtoDouble as a JSON number that always has a fraction or exponent. */
export function googleJson(value: unknown): string {
  if (value instanceof ProtoDouble) {
    const n = value.value;
    if (!Number.isFinite(n)) throw new RangeError(`a proto double in JSON must be finite, got ${n}`);
    const text = String(n);
    return /[.e]/.test(text) ? text : `${text}.0`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => googleJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${googleJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`cannot write ${typeof value} as JSON`);
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** snake_case → lowerCamelCase, as the JSON mapping turns field names ("cost_micros" → "costMicros"). */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A request id shaped like Google's (22 base64url characters), deterministic per request number. */
export function requestIdFor(requestIndex: number): string {
  const bytes = Buffer.alloc(16);
  for (let k = 0; k < 4; k++) bytes.writeUInt32BE(hashSeed('google-ads-request', requestIndex, k), k * 4);
  return bytes.toString('base64url').slice(0, 22);
}

/** google.rpc.Status body `{"error": {code, message, status, details: [GoogleAdsFailure]}}`. */
export function errorBody(error: GoogleAdsApiError, apiVersion: string, requestId: string): { error: Record<string, unknown> } {
  const details: unknown[] = [];
  if (error.errors.length > 0) {
    details.push({
      '@type': `type.googleapis.com/google.ads.googleads.${apiVersion}.errors.GoogleAdsFailure`,
      errors: error.errors.map((e) => ({
        errorCode: e.errorCode,
        message: e.message,
        ...(e.location ? { location: { fieldPathElements: e.location } } : {}),
        ...(e.details ? { details: e.details } : {}),
      })),
      requestId,
    });
  }
  details.push(...error.extraDetails);
  return {
    error: {
      code: error.httpStatus,
      message: error.message,
      status: error.rpcStatus,
      ...(details.length > 0 ? { details } : {}),
    },
  };
}

/** 400 INVALID_ARGUMENT with GoogleAdsErrors. */
export function invalidArgument(...errors: GoogleAdsErrorSpec[]): GoogleAdsApiError {
  return new GoogleAdsApiError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', errors);
}

/** 400 from the JSON front end: the body is not what the proto expects (google.rpc.BadRequest, no GoogleAdsFailure). */
export function badJsonPayload(description: string, field?: string): GoogleAdsApiError {
  return new GoogleAdsApiError(
    400,
    'INVALID_ARGUMENT',
    `Invalid JSON payload received. ${description}`,
    [],
    [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ ...(field === undefined ? {} : { field }), description }],
      },
    ],
  );
}

/** 401 UNAUTHENTICATED: missing, invalid or expired OAuth token. */
export function unauthenticated(
  reason: 'OAUTH_TOKEN_INVALID' | 'OAUTH_TOKEN_EXPIRED' | 'OAUTH_TOKEN_HEADER_INVALID',
  message: string,
): GoogleAdsApiError {
  return new GoogleAdsApiError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    [{ errorCode: { authenticationError: reason }, message }],
  );
}

/** 403 PERMISSION_DENIED: the user (or the manager in login-customer-id) cannot reach the customer. */
export function permissionDenied(
  message: string,
  code: Readonly<Record<string, string>> = { authorizationError: 'USER_PERMISSION_DENIED' },
): GoogleAdsApiError {
  return new GoogleAdsApiError(403, 'PERMISSION_DENIED', 'The caller does not have permission', [{ errorCode: code, message }]);
}

/** 429 RESOURCE_EXHAUSTED with QuotaErrorDetails.retryDelay, as in the documented real body. */
export function resourceExhausted(retrySeconds: number): GoogleAdsApiError {
  const seconds = Math.max(0, Math.round(retrySeconds * 1000) / 1000);
  const daily = seconds >= 3600;
  return new GoogleAdsApiError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
    {
      errorCode: { quotaError: 'RESOURCE_EXHAUSTED' },
      message: `Too many requests. Retry in ${seconds} seconds.`,
      details: {
        quotaErrorDetails: {
          rateScope: daily ? 'DEVELOPER' : 'ACCOUNT',
          rateName: daily ? 'Number of operations for basic access' : 'Requests per account per minute',
          retryDelay: `${seconds}s`,
        },
      },
    },
  ]);
}

/** 500 INTERNAL. */
export function internalError(): GoogleAdsApiError {
  return new GoogleAdsApiError(500, 'INTERNAL', 'Internal error encountered.', [
    { errorCode: { internalError: 'INTERNAL_ERROR' }, message: 'An internal error has occurred.' },
  ]);
}

/** 503 UNAVAILABLE. */
export function unavailable(): GoogleAdsApiError {
  return new GoogleAdsApiError(503, 'UNAVAILABLE', 'The service is currently unavailable.', [
    { errorCode: { internalError: 'TRANSIENT_ERROR' }, message: 'The service encountered a transient error.' },
  ]);
}

/** The HTML page Google's front end serves for a 404 or a 502/504 (no JSON at all). */
export function frontEndPage(status: number, path: string): string {
  const title = status === 404 ? 'Not Found' : 'Server Error';
  const text =
    status === 404
      ? `The requested URL <code>${path.replace(/[<>&"]/g, '')}</code> was not found on this server.`
      : 'The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.';
  return `<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error ${status} (${title})!!1</title>\n  <p><b>${status}.</b> <ins>That’s an error.</ins>\n  <p>${text}  <ins>That’s all we know.</ins>\n`;
}
