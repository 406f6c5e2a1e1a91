import { describe, expect, it } from 'vitest';
import { DEFAULT_MATURITY_FLOOR, MATURITY_FLOOR, maturityAt } from '../../../lib/anomaly/maturity.ts';
import { MIN_SPEND_ELASTICITY, spendResponse } from '../../../lib/anomaly/spend-response.ts';

describe("spendResponse: the lenient expected response at a day's spend", () => {
  it('is linear up to the reference spend and s₀·(s/s₀)^0.5 above it', () => {
    const g = spendResponse(100);
    expect([0, 50, 100, 200, 400].map(g)).toEqual([0, 50, 100, 100 * Math.SQRT2, 200]);
    expect(MIN_SPEND_ELASTICITY).toBe(0.5);
  });

  it('expects CPA to rise by √(spend ratio) above the reference and to hold below it', () => {
    const g = spendResponse(100);
    const cpaRatio = (spend: number) => spend / g(spend) / (100 / g(100));
    const ratios = [50, 100, 200, 300].map(cpaRatio);
    expect(ratios.map((r, i) => Math.abs(r - ([1, 1, Math.SQRT2, Math.sqrt(3)][i] ?? 0)) < 1e-12)).toEqual([true, true, true, true]);
  });

  it('uses a given elasticity, and the spend itself when there is no reference level', () => {
    expect(spendResponse(100, 0.8)(200)).toBeCloseTo(100 * 2 ** 0.8, 9);
    expect(spendResponse(0)(70)).toBe(70);
  });
});

describe('maturityAt: the floor of reported conversions by age', () => {
  it('reads the profile by age and holds its last entry for older days', () => {
    expect([0, 1, 2, 3, 10].map((age) => maturityAt(MATURITY_FLOOR.meta, age))).toEqual([0.75, 0.85, 0.9, 0.9, 0.9]);
    expect([0, 5].map((age) => maturityAt(DEFAULT_MATURITY_FLOOR, age))).toEqual([0.5, 0.5]);
  });

  it('keeps shares within [0, 1] and treats a negative age as the judged day', () => {
    expect([maturityAt([1.2], 0), maturityAt([-0.1], 0), maturityAt([0.6, 0.8], -1)]).toEqual([1, 0, 0.6]);
  });
});
