import { describe, expect, it } from 'vitest';
import { hashSeed, logGamma, Rng } from '../../../lib/sim/random.ts';

function draws(n: number, draw: () => number): number[] {
  return Array.from({ length: n }, draw);
}

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** Mean within 5 standard errors and variance within 10% of the distribution's. */
function expectMoments(xs: readonly number[], mean: number, variance: number): void {
  const m = moments(xs);
  expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / xs.length));
  expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.1);
}

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = draws(
      5,
      (() => {
        const r = new Rng(123);
        return () => r.next();
      })(),
    );
    const b = draws(
      5,
      (() => {
        const r = new Rng(123);
        return () => r.next();
      })(),
    );
    const c = draws(
      5,
      (() => {
        const r = new Rng(124);
        return () => r.next();
      })(),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('derives independent streams from parts, stable across runs', () => {
    expect(hashSeed(42, '23850000000001', '2026-10-01')).toBe(hashSeed(42, '23850000000001', '2026-10-01'));
    expect(new Set([hashSeed(42, 'a', 'b'), hashSeed(42, 'ab', ''), hashSeed(42, 'a', 'c'), hashSeed(43, 'a', 'b')]).size).toBe(4);
    expect(Rng.fromParts(7, 'adset', '2026-01-01').next()).toBe(new Rng(hashSeed(7, 'adset', '2026-01-01')).next());
  });

  it('keeps its golden values (a change would silently change every simulated market)', () => {
    const r = new Rng(123);
    expect([hashSeed(1, 'x'), hashSeed(42, '23850000000001', '2026-10-01'), r.next(), r.next()]).toEqual([
      166572575, 2104787329, 0.7872516233474016, 0.1785435655619949,
    ]);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(1);
    const xs = draws(20_000, () => r.next());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expectMoments(xs, 0.5, 1 / 12);
  });

  it('draws normals', () => {
    const r = new Rng(2);
    expectMoments(
      draws(20_000, () => r.normal(3, 2)),
      3,
      4,
    );
  });

  it('draws gammas for shape above and below 1', () => {
    const r = new Rng(3);
    expectMoments(
      draws(20_000, () => r.gamma(2.5, 3)),
      7.5,
      22.5,
    );
    expectMoments(
      draws(20_000, () => r.gamma(0.5, 2)),
      1,
      2,
    );
  });

  it('draws Poisson counts for small and large means', () => {
    const r = new Rng(4);
    const small = draws(20_000, () => r.poisson(4));
    expect(small.every(Number.isInteger)).toBe(true);
    expectMoments(small, 4, 4);
    expectMoments(
      draws(20_000, () => r.poisson(250)),
      250,
      250,
    );
    expectMoments(
      draws(5_000, () => r.poisson(50_000)),
      50_000,
      50_000,
    );
    expect(r.poisson(0)).toBe(0);
  });

  it('matches the Poisson(25) probabilities in the PTRS regime (reference: math.lgamma, tolerance 0.005)', () => {
    const r = new Rng(5);
    const n = 50_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = r.poisson(25);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const pmf: [number, number][] = [
      [15, 0.009890960588464733],
      [20, 0.05191746860849122],
      [25, 0.07952295146806541],
      [30, 0.04541278513011839],
      [35, 0.011384281016307582],
    ];
    for (const [k, p] of pmf) expect(Math.abs((counts.get(k) ?? 0) / n - p)).toBeLessThan(0.005);
  });

  it('draws overdispersed negative binomials: variance = mean + mean²/r', () => {
    const r = new Rng(6);
    expectMoments(
      draws(20_000, () => r.negativeBinomial(10, 5)),
      10,
      30,
    );
    expect(r.negativeBinomial(0, 5)).toBe(0);
  });

  it('rejects invalid parameters', () => {
    const r = new Rng(7);
    expect(() => r.gamma(0)).toThrow(RangeError);
    expect(() => r.poisson(-1)).toThrow(RangeError);
    expect(() => r.negativeBinomial(3, 0)).toThrow(RangeError);
  });
});

describe('logGamma', () => {
  it('matches Python math.lgamma to 1e-9 relative', () => {
    const reference: [number, number][] = [
      [0.5, 0.5723649429247004],
      [1, 0],
      [3, Math.LN2],
      [7.5, 7.534364236758734],
      [10, 12.801827480081467],
      [100.5, 361.4355404677776],
      [10000.25, 82102.0200721603],
    ];
    for (const [x, expected] of reference)
      expect(Math.abs(logGamma(x) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  });
});
