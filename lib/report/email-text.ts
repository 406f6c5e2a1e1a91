/** The plain-text part of the weekly email: the same facts as the HTML part, in the same order. */
import {
  DEFAULT_MAX_ADSET_ROWS,
  DEFAULT_MAX_LIST_ITEMS,
  type EmailLayoutOptions,
  footnotes,
  otherFigures,
  summarySentence,
} from './email-html.ts';
import {
  type ChangeView,
  day,
  decisionText,
  efficiency,
  efficiencyChange,
  efficiencyLabel,
  headline,
  metricLabel,
  metricValue,
  money,
  moveAmounts,
  moveEffectText,
  outcome,
  outcomeLabel,
  outcomeText,
  platformLabel,
  secondaryEfficiency,
  signedMoney,
  weekEffectText,
  weekTitle,
} from './format.ts';
import type { BudgetMove, Figures, WeeklyReport } from './report.ts';
import { displayName, isolate } from './text.ts';

/** A platform-provided name, cleaned, capped and bidi-isolated. */
function name(value: string, max: number): string {
  return isolate(displayName(value, max));
}

function star(provisional: boolean): string {
  return provisional ? '*' : '';
}

function delta(view: ChangeView): string {
  return view.arrow ? ` (${view.arrow} ${view.text})` : '';
}

function figuresLine(report: WeeklyReport, f: Figures, provisional: boolean, change: ChangeView | null): string {
  const s = star(provisional);
  return (
    `spend ${money(f.spendMicros, report.currency)}${s} · ${outcomeLabel(report).toLowerCase()} ${outcome(report, f)}${s} · ` +
    `${efficiencyLabel(report)} ${efficiency(report, f)}${s}${change ? delta(change) : ''} · ${secondaryEfficiency(report, f)}`
  );
}

function moveLines(report: WeeklyReport, move: BudgetMove): string[] {
  const when = move.appliedAt ? `, ${day(move.appliedAt.slice(0, 10))}` : '';
  const status = move.outcome === 'planned' ? '' : `, ${outcomeText(move)}`;
  const converted =
    move.currency === report.currency || move.action !== undefined ? '' : ` (${signedMoney(move.deltaReportingMicros, report.currency)})`;
  const lines = [
    `- ${name(move.adsetName, 60)} (${platformLabel(move.platform)}${when}${status})`,
    `  ${moveAmounts(move)}${converted}`,
    `  Why: ${name(move.reason, 240)}`,
  ];
  const effect = moveEffectText(report, move);
  if (effect) lines.push(`  ${effect}`);
  if (move.error) lines.push(`  Error: ${name(move.error, 200)}`);
  return lines;
}

function more(total: number, max: number, what: string): string[] {
  return total > max ? [`- and ${total - max} more ${what}`] : [];
}

/** Renders the plain-text alternative. */
export function renderText(report: WeeklyReport, options: EmailLayoutOptions = {}): string {
  const maxRows = options.maxAdSetRows ?? DEFAULT_MAX_ADSET_ROWS;
  const maxItems = options.maxListItems ?? DEFAULT_MAX_LIST_ITEMS;
  const c = report.currency;
  const out: string[] = [];
  out.push(`${displayName(report.client, 60)} · weekly ROI`, weekTitle(report.week), '');
  const kpis = headline(report);
  const width = Math.max(...kpis.map((k) => k.label.length));
  for (const k of kpis) {
    out.push(`${k.label.padEnd(width)}  ${k.value}${star(k.provisional)}${delta(k.change)} · last week ${k.previous}`);
  }
  out.push('', summarySentence(report), '');

  out.push('BY PLATFORM');
  for (const p of report.platforms) {
    out.push(`- ${platformLabel(p.platform)}: ${figuresLine(report, p.current, p.provisional, efficiencyChange(report, p.change))}`);
  }
  out.push('');

  const note = report.adsets.length > maxRows ? `top ${maxRows} of ${report.adsets.length} by spend` : `${report.adsets.length} by spend`;
  out.push(`AD SETS (${note})`);
  for (const a of report.adsets.slice(0, maxRows)) {
    out.push(`- ${name(a.name, 60)} (${platformLabel(a.platform)} · ${name(a.campaignName, 40)})`);
    out.push(`  ${figuresLine(report, a.current, a.provisional, efficiencyChange(report, a.change))}`);
  }
  const rest = report.adsets.slice(maxRows);
  if (rest.length > 0) {
    const other = otherFigures(rest);
    out.push(`- ${rest.length} other ad sets`, `  ${figuresLine(report, other.figures, other.provisional, null)}`);
  }
  out.push('');

  const { moves, summary } = report.budgetMoves;
  out.push('BUDGET MOVES');
  if (moves.length === 0) out.push('No budget changes this week.');
  else {
    const counts = [
      `${summary.applied} applied`,
      summary.reverted ? `${summary.reverted} reverted` : '',
      summary.failed ? `${summary.failed} failed` : '',
      summary.skipped ? `${summary.skipped} skipped` : '',
    ].filter(Boolean);
    out.push(
      `${counts.join(', ')}; daily budgets ${signedMoney(summary.increaseMicros, c)} / ${signedMoney(-summary.decreaseMicros, c)}, net ${signedMoney(summary.netMicros, c)} per day`,
    );
    const effect = weekEffectText(report);
    if (effect) out.push(effect);
    for (const m of moves.slice(0, maxItems)) out.push(...moveLines(report, m));
    out.push(...more(moves.length, maxItems, 'moves'));
  }
  out.push('');

  if (report.tests.length > 0) {
    out.push('A/B TESTS');
    for (const t of report.tests) out.push(`- ${name(t.testId, 60)}: ${decisionText(t.decision)}`, `  ${name(t.summary, 300)}`);
    out.push('');
  }

  out.push('ANOMALIES');
  if (report.anomalies.length === 0) out.push('Nothing unusual detected this week.');
  for (const a of report.anomalies.slice(0, maxItems)) {
    out.push(
      `- ${a.severity.toUpperCase()} ${name(a.faultType, 40)} · ${day(a.date)} · ${name(a.adsetName, 60)} (${platformLabel(a.platform)})`,
      `  ${metricLabel(a.metric) ?? name(a.metric, 40)} ${metricValue(a.metric, a.observed)}, expected ${metricValue(a.metric, a.expectedLow)}–${metricValue(a.metric, a.expectedHigh)}`,
      `  ${name(a.hint, 300)}`,
    );
  }
  out.push(...more(report.anomalies.length, maxItems, 'anomalies'), '');

  out.push('NEXT WEEK');
  const plan = report.nextPlan;
  if (!plan) out.push('No plan yet: the optimizer plans budgets every day.');
  else if (plan.moves.length === 0) out.push('No budget changes planned: budgets stay as they are.');
  else {
    out.push(
      `${plan.summary.changes} planned: ${signedMoney(plan.summary.increaseMicros, c)} / ${signedMoney(-plan.summary.decreaseMicros, c)}, net ${signedMoney(plan.summary.netMicros, c)} per day`,
    );
    for (const m of plan.moves.slice(0, maxItems)) out.push(...moveLines(report, m));
    out.push(...more(plan.moves.length, maxItems, 'planned moves'));
  }
  out.push('', '--', ...footnotes(report));
  return `${out.join('\n')}\n`;
}
