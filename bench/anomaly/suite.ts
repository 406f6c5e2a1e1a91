import type { Rng } from '../../lib/sim/random.ts';

/** The shape every part of the anomaly benchmark (`npm run bench -- anomaly [suite...]`) shares. */
/** Where a suite may read and write. */
export interface SuiteContext {
  readonly projectRoot: string;
  readonly resultsDir: string;
  /** The bench's `--name=value` options. */
  readonly options: Readonly<Record<string, string>>;
}

/** A suite's printed table and the JSON it contributes to bench-results/anomaly.json. */
export interface SuiteReport {
  readonly title: string;
  readonly rows: readonly Record<string, string | number>[];
  readonly notes: readonly string[];
  readonly result: unknown;
}

/** One part of the anomaly benchmark. */
export interface AnomalyBenchSuite {
  readonly name: string;
  run(context: SuiteContext): Promise<SuiteReport>;
}

/** One euro in micros. */
export const EUR = 1_000_000;
/** A uniform draw in [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();
/** A draw uniform on the log scale in [lo, hi). */
export const logUniform = (rng: Rng, lo: number, hi: number) => Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));
/** The median, NaN for none. */
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
/** A share as a percentage with one decimal, '–' for NaN. */
export const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
