import { describe, expect, it } from 'vitest';
import { cusum, ewmaChart, siegmundArl } from '../../../lib/anomaly/control-charts.ts';
import { rng } from './simulated-adset.ts';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

describe('EWMA chart', () => {
  it('smooths with λ and widens its limits towards the asymptote Lσ√(λ/(2−λ))', () => {
    const chart = ewmaChart([10, 12, 8], 10, 2, 0.2, 3);
    expect(chart.map((p) => p.value)).toEqual([10, 0.2 * 12 + 0.8 * 10, 0.2 * 8 + 0.8 * (0.2 * 12 + 0.8 * 10)]);
    const first = 3 * 2 * Math.sqrt((0.2 / 1.8) * (1 - 0.8 ** 2));
    expect(chart[0]?.lower).toBeCloseTo(10 - first, 12);
    expect(chart[0]?.upper).toBeCloseTo(10 + first, 12);
    const long = ewmaChart(new Array(200).fill(10), 10, 2, 0.2, 3);
    expect(long[199]?.upper).toBeCloseTo(10 + 3 * 2 * Math.sqrt(0.2 / 1.8), 9);
  });
});

describe('CUSUM', () => {
  it('accumulates deviations beyond k and resets at zero', () => {
    expect(cusum([1, 1, -3, 0.2, 2], 0.5)).toEqual({ upper: [0.5, 1, 0, 0, 1.5], lower: [0, 0, 2.5, 1.8, 0] });
  });

  it("Siegmund's ARL: in control ≈ 338 days at h = 4 and ≈ 938 at h = 5 (k = 0.5), short for a 2σ shift", () => {
    const arl = (h: number) => (Math.exp(2 * 0.5 * (h + 1.166)) - 2 * 0.5 * (h + 1.166) - 1) / (2 * 0.25);
    expect(siegmundArl(0, 0.5, 4)).toBeCloseTo(arl(4), 9);
    expect(siegmundArl(0, 0.5, 4)).toBeCloseTo(338.09, 2);
    expect(siegmundArl(0, 0.5, 5)).toBeCloseTo(938.22, 2);
    expect(siegmundArl(2, 0.5, 5)).toBeCloseTo((Math.exp(-2 * 1.5 * 6.166) + 2 * 1.5 * 6.166 - 1) / (2 * 2.25), 12);
    expect(siegmundArl(0.5, 0.5, 5)).toBeCloseTo(6.166 ** 2, 12);
  });

  it('the in-control run length of a simulated CUSUM agrees with Siegmund within 10% (h = 4)', () => {
    const random = rng(42);
    const runs = 1500;
    let total = 0;
    for (let r = 0; r < runs; r++) {
      let c = 0;
      let t = 0;
      do {
        t++;
        c = Math.max(0, gaussian(random) - 0.5 + c);
      } while (c <= 4);
      total += t;
    }
    const simulated = total / runs;
    expect(Math.abs(simulated / siegmundArl(0, 0.5, 4) - 1)).toBeLessThan(0.1);
  });
});
