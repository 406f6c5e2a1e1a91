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
/** A `--name=N` option as a whole number ≥ 0, undefined when not given. */
export function wholeNumberOption(options: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${raw}`);
  return n;
}

/** A table as text lines, for the notes under the main table. */
export function formatTable(rows: readonly Record<string, string | number>[]): string[] {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => String(r[c] ?? ''))))];
}
