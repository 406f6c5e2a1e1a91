/**
 * Tail probabilities for daily counts (conversions, clicks): Poisson, and a negative binomial with
 * variance φ·mean for the overdispersion real ad data show. Counts get these, not z-scores on ratios.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; |error| < 1e-13 in the range used here). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] ?? 1;
  for (let i = 1; i < c.length; i++) sum += (c[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(X = k) for X ~ Poisson(λ). */
export function poissonPmf(k: number, lambda: number): number {
  if (k < 0 || !Number.isInteger(k)) return 0;
  if (lambda === 0) return k === 0 ? 1 : 0;
  return Math.exp(k * Math.log(lambda) - lambda - logGamma(k + 1));
}

/** P(X ≤ k) for X ~ Poisson(λ); P(0 | λ) = e^−λ. */
export function poissonCdf(k: number, lambda: number): number {
  if (k < 0) return 0;
  let sum = 0;
  for (let i = 0; i <= Math.floor(k); i++) sum += poissonPmf(i, lambda);
  return Math.min(sum, 1);
}

/** Smallest k with P(X ≤ k) ≥ p, for X ~ Poisson(λ). */
export function poissonQuantile(p: number, lambda: number): number {
  let k = 0;
  let cdf = poissonPmf(0, lambda);
  while (cdf < p && k < 1e7) {
    k++;
    cdf += poissonPmf(k, lambda);
  }
  return k;
}

/**
 * P(X = k) for a negative binomial with the given mean and variance dispersion·mean (dispersion ≥ 1;
 * at 1 it is the Poisson). Parametrized as size r = mean/(φ−1), success probability 1/φ.
 */
export function negBinomialPmf(k: number, mean: number, dispersion: number): number {
  if (dispersion <= 1 + 1e-9) return poissonPmf(k, mean);
  if (k < 0 || !Number.isInteger(k)) return 0;
  if (mean === 0) return k === 0 ? 1 : 0;
  const r = mean / (dispersion - 1);
  const logP = -Math.log(dispersion);
  const logQ = Math.log1p(-1 / dispersion);
  return Math.exp(logGamma(k + r) - logGamma(r) - logGamma(k + 1) + r * logP + k * logQ);
}

/** P(X ≤ k) for the negative binomial above; P(0) = φ^(−mean/(φ−1)). */
export function negBinomialCdf(k: number, mean: number, dispersion: number): number {
  if (k < 0) return 0;
  let sum = 0;
  for (let i = 0; i <= Math.floor(k); i++) sum += negBinomialPmf(i, mean, dispersion);
  return Math.min(sum, 1);
}

/** Smallest k with P(X ≤ k) ≥ p under the negative binomial above. */
export function negBinomialQuantile(p: number, mean: number, dispersion: number): number {
  let k = 0;
  let cdf = negBinomialPmf(0, mean, dispersion);
  while (cdf < p && k < 1e7) {
    k++;
    cdf += negBinomialPmf(k, mean, dispersion);
  }
  return k;
}

/**
 * Dispersion φ of counts against their expected values: Pearson χ²/(n−1), at least 1 (never claim
 * less noise than Poisson) and at most `cap` (a few wild days must not make every collapse look normal).
 */
export function estimateDispersion(observed: readonly number[], expected: readonly number[], cap = 10): number {
  let chi2 = 0;
  let n = 0;
  observed.forEach((o, i) => {
    const e = expected[i] ?? 0;
    if (e > 0) {
      chi2 += (o - e) ** 2 / e;
      n++;
    }
  });
  if (n < 2) return 1;
  return Math.min(Math.max(chi2 / (n - 1), 1), cap);
}
