/**
 * The local simulation starts one fake per configured platform over one market, points the client config at
 * them, and each platform's real connector reads exactly the market's truth for its own accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoClientConfig } from '../../../lib/cli/demo.ts';
import { configuredAccounts } from '../../../lib/config/platforms.ts';
import { localConnectorFactory } from '../../../lib/local/connectors.ts';
import { type Simulation, startSimulation } from '../../../lib/local/simulation.ts';
import type { DailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SAMPLE_ACCOUNTS } from '../../../lib/sim/sample-market.ts';

let simulation: Simulation;
const clock = new ManualClock('2026-11-20T06:00:00Z');

beforeAll(async () => {
  simulation = await startSimulation(demoClientConfig(3), clock);
});
afterAll(async () => {
  await simulation.close();
});

describe('the simulation of a multi-platform client', () => {
  it('points every configured platform at its own fake and keeps the configured accounts', () => {
    const accounts = configuredAccounts(simulation.config);
    expect(accounts).toEqual([
      { platform: 'meta', accountId: SAMPLE_ACCOUNTS.meta.accountId },
      { platform: 'google-ads', accountId: SAMPLE_ACCOUNTS['google-ads'].accountId },
      { platform: 'tiktok', accountId: SAMPLE_ACCOUNTS.tiktok.accountId },
      { platform: 'linkedin', accountId: SAMPLE_ACCOUNTS.linkedin.accountId },
      { platform: 'x-ads', accountId: SAMPLE_ACCOUNTS['x-ads'].accountId },
      { platform: 'pinterest', accountId: SAMPLE_ACCOUNTS.pinterest.accountId },
    ]);
    const urls = [
      simulation.config.platforms.meta?.baseUrl,
      simulation.config.platforms['google-ads']?.baseUrl,
      simulation.config.platforms.tiktok?.baseUrl,
    ];
    expect(new Set(urls).size).toBe(3);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  });

  it('serves each platform exactly the market truth for its own ad sets', async () => {
    const connector = localConnectorFactory(simulation.config, (platform) => simulation.credentials(platform), { clock });
    for (const { platform, accountId } of configuredAccounts(simulation.config)) {
      const c = await connector(platform);
      const account = await c.getAccount(accountId);
      expect(account).toEqual({ ...SAMPLE_ACCOUNTS[platform], accountId: account.accountId });
      const adsets = await c.listAdSets(account);
      const expectedIds = simulation.market
        .adsets()
        .filter((a) => a.platform === platform)
        .map((a) => a.adsetId)
        .sort();
      expect(adsets.map((a) => a.adsetId).sort()).toEqual(expectedIds);
      const to = '2026-11-18';
      const from = addDays(to, -6);
      const rows = await c.fetchDailyMetrics(account, from, to);
      const truth = simulation.market.reportedResults(accountId, from, to);
      expect(truth.length).toBeGreaterThanOrEqual(7 * expectedIds.length - 2);
      const values = (r: DailyMetric) =>
        [r.adsetId, r.date, r.spendMicros, r.revenueMicros, r.impressions, r.clicks, r.conversions].join('|');
      expect(rows.map(values).sort(), platform).toEqual(truth.map(values).sort());
    }
  });

  it('starts only the configured platforms and refuses credentials for the others', async () => {
    const demo = demoClientConfig(3);
    const metaOnly = await startSimulation({ ...demo, platforms: { meta: demo.platforms.meta } }, new ManualClock('2026-11-20T06:00:00Z'));
    try {
      expect(Object.keys(metaOnly.config.platforms)).toEqual(['meta']);
      expect(metaOnly.market.accounts().map((a) => a.platform)).toEqual(['meta']);
      expect(() => metaOnly.credentials('x-ads')).toThrow(/no x-ads fake/);
    } finally {
      await metaOnly.close();
    }
  });
});
