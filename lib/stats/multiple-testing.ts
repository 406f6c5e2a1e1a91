/** Multiplicity corrections across ad sets × metrics. */
import { InvalidStatsInputError } from './errors.ts';

/** Holm controls the family-wise error rate; Benjamini–Hochberg the false discovery rate. */
export type AdjustmentMethod = 'holm' | 'bh';

/** Adjusted p-values, in the order of the input. */
export function adjustPValues(pValues: readonly number[], method: AdjustmentMethod): number[] {
  for (const [i, p] of pValues.entries()) {
    if (!(p >= 0 && p <= 1)) throw new InvalidStatsInputError(`p-values must be in [0, 1], got ${p} at ${i}`, `pValues[${i}]`);
  }
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const adjusted = new Array<number>(m).fill(1);
  if (method === 'holm') {
    // Ascending: p_(i)·(m − i + 1), running maximum, capped at 1.
    let runningMax = 0;
    order.forEach(({ p, index }, i) => {
      runningMax = Math.max(runningMax, Math.min(1, p * (m - i)));
      adjusted[index] = runningMax;
    });
  } else {
    // Descending: p_(i)·m/i, running minimum, capped at 1.
    let runningMin = 1;
    for (let i = m - 1; i >= 0; i--) {
      const entry = order[i];
      if (!entry) continue;
      // p·(m/rank) rather than (p·m)/rank: the factor is ≥ 1, so rounding can never push the result below p.
      runningMin = Math.min(runningMin, entry.p * (m / (i + 1)));
      adjusted[entry.index] = runningMin;
    }
  }
  return adjusted;
}
