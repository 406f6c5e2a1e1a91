import { describe, expect, it } from 'vitest';
import { cusum, dropGlr, ewmaChart, runTotals, siegmundArl } from '../../../lib/anomaly/control-charts.ts';
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

describe('GLR drop test', () => {
  const day = (observed: number, expected = 100, variance = 100) => ({ observed, expected, variance });

  it('finds the run with the strongest drop: z = S/√I with S = Σ e(e − o)/v and I = Σ e²/v', () => {
    // Runs from the end: [70] z = 30/10 = 3; [70, 70] z = 60/√200 ≈ 4.24; adding a normal day only dilutes it.
    expect(dropGlr([day(100), day(100), day(70), day(70)])).toEqual({ start: 2, z: 60 / Math.sqrt(200), ratio: 0.7 });
  });

  it("counts the reference's own error once for the whole run: (Σ e²/v)²·ρ joins the variance", () => {
    // ρ = 0.01: [70] 30/√(100 + 100) ≈ 2.12, [70, 70] 60/√(200 + 400) ≈ 2.45, [100, 70, 70] 60/√(300 + 900) ≈ 1.73.
    expect(dropGlr([day(100), day(100), day(70), day(70)], 0.01)).toEqual({ start: 2, z: 60 / Math.sqrt(600), ratio: 0.7 });
  });

  it('clips a wild day at ±4σ so it cannot carry a run alone, and finds nothing without a drop', () => {
    expect(dropGlr([day(100), day(0)])).toEqual({ start: 1, z: 4, ratio: 0 });
    expect(dropGlr([day(110), day(100), day(120)])).toBeNull();
    expect(dropGlr([])).toBeNull();
  });

  it('on in-control Gaussian days exceeds z = 3 on 0.13%–1% of 14-day windows (one window alone: 0.135%)', () => {
    const random = rng(7);
    const windows = 20000;
    let alarms = 0;
    for (let w = 0; w < windows; w++) {
      const days = Array.from({ length: 14 }, () => day(100 + 10 * gaussian(random)));
      if ((dropGlr(days)?.z ?? 0) >= 3) alarms++;
    }
    expect(alarms / windows).toBeGreaterThan(0.00135);
    expect(alarms / windows).toBeLessThan(0.01);
  });

  it("sums a run's totals with the band's standard deviation √(Σv + (Σe)²ρ)", () => {
    expect(runTotals([day(100), day(80), day(70)], 1, 0.01)).toEqual({ observed: 150, expected: 200, sd: Math.sqrt(200 + 400) });
  });
});
