/** Plain-words summaries of a comparison, for the CLI and the report ("B beats A on ROAS: +14% [+6%, +22%], …"). */
import type { Comparison } from './evaluate.ts';
import { METRICS, type TestMetric } from './metrics.ts';

/** Signed whole percent, one decimal below 1%: 0.1412 → "+14%", -0.004 → "-0.4%". */
export function formatEffect(relative: number): string {
  const percent = relative * 100;
  const digits = Math.abs(percent) < 1 && percent !== 0 ? 1 : 0;
  const text = Math.abs(percent).toFixed(digits);
  if (Number(text) === 0) return '0%';
  return `${percent < 0 ? '-' : '+'}${text}%`;
}

function formatInterval([lo, hi]: readonly [number, number]): string {
  return `[${formatEffect(lo)}, ${formatEffect(hi)}]`;
}

/**
 * The winner's effect against the loser. Effects are treatment against control (ratio − 1); when the control
 * won, "A beats B: −20%" would read backwards, so the ratio is turned round: 1/(1 + e) − 1 for the estimate
 * and both ends of the interval (a monotone map, so the interval keeps its coverage). An interval reaching
 * −100% has no finite inverse; then the loser's effect is given, named as such.
 */
function winnerEffect(stats: { effect: number; ci: readonly [number, number] }, winnerIsTreatment: boolean, loser: string): string {
  const [lo, hi] = stats.ci;
  if (winnerIsTreatment) return `${formatEffect(stats.effect)} ${formatInterval(stats.ci)}`;
  if (1 + lo <= 0 || 1 + stats.effect <= 0) return `${loser} ${formatEffect(stats.effect)} ${formatInterval(stats.ci)} against it`;
  const invert = (x: number) => 1 / (1 + x) - 1;
  return `${formatEffect(invert(stats.effect))} ${formatInterval([invert(hi), invert(lo)])}`;
}

/** One line describing a comparison; `names` maps arm ids to display names (ids are used otherwise). */
export function describeComparison(comparison: Comparison, metric: TestMetric, names: Readonly<Record<string, string>> = {}): string {
  const name = (id: string) => names[id] ?? id;
  const label = METRICS[metric].label;
  const control = name(comparison.control);
  const treatment = name(comparison.treatment);
  const days = Math.min(comparison.days.control, comparison.days.treatment);
  const dayText = `${days} day${days === 1 ? '' : 's'}`;
  if (comparison.kind === 'insufficient-data')
    return `${treatment} vs ${control} on ${label}: not enough data yet (${comparison.message}), ${dayText}`;
  const { stats } = comparison;
  const chance = `chance to win ${(stats.chanceToWin * 100).toFixed(1)}%`;
  const effect = `${formatEffect(stats.effect)} ${formatInterval(stats.ci)}`;
  switch (comparison.kind) {
    case 'winner': {
      const winnerIsTreatment = comparison.winner === comparison.treatment;
      const winnerChance = winnerIsTreatment ? stats.chanceToWin : 1 - stats.chanceToWin;
      const shown = winnerEffect(stats, winnerIsTreatment, name(comparison.loser));
      return `${name(comparison.winner)} beats ${name(comparison.loser)} on ${label}: ${shown}, chance to win ${(winnerChance * 100).toFixed(1)}%, ${dayText}`;
    }
    case 'no-difference':
      return `No meaningful difference between ${treatment} and ${control} on ${label}: ${effect}, ${dayText}`;
    case 'continue': {
      const more =
        comparison.reason === 'minimum-runtime'
          ? `minimum runtime not reached, ${comparison.additionalDays} more day${comparison.additionalDays === 1 ? '' : 's'}`
          : comparison.additionalDays === null
            ? 'more than a year more at this volume to detect a meaningful lift'
            : `about ${comparison.additionalDays} more day${comparison.additionalDays === 1 ? '' : 's'} to detect a meaningful lift`;
      return `No winner yet between ${treatment} and ${control} on ${label}: ${effect}, ${chance}, ${dayText}; ${more}`;
    }
  }
}
