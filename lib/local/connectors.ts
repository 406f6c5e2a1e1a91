/**
 * Connectors in local mode: credentials from the environment (META_ACCESS_TOKEN, …), base
 * URLs from the client config, or from the bundled fakes when the config asks for simulation.
 */
import type { ClientConfig } from '../config/schema.ts';
import type { Platform } from '../model/ads.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import { CREDENTIAL_ENV, type Credentials, createConnector } from '../platforms/registry.ts';
import { LocalRuntimeError } from './errors.ts';

/** Reads a platform's credentials from the environment; names the missing variable. */
export function credentialsFromEnv(platform: Platform, env: NodeJS.ProcessEnv): Credentials {
  const out: Record<string, string> = {};
  for (const [field, variable] of Object.entries(CREDENTIAL_ENV[platform])) {
    const value = env[variable];
    if (value) out[field] = value;
  }
  if (!out.accessToken) {
    throw new LocalRuntimeError(`${platform}: set ${CREDENTIAL_ENV[platform].accessToken} to the platform's access token`);
  }
  return out;
}

/** A connector factory that builds each platform's connector once. */
export function localConnectorFactory(
  config: ClientConfig,
  credentials: (platform: Platform) => Credentials,
): (platform: Platform) => Promise<PlatformConnector> {
  const cache = new Map<Platform, PlatformConnector>();
  return async (platform) => {
    let connector = cache.get(platform);
    if (!connector) {
      connector = createConnector(config, platform, credentials(platform));
      cache.set(platform, connector);
    }
    return connector;
  };
}
