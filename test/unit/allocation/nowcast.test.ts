import { describe, expect, it } from 'vitest';
import { ageAtFetch, estimateCompletion, historyDayOf, maturityAt } from '../../../lib/allocation/nowcast.ts';
import { SeededRandom } from '../../../lib/allocation/random.ts';
import type { StoredDailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';

const AS_OF = '2026-03-01';
/** True completion by age: 40% the day after, 75% after 2 days, final after 5. */
const TRUE_SHARE = [0.4, 0.6, 0.75, 0.85, 0.95, 1, 1];

function poisson(rng: SeededRandom, mean: number): number {
  // Normal approximation is enough at these means.
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
}

/** 56 days of 10 ad sets on one platform, each row last fetched this morning (so its age is its age now). */
function history(platform: 'meta' | 'tiktok', share: readonly number[], seed: string): StoredDailyMetric[] {
  const rng = new SeededRandom(seed);
  const rows: StoredDailyMetric[] = [];
  for (let d = 1; d <= 56; d++) {
    const date = addDays(AS_OF, -d);
    const age = d - 1;
    for (let a = 0; a < 10; a++) {
      const spendMicros = 200_000_000;
      const final = 40; // conversions a day at final
      const conversions = poisson(rng, final * (share[age] ?? 1));
      rows.push({
        platform,
        accountId: 'act_1',
        adsetId: `${platform}-${a}`,
        campaignId: 'c',
        date,
        currency: 'EUR',
        spendMicros,
        revenueMicros: conversions * 50_000_000,
        impressions: 10_000,
        clicks: 100,
        conversions,
        fetchedAt: `${AS_OF}T06:00:00Z`,
        firstFetchedAt: `${addDays(date, 1)}T06:00:00Z`,
        revision: Math.min(age, 7),
      });
    }
  }
  return rows;
}

describe('estimateCompletion', () => {
  it('recovers the completion curve per platform from rows of different ages, within 2 sd', () => {
    const rows = [...history('meta', TRUE_SHARE, 'meta'), ...history('tiktok', [1, 1, 1, 1, 1, 1, 1], 'tiktok')];
    const curves = estimateCompletion(rows, AS_OF);
    const meta = curves.get('meta');
    expect(meta?.byAge.map((p) => p.ageDays)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    meta?.byAge.forEach((p, age) => {
      expect(p.sd).toBeGreaterThan(0);
      expect(Math.abs(p.share - (TRUE_SHARE[age] ?? 1))).toBeLessThan(2 * p.sd + 0.02);
    });
    // Shares never fall with age.
    const shares = meta?.byAge.map((p) => p.share) ?? [];
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    // A platform whose days are final at once reads (close to) 1 at every age.
    for (const p of curves.get('tiktok')?.byAge ?? []) expect(p.share).toBeGreaterThan(0.93);
  });

  it('gives maturity 1 without uncertainty to mature days and to platforms without a curve', () => {
    const curves = estimateCompletion(history('meta', TRUE_SHARE, 'x'), AS_OF);
    expect(maturityAt(curves.get('meta'), 7)).toEqual({ share: 1, sd: 0 });
    expect(maturityAt(undefined, 0)).toEqual({ share: 1, sd: 0 });
    expect(maturityAt(curves.get('meta'), 0).share).toBeLessThan(0.55);
  });

  it('turns a young stored row into a thinned history day with its uncertainty', () => {
    const rows = history('meta', TRUE_SHARE, 'y');
    const curves = estimateCompletion(rows, AS_OF);
    const young = rows.find((r) => r.date === addDays(AS_OF, -1)) as StoredDailyMetric;
    const old = rows.find((r) => r.date === addDays(AS_OF, -30)) as StoredDailyMetric;
    const m = maturityAt(curves.get('meta'), 0);
    expect(ageAtFetch(young.date, young.fetchedAt)).toBe(0);
    expect(historyDayOf(young, curves)).toEqual({
      date: young.date,
      spendMicros: young.spendMicros,
      revenueMicros: young.revenueMicros,
      conversions: young.conversions,
      maturity: m.share,
      maturitySd: m.sd,
    });
    expect(historyDayOf(old, curves)).toEqual({
      date: old.date,
      spendMicros: old.spendMicros,
      revenueMicros: old.revenueMicros,
      conversions: old.conversions,
    });
  });
});
