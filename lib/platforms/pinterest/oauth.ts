/**
 * The Pinterest access token and its refresh: `POST /v5/oauth/token` with `grant_type=refresh_token` and HTTP
 * Basic client auth (../shared/PLATFORM_APIS.md §7.2.1). One refresh at a time; the new credentials are saved to
 * the TokenStore before the refreshed request is sent, and a failure to save is thrown to the caller (the next run
 * would otherwise start from a refresh token Pinterest has already replaced).
 */
import type { Clock } from '../../runtime/clock.ts';
import { AuthError } from '../errors.ts';
import { fetchAnswer, type HttpCaller, notJsonError, parseWith } from '../http.ts';
import { redactSecret } from '../redact.ts';
import type { PinterestCredentials, TokenStore } from './credentials.ts';
import { pinterestErrorFor } from './error-map.ts';
import { PinterestConnectorConfigError } from './errors.ts';
import { ErrorBody, TokenResponse } from './schemas.ts';

/** Refresh proactively when the access token expires within this (a day). */
export const REFRESH_MARGIN_MS = 86_400_000;

/** Every secret seen so far (old and new tokens, the client secret, the Basic header), redacted from any text. */
export class SecretSet {
  private readonly secrets = new Set<string>();
  /** Remembers a secret to redact. */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret !== '') this.secrets.add(secret);
  }
  /** `text` without any known secret. */
  clean(text: string): string {
    let out = redactSecret(text, '');
    for (const secret of this.secrets) out = redactSecret(out, secret);
    return out;
  }
}

export interface PinterestTokensOptions {
  readonly credentials: PinterestCredentials;
  readonly tokenStore?: TokenStore;
  readonly clock: Clock;
  /** `.../v5/oauth/token`. */
  readonly tokenUrl: URL;
  readonly caller: HttpCaller;
  readonly secrets: SecretSet;
  readonly defaultRetryAfterMs: number;
}

/** The current access token, refreshed when asked and when close to expiry. */
export class PinterestTokens {
  private credentials: PinterestCredentials;
  private expiresAtMs: number | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly options: PinterestTokensOptions;

  constructor(options: PinterestTokensOptions) {
    this.options = options;
    this.credentials = options.credentials;
    for (const secret of [options.credentials.accessToken, options.credentials.refreshToken, options.credentials.clientSecret]) {
      options.secrets.add(secret);
    }
    if (options.credentials.clientId !== undefined && options.credentials.clientSecret !== undefined) {
      options.secrets.add(basic(options.credentials.clientId, options.credentials.clientSecret));
    }
    this.expiresAtMs = options.credentials.expiresAt === undefined ? undefined : Date.parse(options.credentials.expiresAt);
    if (this.expiresAtMs !== undefined && Number.isNaN(this.expiresAtMs))
      throw new PinterestConnectorConfigError('Pinterest expiresAt is not a date');
  }

  /** The access token to send now. */
  get accessToken(): string {
    return this.credentials.accessToken;
  }

  /** True when a refresh token and the client id and secret are there. */
  get canRefresh(): boolean {
    return (
      this.credentials.refreshToken !== undefined && this.credentials.clientId !== undefined && this.credentials.clientSecret !== undefined
    );
  }

  /** Refreshes first when the access token expires within REFRESH_MARGIN_MS (and it can be refreshed). */
  async ensureFresh(): Promise<void> {
    if (!this.canRefresh || this.expiresAtMs === undefined) return;
    if (this.expiresAtMs - this.options.clock.now().getTime() < REFRESH_MARGIN_MS) await this.refresh(this.accessToken);
  }

  /**
   * Refreshes the access token that `rejected` was; when another call already replaced it, does nothing.
   * Throws AuthError when it cannot refresh or Pinterest refuses the refresh token (a human must re-authorize).
   */
  async refresh(rejected: string): Promise<void> {
    if (this.credentials.accessToken !== rejected) return;
    if (this.refreshing === undefined) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    await this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const { caller, tokenUrl } = this.options;
    const endpoint = `POST ${tokenUrl.pathname}`;
    const { refreshToken, clientId, clientSecret } = this.credentials;
    if (refreshToken === undefined || clientId === undefined || clientSecret === undefined) {
      throw new AuthError(`Pinterest ${endpoint}: the access token was refused and there is no refresh token`, {
        platform: 'pinterest',
        endpoint,
      });
    }
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const answer = await fetchAnswer(
      caller,
      tokenUrl,
      {
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: `Basic ${basic(clientId, clientSecret)}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: body.toString(),
      },
      endpoint,
    );
    const { response, json, parsedJson } = answer;
    if (!response.ok) {
      const error = parsedJson ? ErrorBody.safeParse(json) : undefined;
      const failure = {
        status: response.status,
        rateLimitReset: response.headers.get('x-ratelimit-reset'),
        ...(error?.success ? { code: error.data.code, message: error.data.message } : {}),
      };
      // 400/401/403 on a refresh: the refresh token (or the app) is no longer valid; retrying will not fix it.
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new AuthError(
          caller.clean(`Pinterest ${endpoint}: the refresh was refused (HTTP ${response.status}); re-authorize the app`),
          {
            platform: 'pinterest',
            endpoint,
            status: response.status,
          },
        );
      }
      const wait = { nowMs: this.options.clock.now().getTime(), defaultRetryAfterMs: this.options.defaultRetryAfterMs };
      throw pinterestErrorFor(failure, endpoint, wait, caller.clean);
    }
    if (!parsedJson) throw notJsonError(caller, answer, endpoint);
    const token = parseWith(caller, TokenResponse, json, endpoint, response.status);
    this.options.secrets.add(token.access_token);
    this.options.secrets.add(token.refresh_token);
    const expiresAtMs = this.options.clock.now().getTime() + token.expires_in * 1000;
    const next: PinterestCredentials = {
      ...this.credentials,
      accessToken: token.access_token,
      refreshToken: token.refresh_token ?? refreshToken,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
    // In memory first: Pinterest has already rotated the refresh token, so the old one is of no use even if saving fails.
    this.credentials = next;
    this.expiresAtMs = expiresAtMs;
    await this.options.tokenStore?.save(next);
  }
}

function basic(clientId: string, clientSecret: string): string {
  return Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
}
