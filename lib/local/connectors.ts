/**
 * Connectors in local mode: credentials from the environment (META_ACCESS_TOKEN, …), base
 * URLs from the client config, or from the bundled fakes when the config asks for simulation.
 * Credentials a connector refreshes (Pinterest) are kept in `<dataDir>/credentials/<platform>.json`
 * (owner-only) and preferred over the environment from then on, since the old refresh token is spent.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClientConfig } from '../config/schema.ts';
import type { Platform } from '../model/ads.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import { type ConnectorOptions, CREDENTIAL_ENV, type Credentials, createConnector } from '../platforms/registry.ts';
import { LocalRuntimeError } from './errors.ts';

/** Refreshed credentials in the data dir: written by `saveCredentials`, read back by `storedCredentials`. */
export function credentialsFile(dataDir: string, platform: Platform): string {
  return join(dataDir, 'credentials', `${platform}.json`);
}

/** Credentials a connector refreshed in an earlier run, if any. */
export function storedCredentials(dataDir: string, platform: Platform): Credentials | undefined {
  const file = credentialsFile(dataDir, platform);
  if (!existsSync(file)) return undefined;
  const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new LocalRuntimeError(`${file} does not hold ${platform} credentials; delete it to start from the environment`);
  return parsed.data;
}

/** Writes refreshed credentials atomically, readable by the owner only. */
export function credentialsSaver(dataDir: string): NonNullable<ConnectorOptions['saveCredentials']> {
  return async (platform, credentials) => {
    const file = credentialsFile(dataDir, platform);
    mkdirSync(join(dataDir, 'credentials'), { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
    chmodSync(`${file}.tmp`, 0o600);
    renameSync(`${file}.tmp`, file);
  };
}

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
  options: ConnectorOptions = {},
): (platform: Platform) => Promise<PlatformConnector> {
  const cache = new Map<Platform, PlatformConnector>();
  return async (platform) => {
    let connector = cache.get(platform);
    if (!connector) {
      connector = createConnector(config, platform, credentials(platform), options);
      cache.set(platform, connector);
    }
    return connector;
  };
}
