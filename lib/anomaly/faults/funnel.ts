/**
 * Funnel root cause: CPA = (spend/impressions) / (clicks/impressions · conversions/clicks), so a change in
 * CPA splits exactly into changes in CPM, CTR and conversion rate. The hint names the stage that moved most.
 */
import type { AdSetDay } from '../types.ts';

interface Funnel {
  readonly cpm: number;
  readonly ctr: number;
  readonly cvr: number;
  readonly aov: number;
}

function funnelOf(days: readonly AdSetDay[]): Funnel {
  const sum = (f: (d: AdSetDay) => number) => days.reduce((s, d) => s + f(d), 0);
  const spend = sum((d) => d.spendMicros);
  const impressions = sum((d) => d.impressions);
  const clicks = sum((d) => d.clicks);
  const conversions = sum((d) => d.conversions);
  const revenue = sum((d) => d.revenueMicros);
  return {
    cpm: impressions > 0 ? (1000 * spend) / impressions : Number.NaN,
    ctr: impressions > 0 ? clicks / impressions : Number.NaN,
    cvr: clicks > 0 ? conversions / clicks : Number.NaN,
    aov: conversions > 0 ? revenue / conversions : Number.NaN,
  };
}

const STAGES = {
  cpm: {
    worse: (pct: string) =>
      `the cost per 1,000 impressions rose ${pct}: the auction got pricier (competition, seasonality, or an audience being used up)`,
    better: true,
  },
  ctr: {
    worse: (pct: string) =>
      `the click-through rate fell ${pct}: the ads interest people less (creative fatigue or a poorer audience match)`,
    better: false,
  },
  cvr: {
    worse: (pct: string) =>
      `the conversion rate after the click fell ${pct}: look past the ad, at the landing page, offer, prices, stock, checkout, or tracking`,
    better: false,
  },
} as const;

/** The funnel stage that explains most of a cost-per-result rise between two periods, in one sentence. */
export function explainCostRise(reference: readonly AdSetDay[], recent: readonly AdSetDay[]): string {
  const before = funnelOf(reference);
  const after = funnelOf(recent);
  // Each stage's contribution to log(CPA after / CPA before); CPM enters with +, CTR and CVR with −.
  const contributions = (['cpm', 'ctr', 'cvr'] as const)
    .map((stage) => {
      const ratio = after[stage] / before[stage];
      const harm = STAGES[stage].better ? Math.log(ratio) : -Math.log(ratio);
      return { stage, ratio, harm };
    })
    .filter((c) => Number.isFinite(c.harm))
    .sort((a, b) => b.harm - a.harm);
  const top = contributions[0];
  if (top === undefined || top.harm <= 0) return 'No single funnel stage explains it.';
  const pct = `${Math.round(Math.abs(top.ratio - 1) * 100)}%`;
  return `Most of it comes from the funnel: ${STAGES[top.stage].worse(pct)}.`;
}

/** Sentence on the revenue per conversion (order value) between two periods, or '' when it held. */
export function explainOrderValue(reference: readonly AdSetDay[], recent: readonly AdSetDay[]): string {
  const ratio = funnelOf(recent).aov / funnelOf(reference).aov;
  if (!Number.isFinite(ratio) || ratio > 0.85) return '';
  return ` Revenue per conversion also fell ${Math.round((1 - ratio) * 100)}% (smaller baskets, discounts, or a change in the value sent with the purchase event).`;
}
