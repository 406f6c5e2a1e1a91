/** How report figures read in the email (both parts): money, ratios, changes, labels. */
import type { Platform } from '../model/ads.ts';
import { formatMoney } from '../model/money.ts';
import type { BudgetMove, FigureChanges, Figures, WeeklyReport } from './report.ts';

/** Shown for an undefined figure (division by zero). */
export const NONE = '—';

const PLATFORM_LABELS: Record<Platform, string> = {
  meta: 'Meta',
  'google-ads': 'Google Ads',
  tiktok: 'TikTok',
  linkedin: 'LinkedIn',
  'x-ads': 'X Ads',
  pinterest: 'Pinterest',
};

export function platformLabel(platform: Platform): string {
  return PLATFORM_LABELS[platform];
}

/** Money in micros, or "—" for null. */
export function money(micros: number | null, currency: string): string {
  return micros === null ? NONE : formatMoney(micros, currency);
}

/** Money with an explicit sign ("+€20.00", "−€5.00"). */
export function signedMoney(micros: number, currency: string): string {
  if (micros === 0) return formatMoney(0, currency);
  return `${micros > 0 ? '+' : '−'}${formatMoney(Math.abs(micros), currency)}`;
}

/** An estimated change of the objective: "+€45.10 revenue" or "+1.4 conversions". */
export function effectText(report: Pick<WeeklyReport, 'objective' | 'currency'>, value: number): string {
  if (report.objective === 'revenue') return `${signedMoney(Math.round(value), report.currency)} revenue`;
  const tenths = Math.round(value * 10);
  return `${tenths > 0 ? '+' : tenths < 0 ? '−' : ''}${(Math.abs(tenths) / 10).toFixed(1)} conversions`;
}

/** The line under a move: "Expected: +€45.10 revenue a day (response model)". */
export function moveEffectText(report: Pick<WeeklyReport, 'objective' | 'currency'>, move: BudgetMove): string | null {
  return move.estimatedDailyEffect === undefined
    ? null
    : `Expected: ${effectText(report, move.estimatedDailyEffect)} a day (response model)`;
}

/** The week's sentence: "Estimated effect of these moves: +€812.40 revenue against leaving budgets as they were (response model)". */
export function weekEffectText(report: WeeklyReport): string | null {
  const effect = report.budgetMoves.estimatedEffect;
  return effect
    ? `Estimated effect of these moves this week: ${effectText(report, effect.total)} against leaving budgets as they were (response model)`
    : null;
}

/** ROAS as a multiple: "2.87x", or "—". */
export function roas(value: number | null): string {
  return value === null ? NONE : `${value.toFixed(2)}x`;
}

export function count(value: number): string {
  return new Intl.NumberFormat('en-US').format(value);
}

/** A relative change as a signed percentage with one decimal ("+12.5%", "−3.0%", "±0.0%"), or "—". */
export function percent(value: number | null): string {
  if (value === null) return NONE;
  const text = `${Math.abs(value * 100).toFixed(1)}%`;
  if (text === '0.0%') return `±${text}`;
  return `${value > 0 ? '+' : '−'}${text}`;
}

export type Tone = 'good' | 'bad' | 'neutral';

/** A week-over-week change ready to show: arrow, percentage, and whether it is good news. */
export interface ChangeView {
  readonly arrow: '↑' | '↓' | '→' | '';
  readonly text: string;
  readonly tone: Tone;
}

/** Which direction is good news for each figure; spend is neither. */
const UP_IS: Record<keyof FigureChanges, Tone> = { spend: 'neutral', revenue: 'good', conversions: 'good', roas: 'good', cpa: 'bad' };

export function changeView(figure: keyof FigureChanges, value: number | null): ChangeView {
  const text = percent(value);
  if (value === null) return { arrow: '', text, tone: 'neutral' };
  if (text.startsWith('±')) return { arrow: '→', text, tone: 'neutral' };
  const up = value > 0;
  const upTone = UP_IS[figure];
  const tone: Tone = upTone === 'neutral' ? 'neutral' : up === (upTone === 'good') ? 'good' : 'bad';
  return { arrow: up ? '↑' : '↓', text, tone };
}

/** One headline figure of the week. */
export interface Kpi {
  readonly label: string;
  readonly value: string;
  readonly change: ChangeView;
  readonly previous: string;
  readonly provisional: boolean;
}

/** The three figures a marketer reads first: spend, then revenue and ROAS (or conversions and CPA). */
export function headline(report: WeeklyReport): Kpi[] {
  const { current, previous, change, provisional } = report.totals;
  const c = report.currency;
  const kpi = (label: string, figure: keyof FigureChanges, now: string, before: string): Kpi => ({
    label,
    value: now,
    change: changeView(figure, change[figure]),
    previous: before,
    provisional,
  });
  const spend = kpi('Spend', 'spend', money(current.spendMicros, c), money(previous.spendMicros, c));
  if (report.objective === 'conversions') {
    return [
      spend,
      kpi('Conversions', 'conversions', count(current.conversions), count(previous.conversions)),
      kpi('CPA', 'cpa', money(current.cpaMicros, c), money(previous.cpaMicros, c)),
    ];
  }
  return [
    spend,
    kpi('Revenue', 'revenue', money(current.revenueMicros, c), money(previous.revenueMicros, c)),
    kpi('ROAS', 'roas', roas(current.roas), roas(previous.roas)),
  ];
}

