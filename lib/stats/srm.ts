/** Sample-ratio mismatch: do the arms' units match the configured split? Only meaningful for randomized splits. */
import { chiSquareSf } from './distributions.ts';
import { InvalidStatsInputError } from './errors.ts';
import { insufficient, type Outcome } from './outcome.ts';

/** p-value below which the split is declared broken. */
export const SRM_ALARM_THRESHOLD = 0.001;

export interface SrmResult {
  readonly chiSquare: number;
  readonly df: number;
  readonly pValue: number;
  /** True when pValue < 0.001: the arms did not receive the traffic the split promised. */
  readonly alarm: boolean;
}

/** Chi-square goodness of fit of observed unit counts per arm against the split weights (normalized). */
export function srmTest(observed: readonly number[], weights: readonly number[]): Outcome<SrmResult> {
  if (observed.length !== weights.length) {
    throw new InvalidStatsInputError(`observed has ${observed.length} arms but weights has ${weights.length}`, 'weights');
  }
  if (observed.length < 2) throw new InvalidStatsInputError('an SRM check needs at least 2 arms', 'observed');
  for (const [i, count] of observed.entries()) {
    if (!(count >= 0 && Number.isFinite(count)))
      throw new InvalidStatsInputError(`observed[${i}] must be a non-negative count, got ${count}`, `observed[${i}]`);
  }
  for (const [i, weight] of weights.entries()) {
    if (!(weight > 0 && Number.isFinite(weight)))
      throw new InvalidStatsInputError(`weights[${i}] must be positive, got ${weight}`, `weights[${i}]`);
  }
  const total = observed.reduce((a, b) => a + b, 0);
  if (total === 0) return insufficient('no-observations', 'no units observed in any arm');
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let chiSquare = 0;
  for (const [i, count] of observed.entries()) {
    const expected = ((weights[i] ?? 0) / weightSum) * total;
    chiSquare += (count - expected) ** 2 / expected;
  }
  const df = observed.length - 1;
  const pValue = chiSquareSf(chiSquare, df);
  return { kind: 'ok', chiSquare, df, pValue, alarm: pValue < SRM_ALARM_THRESHOLD };
}
