/** The Meta connector integration tests point at a fake Graph API (lib/sim/meta/server.ts): no waits between retries. */
import { createMetaConnector } from '../../lib/platforms/meta/connector.ts';

export function fakeMetaConnector(baseUrl: string, accessToken: string, options: { readonly maxAttempts?: number } = {}) {
  return createMetaConnector({
    baseUrl,
    apiVersion: 'v25.0',
    accessToken,
    purchaseActionType: 'omni_purchase',
    sleep: async () => {},
    ...options,
  });
}
