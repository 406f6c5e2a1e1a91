import { describe, expect, it } from 'vitest';
import { loadClientConfig } from '../../../lib/config/load.ts';
import { PLATFORMS } from '../../../lib/model/ads.ts';
import { PlatformRequestError } from '../../../lib/platforms/errors.ts';
import { CREDENTIAL_ENV, createConnector } from '../../../lib/platforms/registry.ts';

const config = loadClientConfig('clients/acme.yaml');
const SECRET = 'do-not-leak-4f1c';
const full = (platform: (typeof PLATFORMS)[number]) =>
  Object.fromEntries(Object.keys(CREDENTIAL_ENV[platform]).map((k) => [k, `${SECRET}-${k}`]));

describe('createConnector', () => {
  it.each(PLATFORMS)('builds the %s connector of a configured platform', (platform) => {
    const credentials = platform === 'pinterest' ? { ...full(platform), expiresAt: '2026-12-24T08:00:00Z' } : full(platform);
    expect(createConnector(config, platform, credentials).platform).toBe(platform);
  });

  it.each(PLATFORMS)('names the missing %s access token, treating an empty secret value as missing', (platform) => {
    const credentials = { ...full(platform), accessToken: '' };
    const error = (() => {
      try {
        createConnector(config, platform, credentials);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe(`missing ${platform} credential "accessToken"`);
  });

  it('explains incomplete Pinterest refresh credentials without echoing any value', () => {
    const error = (() => {
      try {
        createConnector(config, 'pinterest', { accessToken: `${SECRET}-a`, refreshToken: `${SECRET}-r` });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error?.message).toBe('pinterest credentials: refreshToken, clientId and clientSecret go together');
    expect(JSON.stringify({ message: error?.message, stack: error?.stack })).not.toContain(SECRET);
  });

  it('refuses a platform the client does not configure', () => {
    const metaOnly = { ...config, platforms: { meta: config.platforms.meta } };
    expect(() => createConnector(metaOnly, 'tiktok', full('tiktok'))).toThrow('tiktok is not configured for client acme');
  });
});
