import { describe, expect, it } from 'vitest';
import { detectLevelChange, type LevelDay } from '../../../lib/allocation/change-point.ts';
import { SeededRandom } from '../../../lib/allocation/random.ts';

/** Poisson count with mean `mu` (Knuth's method; the means here are small). */
function poisson(rng: SeededRandom, mu: number): number {
  const limit = Math.exp(-mu);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/** `days` days (age 0 = most recent) with fitted mean `expected`; the `changedDays` most recent run at `factor` times it. */
function history(seed: string, days: number, expected: number, changedDays: number, factor: number): LevelDay[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: days }, (_, age) => ({
    age,
    observed: poisson(rng, expected * (age < changedDays ? factor : 1)),
    expected,
    weight: 1,
  }));
}

describe('detectLevelChange', () => {
  it('finds a collapse to 15% four days ago, at the right split', () => {
    const change = detectLevelChange(history('collapse', 40, 8, 4, 0.15));
    expect(change).not.toBeNull();
    expect(change?.afterDays).toBe(4);
    expect(change?.oldestAge).toBe(3);
    expect(change?.ratio).toBeLessThan(0.4);
  });

  it('finds a doubling as well as a drop', () => {
    const change = detectLevelChange(history('lift', 40, 8, 6, 2));
    expect(change?.afterDays).toBe(6);
    expect(change?.ratio).toBeGreaterThan(1.6);
  });

  it('rarely fires on stable Poisson histories: at most 1% of 400 at the default threshold', () => {
    const stable = Array.from({ length: 400 }, (_, i) => history(`stable-${i}`, 56, 6, 0, 1));
    expect(stable.filter((days) => detectLevelChange(days) !== null).length).toBeLessThanOrEqual(4);
    // A stricter threshold trades speed for even fewer restarts.
    expect(stable.filter((days) => detectLevelChange(days, { threshold: 10 }) !== null)).toEqual([]);
  });

  it('needs the minimum number of days after the change and before it', () => {
    expect(detectLevelChange(history('young', 40, 8, 2, 0.1))).toBeNull();
    expect(detectLevelChange(history('young', 40, 8, 2, 0.1), { minAfterDays: 2 })?.afterDays).toBe(2);
    // Too little history before the split to compare against.
    expect(detectLevelChange(history('short', 8, 8, 4, 0.1))).toBeNull();
  });

  it('ignores a change smaller than the ratio floor, however sure', () => {
    const days = history('small', 56, 400, 20, 1.2);
    expect(detectLevelChange(days, { minRatio: 1.3 })).toBeNull();
    expect(detectLevelChange(days, { minRatio: 1.1 })?.afterDays).toBe(20);
  });

  it('judges observed against fitted response, so a spend change explained by the curve is no change', () => {
    const rng = new SeededRandom('spend');
    // The budget tripled 10 days ago; the fitted curve expects it, and the counts follow the curve.
    const days = Array.from({ length: 40 }, (_, age) => {
      const expected = age < 10 ? 15 : 5;
      return { age, observed: poisson(rng, expected), expected, weight: 1 };
    });
    expect(detectLevelChange(days)).toBeNull();
  });
});
