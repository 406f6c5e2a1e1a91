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
