/** Test vectors of STATS_REFERENCE.md §2 (tolerance 1e-5 unless stated). */
import { describe, expect, it } from 'vitest';
import { geometricAdstock, hillResponse, mmClosedFormSplit, mmMarginal, mmResponse } from '../../../lib/allocation/curves.ts';
import { waterFill } from '../../../lib/allocation/water-fill.ts';

const curves = [
  { beta: 100, kappa: 10 },
  { beta: 100, kappa: 40 },
];

describe('closed-form Michaelis–Menten split', () => {
  it('β=(100,100), γ=(10,40), B=100 → x=(40,60), marginal 0.4 each, total 140.00, even split 138.89', () => {
    const x = mmClosedFormSplit(curves, 100);
    expect(x[0]).toBeCloseTo(40, 5);
    expect(x[1]).toBeCloseTo(60, 5);
    expect(mmMarginal(40, curves[0] ?? { beta: 0, kappa: 1 })).toBeCloseTo(0.4, 5);
    expect(mmMarginal(60, curves[1] ?? { beta: 0, kappa: 1 })).toBeCloseTo(0.4, 5);
    const total = curves.reduce((s, c, i) => s + mmResponse(x[i] ?? 0, c), 0);
    expect(total).toBeCloseTo(140, 5);
    const even = curves.reduce((s, c) => s + mmResponse(50, c), 0);
    expect(even).toBeCloseTo(138.888889, 5);
  });

  it('the bounded water-filling gives the same split when bounds do not bind', () => {
    const result = waterFill(
      curves.map((curve) => ({ curve, lo: 0, hi: 100 })),
      100,
    );
    expect(result.fit).toBe('ok');
    expect(result.spend[0]).toBeCloseTo(40, 5);
    expect(result.spend[1]).toBeCloseTo(60, 5);
    expect(result.marginal).toBeCloseTo(0.4, 5);
  });

  it('clips to bounds and re-solves: the other ad set takes the rest', () => {
    const result = waterFill(
      curves.map((curve, i) => ({ curve, lo: 0, hi: i === 0 ? 30 : 100 })),
      100,
    );
    expect(result.spend[0]).toBeCloseTo(30, 6);
    expect(result.spend[1]).toBeCloseTo(70, 6);
  });

  it('a poor curve whose closed form is negative is clipped to its minimum', () => {
    const items = [
      { curve: { beta: 100, kappa: 10 }, lo: 5, hi: 1000 },
      { curve: { beta: 1, kappa: 100 }, lo: 5, hi: 1000 },
    ];
    expect(
      mmClosedFormSplit(
        items.map((i) => i.curve),
        50,
      )[1],
    ).toBeLessThan(0);
    const result = waterFill(items, 50);
    expect(result.spend[0]).toBeCloseTo(45, 6);
    expect(result.spend[1]).toBeCloseTo(5, 6);
  });

  it('reports a budget outside the bounds and pins every ad set to that bound', () => {
    const items = curves.map((curve) => ({ curve, lo: 20, hi: 30 }));
    expect(waterFill(items, 30)).toEqual({ spend: [20, 20], marginal: Number.NaN, fit: 'below-minimums' });
    expect(waterFill(items, 90)).toEqual({ spend: [30, 30], marginal: Number.NaN, fit: 'above-maximums' });
  });
});

describe('Hill and adstock vectors', () => {
  it('x=(0,25,50,75,100), α=2, κ=50 → y/β = (0, 0.2, 0.5, 0.6923, 0.8)', () => {
    const ys = [0, 25, 50, 75, 100].map((x) => hillResponse(x, { beta: 1, alpha: 2, kappa: 50 }));
    const expected = [0, 0.2, 0.5, 0.692308, 0.8];
    ys.forEach((y, i) => {
      expect(y).toBeCloseTo(expected[i] ?? Number.NaN, 5);
    });
  });

  it('α = 1 is Michaelis–Menten', () => {
    expect(hillResponse(30, { beta: 7, alpha: 1, kappa: 20 })).toBeCloseTo(mmResponse(30, { beta: 7, kappa: 20 }), 12);
  });

  it('x=(100,0,0,0), θ=0.5 → (100, 50, 25, 12.5)', () => {
    expect(geometricAdstock([100, 0, 0, 0], 0.5)).toEqual([100, 50, 25, 12.5]);
  });
});
