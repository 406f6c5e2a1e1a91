/** What integration tests over the fake Graph API (lib/sim/meta/server.ts) share: the client and the connector. */
import { parseClientConfig } from '../../lib/config/load.ts';
import type { ClientConfig } from '../../lib/config/schema.ts';
import { createMetaConnector, type MetaConnectorOptions } from '../../lib/platforms/meta/connector.ts';

/** Client "acme" in dry-run on the given Meta accounts; `extra` adds or replaces top-level fields. */
export function metaClient(accounts: readonly string[], extra: Record<string, unknown> = {}): ClientConfig {
  return parseClientConfig({
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00', mode: 'dry-run' },
    platforms: { meta: { accounts } },
    report: { recipients: ['lead@acme.example'] },
    ...extra,
  });
}

/** The Meta connector pointed at a fake: no waits between retries unless `options` says otherwise. */
export function fakeMetaConnector(baseUrl: string, accessToken: string, options: Partial<MetaConnectorOptions> = {}) {
  return createMetaConnector({
    baseUrl,
    apiVersion: 'v25.0',
    accessToken,
    purchaseActionType: 'omni_purchase',
    sleep: async () => {},
    ...options,
  });
}
