import { describe, expect, it } from 'vitest';
import { mmMarginal, mmResponse } from '../../../lib/allocation/curves.ts';
import { SeededRandom } from '../../../lib/allocation/random.ts';
import {
  type EntityPosterior,
  fitPortfolio,
  type HistoryDay,
  posteriorAt,
  posteriorLocalCurve,
  posteriorMeanCurve,
} from '../../../lib/allocation/response-model.ts';
import { addDays, isoWeekday } from '../../../lib/model/dates.ts';

const START = '2026-01-05'; // a Monday
const DAYS = 70;
const asOf = addDays(START, DAYS);

/** Clean daily conversions from a known curve, with spend varied between 0.3κ and 3κ so κ is identifiable. */
function cleanHistory(
  curve: { beta: number; kappa: number },
  seed: string,
  weekday: readonly number[] = [1, 1, 1, 1, 1, 1, 1],
): HistoryDay[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: DAYS }, (_, t) => {
    const date = addDays(START, t);
    const spend = curve.kappa * 0.3 * 10 ** rng.uniform();
    const conversions = mmResponse(spend, curve) * (weekday[isoWeekday(date) - 1] ?? 1);
    return { date, spendMicros: Math.round(spend * 1e6), revenueMicros: Math.round(conversions * 50e6), conversions };
  });
}

const truth = [
  { id: 'a', curve: { beta: 400, kappa: 200 } },
  { id: 'b', curve: { beta: 150, kappa: 900 } },
  { id: 'c', curve: { beta: 60, kappa: 50 } },
];

