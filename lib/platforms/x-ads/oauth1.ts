/**
 * OAuth 1.0a HMAC-SHA1 request signing, as X documents it ("Creating a signature", ../shared/PLATFORM_APIS.md
 * §7.1.2, RFC 5849 §3.4): every query and form-body parameter plus the six `oauth_*` parameters, each key and
 * value percent-encoded by RFC 3986 (so `:` in times and `,` in id lists become `%3A` and `%2C`), sorted,
 * joined, and signed with `pct(consumer secret)&pct(token secret)`. Pure: the nonce and timestamp are inputs.
 *
 * @example
 *   const header = authorizationHeader({ method: 'GET', url: new URL('https://ads-api.x.com/12/accounts/18ce54d4x5t') },
 *     credentials, { nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958 });
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The four secrets of OAuth 1.0a user context. */
export interface OAuth1Credentials {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

/** What varies per request: a unique nonce and the epoch-seconds timestamp. */
export interface OAuth1Stamp {
  readonly nonce: string;
  readonly timestamp: number;
}

/** A request as the signature sees it: method, full URL (its query is signed) and form-body parameters. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Parameters of an `application/x-www-form-urlencoded` body, raw (not encoded). */
  readonly bodyParams?: readonly (readonly [string, string])[];
}

export type Param = readonly [string, string];

/** RFC 3986 percent-encoding: all but ALPHA, DIGIT, `-`, `.`, `_`, `~`, in upper-case hex over UTF-8. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The normalized parameter string: encoded pairs sorted by encoded key, then encoded value, joined with `&`. */
export function parameterString(params: readonly Param[]): string {
  const encoded = params.map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
  encoded.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The base string URI (RFC 5849 §3.4.1.2): lower-case scheme and host, no default port, no query or fragment. */
export function baseStringUri(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** `METHOD&pct(base URI)&pct(parameter string)`: exactly two raw `&`. */
export function signatureBaseString(method: string, baseUri: string, params: readonly Param[]): string {
  return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(parameterString(params))}`;
}

/** `pct(consumer secret)&pct(token secret)`. */
export function signingKey(consumerSecret: string, tokenSecret: string): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

/** base64(HMAC-SHA1(key, base string)). */
export function hmacSha1Signature(baseString: string, key: string): string {
  return createHmac('sha1', key).update(baseString, 'utf8').digest('base64');
}

/** The six `oauth_*` protocol parameters of a request (all but `oauth_signature`), in header order. */
export function oauthParams(credentials: Pick<OAuth1Credentials, 'consumerKey' | 'accessToken'>, stamp: OAuth1Stamp): Param[] {
  return [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_nonce', stamp.nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(stamp.timestamp)],
    ['oauth_token', credentials.accessToken],
    ['oauth_version', '1.0'],
  ];
}

/** Every parameter a request's signature covers except the `oauth_*` ones: its query and its form body. */
export function requestParams(request: SignableRequest): Param[] {
  return [...request.url.searchParams.entries(), ...(request.bodyParams ?? [])];
}

/** The `oauth_signature` of a request. */
export function signRequest(request: SignableRequest, credentials: OAuth1Credentials, stamp: OAuth1Stamp): string {
  const params = [...requestParams(request), ...oauthParams(credentials, stamp)];
  const base = signatureBaseString(request.method, baseStringUri(request.url), params);
  return hmacSha1Signature(base, signingKey(credentials.consumerSecret, credentials.accessTokenSecret));
}

/** The `Authorization: OAuth …` header value of a request: the protocol parameters and the signature, each percent-encoded. */
export function authorizationHeader(request: SignableRequest, credentials: OAuth1Credentials, stamp: OAuth1Stamp): string {
  const signature = signRequest(request, credentials, stamp);
  const fields: Param[] = [...oauthParams(credentials, stamp), ['oauth_signature', signature]];
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `OAuth ${fields.map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ')}`;
}

/** The parameters of an `Authorization: OAuth …` header, decoded; undefined when it is not one or repeats a key. */
export function parseAuthorizationHeader(header: string): Map<string, string> | undefined {
  const m = /^OAuth\s+(.*)$/s.exec(header.trim());
  if (!m?.[1]) return undefined;
  const out = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const field = /^\s*([A-Za-z0-9_%.~-]+)="([^"]*)"\s*$/.exec(part);
    if (!field?.[1] || field[2] === undefined) return undefined;
    try {
      const key = decodeURIComponent(field[1]);
      if (out.has(key)) return undefined;
      out.set(key, decodeURIComponent(field[2]));
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Why a signed request was refused, or undefined when its signature is right for these secrets. */
export type SignatureCheck =
  | { readonly ok: true; readonly consumerKey: string; readonly token: string; readonly timestamp: number; readonly nonce: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a request's `Authorization` header against the secrets of the consumer key and token it names
 * (`secrets` returns undefined for an unknown key or token). Server side of `authorizationHeader`.
 */
export function verifyRequest(
  request: SignableRequest,
  header: string | undefined,
  secrets: (consumerKey: string, token: string) => { consumerSecret: string; tokenSecret: string } | undefined,
): SignatureCheck {
  if (header === undefined) return { ok: false, reason: 'no Authorization header' };
  const fields = parseAuthorizationHeader(header);
  if (!fields) return { ok: false, reason: 'the Authorization header is not an OAuth header' };
  const get = (name: string) => fields.get(name);
  const consumerKey = get('oauth_consumer_key');
  const token = get('oauth_token');
  const nonce = get('oauth_nonce');
  const timestampText = get('oauth_timestamp');
  const signature = get('oauth_signature');
  if (consumerKey === undefined || token === undefined || nonce === undefined || timestampText === undefined || signature === undefined)
    return { ok: false, reason: 'an oauth_* parameter is missing' };
  if (get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, reason: 'oauth_signature_method is not HMAC-SHA1' };
  if (get('oauth_version') !== undefined && get('oauth_version') !== '1.0') return { ok: false, reason: 'oauth_version is not 1.0' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'oauth_timestamp is not epoch seconds' };
  const found = secrets(consumerKey, token);
  if (!found) return { ok: false, reason: 'unknown consumer key or token' };
  const params: Param[] = [...requestParams(request), ...[...fields].filter(([k]) => k !== 'oauth_signature' && k !== 'realm')];
  const expected = hmacSha1Signature(
    signatureBaseString(request.method, baseStringUri(request.url), params),
    signingKey(found.consumerSecret, found.tokenSecret),
  );
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'the signature does not match' };
  return { ok: true, consumerKey, token, timestamp: Number(timestampText), nonce };
}
