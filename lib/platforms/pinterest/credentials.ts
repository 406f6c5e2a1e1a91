/**
 * Pinterest OAuth credentials and the port that stores refreshed tokens. Access tokens live 30 days; the
 * continuous refresh token 60 days, renewed by every refresh (../shared/PLATFORM_APIS.md §7.2.1). The connector
 * refreshes on a 401 and when `expiresAt` is less than a day away, then hands the whole new credential set to the
 * TokenStore (in AWS: Secrets Manager PutSecretValue on the same secret; locally: wherever the CLI keeps it).
 *
 * @example
 *   const credentials = PinterestCredentials.parse(JSON.parse(secretString));
 *   const pinterest = createPinterestConnector({ credentials, tokenStore: { save: (c) => putSecret(JSON.stringify(c)) } });
 */
import { z } from 'zod';

/** The secret's JSON: an access token, and what is needed to refresh it (all four, or none). */
export const PinterestCredentials = z
  .object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** When the access token expires, ISO 8601 (e.g. "2026-12-01T08:00:00.000Z"). */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine(
    (c) => (c.refreshToken === undefined) === (c.clientId === undefined) && (c.clientId === undefined) === (c.clientSecret === undefined),
    {
      message: 'refreshToken, clientId and clientSecret go together',
    },
  );
export type PinterestCredentials = z.infer<typeof PinterestCredentials>;

/** Where the connector stores credentials after a refresh, so the next run starts from the new tokens. */
export interface TokenStore {
  save(credentials: PinterestCredentials): Promise<void>;
}

/** Local environment variables holding the credentials (read by lib/local or lib/cli, never by the connector). */
export const PINTEREST_ENV = {
  accessToken: 'PINTEREST_ACCESS_TOKEN',
  refreshToken: 'PINTEREST_REFRESH_TOKEN',
  clientId: 'PINTEREST_CLIENT_ID',
  clientSecret: 'PINTEREST_CLIENT_SECRET',
  expiresAt: 'PINTEREST_TOKEN_EXPIRES_AT',
} as const;

/** Credentials from an environment map (variables of PINTEREST_ENV); unset optional ones are left out. */
export function pinterestCredentialsFromEnv(env: Readonly<Record<string, string | undefined>>): PinterestCredentials {
  const set = Object.entries(PINTEREST_ENV).flatMap(([key, variable]) => {
    const value = env[variable];
    return value === undefined || value === '' ? [] : [[key, value]];
  });
  return PinterestCredentials.parse(Object.fromEntries(set));
}
