/** EWMA and CUSUM control charts (STATS_REFERENCE §3) and Siegmund's ARL approximation for CUSUM. */

/** One EWMA step of a chart: its value and control limits at step t (1-based). */
export interface EwmaPoint {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * EWMA z_t = λx_t + (1−λ)z_{t−1}, z_0 = μ₀, with limits μ₀ ± Lσ√(λ/(2−λ)·[1−(1−λ)^{2t}]).
 */
export function ewmaChart(xs: readonly number[], mu0: number, sigma: number, lambda = 0.2, limit = 3): EwmaPoint[] {
  let z = mu0;
  return xs.map((x, i) => {
    z = lambda * x + (1 - lambda) * z;
    const t = i + 1;
    const half = limit * sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * t)));
    return { value: z, lower: mu0 - half, upper: mu0 + half };
  });
}

/** Upper and lower CUSUM paths in σ units for standardized inputs z_t = (x_t − μ₀)/σ. */
export interface CusumPath {
  /** C⁺_t = max(0, z_t − k + C⁺_{t−1}): detects upward shifts. */
  readonly upper: number[];
  /** C⁻_t = max(0, −z_t − k + C⁻_{t−1}): detects downward shifts. */
  readonly lower: number[];
}

/** Tabular CUSUM with reference value k (in σ), the standard k = 0.5 tuning for a 1σ shift. */
export function cusum(zs: readonly number[], k = 0.5): CusumPath {
  const upper: number[] = [];
  const lower: number[] = [];
  let up = 0;
  let down = 0;
  for (const z of zs) {
    up = Math.max(0, z - k + up);
    down = Math.max(0, -z - k + down);
    upper.push(up);
    lower.push(down);
  }
  return { upper, lower };
}

/**
 * Siegmund's approximation of a one-sided CUSUM's average run length for a mean shift δ (in σ):
 * ARL ≈ (e^{−2Δb} + 2Δb − 1)/(2Δ²), Δ = δ − k, b = h + 1.166. With δ = 0 it is the in-control ARL
 * (days between false alarms on daily data).
 */
export function siegmundArl(delta: number, k = 0.5, h = 5): number {
  const d = delta - k;
  const b = h + 1.166;
  if (Math.abs(d) < 1e-12) return b * b;
  return (Math.exp(-2 * d * b) + 2 * d * b - 1) / (2 * d * d);
}

/** One day of a count (or sum) against what was expected of it. */
export interface ExpectedDay {
  readonly observed: number;
  /** Expected value without a fault. */
  readonly expected: number;
  /** Variance of the observation around `expected` (the day's own noise, not the reference's). */
  readonly variance: number;
}

/** The strongest evidence of a downward step: where the run starts, its z, and observed/expected over it. */
export interface DropEvidence {
  /** Index of the run's first day; the run goes to the last day. */
  readonly start: number;
  /** One-sided z of the run's drop; the likelihood ratio of a step is z²/2. */
  readonly z: number;
  /** Σ observed / Σ expected over the run. */
  readonly ratio: number;
}

/**
 * Window-limited GLR test for a multiplicative drop (observed ≈ θ·expected, θ < 1) starting on any day of the
 * window and lasting to its last day (Lai 1995; Willsky & Jones 1976). For each candidate start the efficient
 * score S = Σ e_t(e_t − o_t)/v_t is standardized by its variance, which also carries the reference's own
 * estimation error (relative variance `referenceRelVar`, shared by every day, so it adds (Σ e²/v)²·ρ).
 * One wild day cannot carry a run: each day's standardized residual is clipped at ±`clip`. A large step
 * shows in one or two days, a small one accumulates over the window: no fixed reference shift k as in CUSUM.
 */
export function dropGlr(days: readonly ExpectedDay[], referenceRelVar = 0, clip = 4): DropEvidence | null {
  let best: DropEvidence | null = null;
  let score = 0;
  let information = 0;
  let observed = 0;
  let expected = 0;
  for (let start = days.length - 1; start >= 0; start--) {
    const day = days[start];
    if (day === undefined || !(day.expected > 0) || !(day.variance > 0)) continue;
    const sd = Math.sqrt(day.variance);
    const residual = Math.max(-clip, Math.min(clip, (day.expected - day.observed) / sd));
    score += (day.expected / sd) * residual;
    information += (day.expected * day.expected) / day.variance;
    observed += day.observed;
    expected += day.expected;
    const z = score / Math.sqrt(information + information * information * referenceRelVar);
    if (z > 0 && (best === null || z > best.z)) best = { start, z, ratio: observed / expected };
  }
  return best;
}

/** Totals of a run (days from `start` to the last): observed, expected, and the standard deviation of the observed total. */
export function runTotals(
  days: readonly ExpectedDay[],
  start: number,
  referenceRelVar = 0,
): { readonly observed: number; readonly expected: number; readonly sd: number } {
  const run = days.slice(start);
  const expected = run.reduce((s, d) => s + d.expected, 0);
  const variance = run.reduce((s, d) => s + d.variance, 0) + expected * expected * referenceRelVar;
  return { observed: run.reduce((s, d) => s + d.observed, 0), expected, sd: Math.sqrt(variance) };
}
