import { describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';

const FROM = '2026-11-01';
const TO = '2026-11-19';

function setUp(options?: ConstructorParameters<typeof SimAds>[1]) {
  const clock = new ManualClock('2026-11-20T05:00:00Z');
  const market = sampleMarket(7, clock);
  return { clock, market, ads: new SimAds(market, options) };
}

describe('SimAds', () => {
  it('lists two ads per ad set, named after it', () => {
    const { market, ads } = setUp();
    const adset = market.adsets(SAMPLE_ACCOUNT_ID)[0];
    if (!adset) throw new Error('no ad set');
    expect(ads.ads(SAMPLE_ACCOUNT_ID).filter((a) => a.adsetId === adset.adsetId)).toEqual([
      {
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        adId: `${adset.adsetId}01`,
        adsetId: adset.adsetId,
        campaignId: adset.campaignId,
        name: `${adset.name} – Creative A`,
        status: 'ACTIVE',
      },
      {
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        adId: `${adset.adsetId}02`,
        adsetId: adset.adsetId,
        campaignId: adset.campaignId,
        name: `${adset.name} – Creative B`,
        status: 'ACTIVE',
      },
    ]);
  });

  it('splits every final day of an ad set exactly between its ads, the same way on every read', () => {
    const { market, ads } = setUp();
    const ids = ads.ads(SAMPLE_ACCOUNT_ID).map((a) => a.adId);
    const rows = ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, FROM, addDays(TO, -30));
    expect(ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, FROM, addDays(TO, -30))).toEqual(rows);
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, FROM, TO);
    for (const day of truth) {
      const own = ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, day.date, day.date).filter((r) => r.adsetId === day.adsetId);
      const sum = (k: 'spendMicros' | 'impressions' | 'clicks' | 'conversions') => own.reduce((s, r) => s + r[k], 0);
      expect([sum('spendMicros'), sum('impressions'), sum('clicks'), sum('conversions')]).toEqual([
        day.spendMicros,
        day.impressions,
        day.clicks,
        day.conversions,
      ]);
    }
    expect(truth.length).toBeGreaterThan(50);
  });

  it('gives a better converting ad more conversions, and a paused ad nothing from the next day', () => {
    const { market, ads, clock } = setUp({
      quality: { '2385000000000101': { delivery: 1, conversionRate: 2 }, '2385000000000102': { delivery: 1, conversionRate: 0.5 } },
    });
    const ids = ['2385000000000101', '2385000000000102'];
    const rows = ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, FROM, addDays(TO, -7));
    const conv = (id: string) => rows.filter((r) => r.adId === id).reduce((s, r) => s + r.conversions, 0);
    expect(conv(ids[0] ?? '')).toBeGreaterThan(2 * conv(ids[1] ?? ''));

    expect(ads.setStatus(ids[1] ?? '', 'PAUSED')).toEqual({ effectiveFrom: '2026-11-21' });
    expect(ads.ad(ids[1] ?? '')?.status).toBe('PAUSED');
    clock.set('2026-11-23T05:00:00Z');
    const after = ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, '2026-11-21', '2026-11-22');
    expect(after.filter((r) => r.adId === ids[1])).toEqual([]);
    const adsetDays = market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-11-21', '2026-11-22').filter((r) => r.adsetId === '23850000000001');
    expect(after.filter((r) => r.adId === ids[0]).map((r) => r.spendMicros)).toEqual(adsetDays.map((r) => r.spendMicros));
  });
});
