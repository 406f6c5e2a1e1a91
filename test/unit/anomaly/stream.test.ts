import { describe, expect, it } from 'vitest';
import { AnomalyInputError } from '../../../lib/anomaly/errors.ts';
import { StreamingAnomalyDetector, scoreSeries } from '../../../lib/anomaly/stream.ts';
import { rng } from './simulated-adset.ts';

const FIVE_MINUTES = 300_000;
const DAY_ROWS = 288;

/** A 5-minute series with a daily cycle and Gaussian noise, plus an optional disturbance. */
function series(rows: number, seed: number, disturb: (t: number) => number = () => 0) {
  const random = rng(seed);
  const times = Float64Array.from({ length: rows }, (_, t) => Date.UTC(2026, 0, 5) + t * FIVE_MINUTES);
  const values = Float64Array.from({ length: rows }, (_, t) => {
    const noise = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
    return 50 + 20 * Math.sin((2 * Math.PI * t) / DAY_ROWS) + 2 * noise + disturb(t);
  });
  return { times, values };
}

const max = (xs: ArrayLike<number>, from: number, to: number) => Math.max(...Array.from(xs).slice(from, to));

describe('streaming detector', () => {
  it('is causal: a score never changes when later rows arrive', () => {
    const full = series(2400, 7, (t) => (t >= 2000 ? 15 : 0));
    const complete = scoreSeries(full);
    const prefix = scoreSeries({ times: full.times.slice(0, 1500), values: full.values.slice(0, 1500) });
    expect(Array.from(prefix)).toEqual(Array.from(complete.slice(0, 1500)));
  });

  it('scores a spike above everything a clean stretch of the same series produced', () => {
    const s = series(3000, 11, (t) => (t === 2600 ? 25 : 0));
    const scores = scoreSeries(s);
    expect(scores[2600]).toBeGreaterThan(0.6);
    expect(scores[2600]).toBeGreaterThan(max(scores, 500, 2600));
  });

  it('flags a level shift when it starts and a seasonal break on the day it happens', () => {
    const shift = scoreSeries(series(3000, 3, (t) => (t >= 2500 ? 12 : 0)));
    expect(max(shift, 2500, 2510)).toBeGreaterThan(max(shift, 500, 2500));
    // One day the cycle runs flat at its mean: values stay inside the usual range, only the shape is wrong.
    const flat = series(4000, 5, (t) => (t >= 3500 && t < 3500 + DAY_ROWS ? -20 * Math.sin((2 * Math.PI * t) / DAY_ROWS) : 0));
    const scores = scoreSeries(flat);
    expect(max(scores, 3500, 3500 + DAY_ROWS)).toBeGreaterThan(max(scores, 600, 3500));
  });

  it('stays quiet on clean noise: no row is scored like a new alarm after the warm-up', () => {
    for (const seed of [1, 2, 3]) {
      const scores = scoreSeries(series(3000, seed));
      expect(max(scores, 600, 3000)).toBeLessThan(0.6);
    }
  });

  it('gives a constant series zero everywhere and tolerates repeated or backward timestamps', () => {
    const flat = scoreSeries({
      times: Float64Array.from({ length: 500 }, (_, i) => i * FIVE_MINUTES),
      values: new Float64Array(500).fill(3),
    });
    expect(Math.max(...flat)).toBe(0);
    const detector = new StreamingAnomalyDetector();
    const scores = [0, FIVE_MINUTES, FIVE_MINUTES, 0, 2 * FIVE_MINUTES].map((t, i) => detector.update(t, i));
    expect(scores).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects non-finite values and bad parameters', () => {
    expect(() => new StreamingAnomalyDetector().update(0, Number.NaN)).toThrow(AnomalyInputError);
    expect(() => new StreamingAnomalyDetector({ suppressionRows: 0 })).toThrow(AnomalyInputError);
    expect(() => scoreSeries({ times: [1, 2], values: [1] })).toThrow(AnomalyInputError);
  });
});