/** The efficiency figure of the objective: ROAS for revenue, CPA for conversions. */
export function efficiency(report: WeeklyReport, figures: Figures): string {
  return report.objective === 'conversions' ? money(figures.cpaMicros, report.currency) : roas(figures.roas);
}

/** The other efficiency figure, shown smaller: "CPA €41.20" under ROAS, or "ROAS 3.12x" under CPA. */
export function secondaryEfficiency(report: WeeklyReport, figures: Figures): string {
  return report.objective === 'conversions' ? `ROAS ${roas(figures.roas)}` : `CPA ${money(figures.cpaMicros, report.currency)}`;
}

/** The outcome figure of the objective: revenue, or conversions. */
export function outcome(report: WeeklyReport, figures: Figures): string {
  return report.objective === 'conversions' ? count(figures.conversions) : money(figures.revenueMicros, report.currency);
}

export function efficiencyLabel(report: WeeklyReport): string {
  return report.objective === 'conversions' ? 'CPA' : 'ROAS';
}

export function outcomeLabel(report: WeeklyReport): string {
  return report.objective === 'conversions' ? 'Conv.' : 'Revenue';
}

/** The change of the objective's efficiency figure. */
export function efficiencyChange(report: WeeklyReport, changes: FigureChanges): ChangeView {
  return report.objective === 'conversions' ? changeView('cpa', changes.cpa) : changeView('roas', changes.roas);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2 Mar 2026" from "2026-03-02" (no Date, no time zone involved). */
export function day(date: string): string {
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1] ?? '?'} ${date.slice(0, 4)}`;
}

/** "2026-W10 (2 Mar – 8 Mar 2026)". */
export function weekTitle(week: { label: string; from: string; to: string }): string {
  const from = day(week.from);
  const sameYear = week.from.slice(0, 4) === week.to.slice(0, 4);
  return `${week.label} (${sameYear ? from.slice(0, -5) : from} – ${day(week.to)})`;
}

/** A budget move: "€100.00 → €120.00 per day (+20.0%)"; a pause: "Paused (its €100.00 a day stops spending)". */
export function moveAmounts(move: BudgetMove): string {
  if (move.adName !== undefined && move.action === 'pause') return `Ad “${move.adName}” paused; the ad set keeps its budget`;
  if (move.adName !== undefined && move.action === 'activate') return `Ad “${move.adName}” active again`;
  if (move.action === 'pause') return `Paused (its ${formatMoney(move.beforeMicros, move.currency)} a day stops spending)`;
  if (move.action === 'activate') return `Active again at ${formatMoney(move.beforeMicros, move.currency)} per day`;
  return `${formatMoney(move.beforeMicros, move.currency)} → ${formatMoney(move.afterMicros, move.currency)} per day (${percent(move.deltaPct)})`;
}

const OUTCOMES: Record<BudgetMove['outcome'], string> = {
  applied: 'applied',
  reverted: 'reverted',
  failed: 'failed',
  skipped: 'skipped',
  planned: 'planned',
};

export function outcomeText(move: BudgetMove): string {
  return OUTCOMES[move.outcome];
}

const DECISIONS = { winner: 'Winner found', futility: 'Stopped: no difference to find', invalid: 'Invalid', continue: 'Running' } as const;

export function decisionText(decision: keyof typeof DECISIONS): string {
  return DECISIONS[decision];
}

/** What the anomaly detectors' metric names mean to a marketer. */
const METRIC_LABELS: Readonly<Record<string, string>> = {
  spendMicros: 'Spend',
  cpaMicros: 'CPA',
  roas: 'ROAS',
  ctr: 'CTR',
  conversions: 'Conversions',
  dataAgeHours: 'Data age (hours)',
};

/** The label of a known anomaly metric ("spendMicros" → "Spend"); undefined for any other, which is shown as sent. */
export function metricLabel(metric: string): string | undefined {
  return Object.hasOwn(METRIC_LABELS, metric) ? METRIC_LABELS[metric] : undefined;
}

/** An anomaly value: micros in major units, CTR as a percentage, ROAS as a multiple, others with up to 2 decimals. */
export function metricValue(metric: string, value: number): string {
  if (metric === 'ctr') return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value * 100)}%`;
  if (metric === 'roas') return roas(value);
  const shown = /micros$/i.test(metric) ? value / 1_000_000 : value;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(shown);
}
