/**
 * Builds the connector of a configured platform from the client config and its credentials.
 * The one place that knows which platforms have connectors.
 */
import type { ClientConfig } from '../config/schema.ts';
import type { Platform } from '../model/ads.ts';
import type { Clock } from '../runtime/clock.ts';
import { PlatformRequestError } from './errors.ts';
import { createGoogleAdsConnector } from './google-ads/connector.ts';
import { createLinkedInConnector } from './linkedin/connector.ts';
import { createMetaConnector } from './meta/connector.ts';
import { createPinterestConnector } from './pinterest/connector.ts';
import { PINTEREST_ENV, PinterestCredentials } from './pinterest/credentials.ts';
import type { Fetch, PlatformConnector } from './port.ts';
import { createTikTokConnector } from './tiktok/connector.ts';
import { createXAdsConnector } from './x-ads/connector.ts';

/** Credentials as stored in Secrets Manager (one JSON secret per platform) or read from the environment locally. */
export type Credentials = Readonly<Record<string, string>>;

/** Environment variables holding each platform's credentials in local mode. */
export const CREDENTIAL_ENV: Record<Platform, Record<string, string>> = {
  meta: { accessToken: 'META_ACCESS_TOKEN' },
  'google-ads': { accessToken: 'GOOGLE_ADS_ACCESS_TOKEN', developerToken: 'GOOGLE_ADS_DEVELOPER_TOKEN' },
  tiktok: { accessToken: 'TIKTOK_ACCESS_TOKEN' },
  linkedin: { accessToken: 'LINKEDIN_ACCESS_TOKEN' },
  'x-ads': {
    consumerKey: 'X_ADS_CONSUMER_KEY',
    consumerSecret: 'X_ADS_CONSUMER_SECRET',
    accessToken: 'X_ADS_ACCESS_TOKEN',
    accessTokenSecret: 'X_ADS_ACCESS_TOKEN_SECRET',
  },
  pinterest: PINTEREST_ENV,
};

/** Platforms whose connector refreshes its own credentials and hands them back to be stored (`saveCredentials`). */
export const SELF_REFRESHING: readonly Platform[] = ['pinterest'];

export interface ConnectorOptions {
  readonly fetch?: Fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The run's clock, for waits computed from the time of day (LinkedIn's daily quota resets at midnight UTC) and token expiry. */
  readonly clock?: Clock;
  /** Stores credentials a connector refreshed (SELF_REFRESHING platforms), so the next run starts from them. */
  readonly saveCredentials?: (platform: Platform, credentials: Credentials) => Promise<void>;
}

/** The connector for one platform of the client. */
export function createConnector(
  config: ClientConfig,
  platform: Platform,
  given: Credentials,
  { saveCredentials, ...options }: ConnectorOptions = {},
): PlatformConnector {
  // Secrets are created with every key empty; an empty value is a credential not given.
  const credentials = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== ''));
  const need = (name: string): string => {
    const value = credentials[name];
    if (!value) throw new PlatformRequestError(`missing ${platform} credential "${name}"`, { platform, endpoint: '(credentials)' });
    return value;
  };
  switch (platform) {
    case 'meta': {
      const meta = config.platforms.meta;
      if (!meta) break;
      return createMetaConnector({
        ...(meta.baseUrl ? { baseUrl: meta.baseUrl } : {}),
        apiVersion: meta.apiVersion,
        accessToken: need('accessToken'),
        purchaseActionType: meta.purchaseActionType,
        ...options,
      });
    }
    case 'google-ads': {
      const google = config.platforms['google-ads'];
      if (!google) break;
      return createGoogleAdsConnector({
        ...(google.baseUrl ? { baseUrl: google.baseUrl } : {}),
        apiVersion: google.apiVersion,
        accessToken: need('accessToken'),
        ...(credentials.developerToken ? { developerToken: credentials.developerToken } : {}),
        ...(google.loginCustomerId ? { loginCustomerId: google.loginCustomerId } : {}),
        ...options,
      });
    }
    case 'tiktok': {
      const tiktok = config.platforms.tiktok;
      if (!tiktok) break;
      return createTikTokConnector({
        ...(tiktok.baseUrl ? { baseUrl: tiktok.baseUrl } : {}),
        accessToken: need('accessToken'),
        ...options,
      });
    }
    case 'linkedin': {
      const linkedin = config.platforms.linkedin;
      if (!linkedin) break;
      return createLinkedInConnector({
        ...(linkedin.baseUrl ? { baseUrl: linkedin.baseUrl } : {}),
        version: linkedin.version,
        accessToken: need('accessToken'),
        ...options,
      });
    }
    case 'x-ads': {
      const xads = config.platforms['x-ads'];
      if (!xads) break;
      return createXAdsConnector({
        ...(xads.baseUrl ? { baseUrl: xads.baseUrl } : {}),
        apiVersion: xads.apiVersion,
        consumerKey: need('consumerKey'),
        consumerSecret: need('consumerSecret'),
        accessToken: need('accessToken'),
        accessTokenSecret: need('accessTokenSecret'),
        ...options,
      });
    }
    case 'pinterest': {
      const pinterest = config.platforms.pinterest;
      if (!pinterest) break;
      need('accessToken');
      const parsed = PinterestCredentials.safeParse(credentials);
      if (!parsed.success) {
        throw new PlatformRequestError(`pinterest credentials: ${parsed.error.issues.map((i) => i.message).join('; ')}`, {
          platform,
          endpoint: '(credentials)',
        });
      }
      return createPinterestConnector({
        ...(pinterest.baseUrl ? { baseUrl: pinterest.baseUrl } : {}),
        credentials: parsed.data,
        ...(saveCredentials
          ? {
              tokenStore: {
                save: (c) => saveCredentials(platform, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined))),
              },
            }
          : {}),
        ...options,
      });
    }
  }
  throw new PlatformRequestError(`${platform} is not configured for client ${config.client}`, { platform, endpoint: '(config)' });
}
