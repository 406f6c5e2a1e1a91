/**
 * Special functions and the distributions the tests need: normal, Student t and chi-square.
 * Written here (not a dependency) because they are small, well known and must be exact to ~1e-12:
 * Lanczos log-gamma, Numerical Recipes' incomplete gamma (series / continued fraction) and
 * incomplete beta (modified Lentz), Acklam's normal quantile refined by one Halley step.
 */
import { ConvergenceError } from './errors.ts';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Natural log of the gamma function for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized lower incomplete gamma P(a, x) by its power series (converges fast for x < a + 1). */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }
  throw new ConvergenceError(`gamma series did not converge for a=${a}, x=${x}`, 'gammaSeries');
}

/** Stirling series remainder lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], accurate for x ≥ 10. */
function stirlingCorrection(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}

/** ln B(a, b) without cancelling two huge log-gammas when one argument is large (t with many degrees of freedom). */
export function logBeta(a: number, b: number): number {
  const large = Math.max(a, b);
  const small = Math.min(a, b);
  if (large < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = large + small;
  return (
    logGamma(small) -
    (large - 0.5) * Math.log1p(small / large) -
    small * Math.log(sum) +
    small +
    stirlingCorrection(large) -
    stirlingCorrection(sum)
  );
}

/** Regularized upper incomplete gamma Q(a, x) by its continued fraction (converges fast for x ≥ a + 1). */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }
  throw new ConvergenceError(`gamma continued fraction did not converge for a=${a}, x=${x}`, 'gammaContinuedFraction');
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a). */
export function upperIncompleteGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  throw new ConvergenceError(`beta continued fraction did not converge for a=${a}, b=${b}, x=${x}`, 'betaContinuedFraction');
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  return incompleteBetaWithComplement(x, 1 - x, a, b);
}

/** I_x(a, b) given both x and y = 1 − x, so a caller that knows y exactly (t tails near x = 1) keeps its digits. */
function incompleteBetaWithComplement(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log(y) - logBeta(a, b));
  // The continued fraction converges quickly only below the mean; use the symmetry relation above it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal upper tail 1 − Φ(x), accurate far into the tail (erfc through Q(1/2, x²/2)). */
export function normalSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * upperIncompleteGamma(0.5, (x * x) / 2);
  return x >= 0 ? tail : 1 - tail;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalSf(-x);
}

const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (const c of coefficients) value = value * x + c;
  return value;
}

/** Standard normal quantile Φ⁻¹(p), 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  // One Halley step against the accurate CDF takes Acklam's 1e-9 to full double precision.
  const error = p < 0.5 ? normalCdf(x) - p : -(normalSf(x) - (1 - p));
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Upper tail of Student's t with `df` degrees of freedom, P(T > t). */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(df)) return normalSf(t);
  const tail = 0.5 * incompleteBetaWithComplement(df / (df + t * t), (t * t) / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** Student t CDF P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalPdf(t);
  const logDensity = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/** Student t quantile: the t with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTUpperQuantile(p, df);
  return studentTUpperQuantile(1 - p, df);
}

/** The t > 0 with P(T > t) = q for 0 < q < 1/2, solved on the upper tail so small q keeps its precision. */
function studentTUpperQuantile(q: number, df: number): number {
  if (!Number.isFinite(df)) return -normalQuantile(q);
  if (df === 1) return Math.tan(Math.PI * (0.5 - q));
  if (df === 2) {
    const p = 1 - q;
    return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  }
  // Cornish–Fisher start, then safeguarded Newton: keep a bracket [lo, hi] and bisect when a step leaves it.
  const z = -normalQuantile(q);
  let x = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  let lo = 0;
  let hi = Math.max(2 * x, 1);
  while (studentTSf(hi, df) > q) hi *= 2;
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const excess = studentTSf(x, df) - q;
    if (excess > 0) lo = x;
    else hi = x;
    let next = x + excess / studentTPdf(x, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  throw new ConvergenceError(`t quantile did not converge for q=${q}, df=${df}`, 'studentTQuantile');
}

/** Upper tail of the chi-square distribution with k degrees of freedom. */
export function chiSquareSf(x: number, k: number): number {
  return upperIncompleteGamma(k / 2, x / 2);
}