describe('fitPortfolio', () => {
  it('recovers known curves on clean simulated data (β and κ within 15%)', () => {
    const model = fitPortfolio(
      truth.map((t) => ({ id: t.id, history: cleanHistory(t.curve, t.id), fallbackSpendMicros: 0 })),
      'conversions',
      asOf,
    );
    model.entities.forEach((post, i) => {
      const mean = posteriorMeanCurve(post);
      const want = truth[i]?.curve ?? { beta: 0, kappa: 0 };
      expect(Math.abs(mean.beta / want.beta - 1)).toBeLessThan(0.15);
      expect(Math.abs(mean.kappa / want.kappa - 1)).toBeLessThan(0.15);
      // The marginal return at κ (β/4κ) is what the allocator acts on.
      expect(Math.abs(posteriorAt(post, want.kappa).marginal / (want.beta / (4 * want.kappa)) - 1)).toBeLessThan(0.1);
    });
  });

  it('gives a local curve with the posterior-expected response and marginal at the spend it is taken at', () => {
    const model = fitPortfolio(
      truth.map((t) => ({ id: t.id, history: cleanHistory(t.curve, t.id).slice(-10), fallbackSpendMicros: 0 })),
      'conversions',
      asOf,
    );
    for (const post of model.entities) {
      for (const x of [0.5 * post.typicalSpend, post.typicalSpend, 2 * post.typicalSpend]) {
        const local = posteriorLocalCurve(post, x);
        const at = posteriorAt(post, x);
        expect(mmResponse(x, local) / at.response).toBeCloseTo(1, 9);
        expect(mmMarginal(x, local) / at.marginal).toBeCloseTo(1, 9);
      }
      // No spend to take it at: the posterior-mean curve.
      expect(posteriorLocalCurve(post, 0)).toEqual(posteriorMeanCurve(post));
    }
  });

  it('recovers revenue curves in currency units (the order value does not bias β)', () => {
    const model = fitPortfolio(
      truth.map((t) => ({ id: t.id, history: cleanHistory(t.curve, t.id), fallbackSpendMicros: 0 })),
      'revenue',
      asOf,
    );
    model.entities.forEach((post, i) => {
      const want = truth[i]?.curve ?? { beta: 0, kappa: 0 };
      expect(Math.abs(posteriorMeanCurve(post).beta / (want.beta * 50) - 1)).toBeLessThan(0.15);
    });
  });

  it('learns the portfolio weekday pattern and divides it out', () => {
    const weekday = [1.2, 1.15, 1, 1, 0.95, 0.85, 0.85];
    const model = fitPortfolio(
      truth.map((t) => ({ id: t.id, history: cleanHistory(t.curve, t.id, weekday), fallbackSpendMicros: 0 })),
      'conversions',
      asOf,
    );
    const mean = weekday.reduce((s, v) => s + v, 0) / 7;
    model.weekday.forEach((m, d) => {
      expect(Math.abs(m - (weekday[d] ?? 0) / mean)).toBeLessThan(0.06);
    });
  });

  it('nowcasts immature days instead of reading them as final', () => {
    const full = truth.map((t) => ({ id: t.id, history: cleanHistory(t.curve, t.id), fallbackSpendMicros: 0 }));
    // The last 10 days have only 40% of their final conversions reported so far.
    const immature = (raw: boolean) =>
      full.map((e) => ({
        ...e,
        history: e.history.map((h, t) =>
          t >= DAYS - 10
            ? {
                ...h,
                conversions: h.conversions * 0.4,
                revenueMicros: Math.round(h.revenueMicros * 0.4),
                ...(raw ? {} : { maturity: 0.4 }),
              }
            : h,
        ),
      }));
    const reference = fitPortfolio(full, 'conversions', asOf);
    const nowcast = fitPortfolio(immature(false), 'conversions', asOf);
    const naive = fitPortfolio(immature(true), 'conversions', asOf);
    nowcast.entities.forEach((post, i) => {
      // Compare the expected response at the entity's typical spend: what the allocator trades on.
      const at = (p: EntityPosterior | undefined) => (p ? posteriorAt(p, post.typicalSpend).response : Number.NaN);
      const ref = at(reference.entities[i]);
      const naiveResponse = at(naive.entities[i]);
      const nowcastError = Math.abs(at(post) / ref - 1);
      expect(nowcastError).toBeLessThan(0.03);
      // Reading the immature days as final biases the curve down, several times more than the nowcast misses.
      expect(naiveResponse / ref).toBeLessThan(0.95);
      expect(1 - naiveResponse / ref).toBeGreaterThan(3 * nowcastError);
      const missing = (full[i]?.history ?? []).slice(DAYS - 10).reduce((s, h) => s + h.conversions * 0.6, 0);
      expect(Math.abs(post.nowcast.mean / missing - 1)).toBeLessThan(0.1);
      expect(post.nowcast.sd).toBeGreaterThan(0);
      expect(reference.entities[i]?.nowcast).toEqual({ mean: 0, sd: 0 });
    });
  });

  it('an entity without history gets the pooled prior centred on the portfolio return', () => {
    const model = fitPortfolio(
      [
        ...truth.map((t) => ({ id: t.id, history: cleanHistory(t.curve, t.id), fallbackSpendMicros: 0 })),
        { id: 'new', history: [], fallbackSpendMicros: 100e6 },
      ],
      'conversions',
      asOf,
    );
    const post = model.entities[3];
    expect(post?.effectiveDays).toBe(0);
    expect(post?.typicalSpend).toBe(100);
    const average = (post ? posteriorAt(post, 100).response : 0) / 100;
    expect(average / model.pooledReturn).toBeGreaterThan(0.5);
    expect(average / model.pooledReturn).toBeLessThan(2);
  });

  it('restarts an entity whose level collapsed a few days ago, and leaves the others alone', () => {
    const collapsed = (t: (typeof truth)[number]) =>
      cleanHistory(t.curve, t.id).map((h, i) =>
        i < DAYS - 5 ? h : { ...h, conversions: h.conversions * 0.2, revenueMicros: Math.round(h.revenueMicros * 0.2) },
      );
    const histories = truth.map((t, i) => ({
      id: t.id,
      history: i === 0 ? collapsed(t) : cleanHistory(t.curve, t.id),
      fallbackSpendMicros: 0,
    }));
    const model = fitPortfolio(histories, 'conversions', asOf);
    const off = fitPortfolio(histories, 'conversions', asOf, { changePoint: false });
    expect(model.entities.map((e) => e.levelChange)).toEqual([
      { since: addDays(START, DAYS - 5), ratio: expect.closeTo(0.2, 1) },
      null,
      null,
    ]);
    expect(off.entities.map((e) => e.levelChange)).toEqual([null, null, null]);
    const kappa = truth[0]?.curve.kappa ?? 0;
    const want = (0.2 * (truth[0]?.curve.beta ?? 0)) / 2;
    const restarted = model.entities[0];
    const blended = off.entities[0];
    if (!restarted || !blended) throw new Error('missing posterior');
    // Recency weighting alone still believes in most of the old level; the restarted fit is near the new one.
    expect(Math.abs(posteriorAt(restarted, kappa).response / want - 1)).toBeLessThan(0.3);
    expect(posteriorAt(blended, kappa).response / want).toBeGreaterThan(2);
    expect(model.entities.slice(1)).toEqual(off.entities.slice(1));
  });
});
