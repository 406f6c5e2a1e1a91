/**
 * The HTML part of the weekly email, written in MJML and compiled by mjml.
 *
 * Why MJML: it emits the scaffolding email clients need and that is easy to get wrong by
 * hand: the Outlook-for-Windows ghost tables (Word ignores max-width, so the 600 px column
 * is a fixed MSO table), the table-based columns that stack below 480 px, the resets for
 * Gmail/Apple Mail and inline styles on every element. The data tables inside `mj-table`
 * and `mj-text` are raw HTML, so their styles are written inline here (no CSS inliner pass,
 * which keeps rendering fast). The only <style> rules are the dark-mode and phone
 * refinements, which clients without <style> support simply skip.
 *
 * Every platform-provided string goes through `name()` (cleaned, capped, escaped, bidi
 * isolated); everything else interpolated is either escaped or produced by our formatters.
 */
import mjml2html from 'mjml';
import { emptySums, toFigures, type WeekSums } from './figures.ts';
import {
  type ChangeView,
  day,
  decisionText,
  efficiency,
  efficiencyChange,
  efficiencyLabel,
  headline,
  type Kpi,
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
  type Tone,
  weekEffectText,
  weekTitle,
} from './format.ts';
import type { AdSetLine, BudgetMove, Figures, WeeklyReport } from './report.ts';
import { breakLongRuns, displayName, escapeHtml } from './text.ts';

/** Options shared by both parts of the email. */
export interface EmailLayoutOptions {
  /** Inline images attached by CID (charts), under the headline unless placed in the budget-moves section. */
  readonly charts?: readonly EmailChart[];
  /** Ad set rows shown before the rest are summed into one "other" row. @default 25 */
  readonly maxAdSetRows?: number;
  /** Budget moves, anomalies and planned moves listed per section before "and N more". @default 20 */
  readonly maxListItems?: number;
}

export interface EmailChart {
  readonly cid: string;
  readonly alt: string;
  /** @default 'summary' */
  readonly placement?: 'summary' | 'budget-moves';
}

export const DEFAULT_MAX_ADSET_ROWS = 25;
export const DEFAULT_MAX_LIST_ITEMS = 20;

/** Light palette, inline everywhere; the dark palette overrides it from <style> where supported. */
const C = {
  page: '#f2f4f7',
  card: '#ffffff',
  text: '#1f2933',
  muted: '#52606d',
  rule: '#d9dde3',
  good: '#0b7a3e',
  bad: '#b42318',
  neutral: '#52606d',
  warn: '#8a5a00',
} as const;

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const DARK_CSS = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .ap-page, .ap-page > div { background-color: #0f1114 !important; }
  .ap-card, .ap-card > table, .ap-card > table > tbody > tr > td { background-color: #1b1f24 !important; }
  .ap-text, .ap-text div, .ap-text td, .ap-text th { color: #e6e8eb !important; }
  .ap-muted { color: #a9b1bb !important; }
  .ap-good { color: #4ade80 !important; }
  .ap-bad { color: #f87171 !important; }
  .ap-warn { color: #fbbf24 !important; }
  .ap-rule { border-color: #2e343b !important; }
}
[data-ogsc] .ap-text, [data-ogsc] .ap-text div, [data-ogsc] .ap-text td { color: #e6e8eb !important; }
[data-ogsc] .ap-muted { color: #a9b1bb !important; }
[data-ogsc] .ap-good { color: #4ade80 !important; }
[data-ogsc] .ap-bad { color: #f87171 !important; }
[data-ogsc] .ap-warn { color: #fbbf24 !important; }
@media only screen and (max-width: 480px) {
  .ap-table td, .ap-table th { font-size: 12px !important; padding-left: 2px !important; padding-right: 2px !important; }
}
`;

/** Cleans, caps and escapes a platform-provided name; long unbroken runs get break opportunities so Outlook can wrap them. */
function name(value: string, max: number): string {
  const shown = escapeHtml(breakLongRuns(displayName(value, max), 18));
  return `<span dir="auto" style="unicode-bidi:isolate;">${shown}</span>`;
}

/** A detector's metric: its label when known, else the name as sent (untrusted). */
function metricName(metric: string): string {
  const label = metricLabel(metric);
  return label === undefined ? name(metric, 40) : escapeHtml(label);
}

const TONE_CLASS: Record<Tone, string> = { good: 'ap-good', bad: 'ap-bad', neutral: 'ap-muted' };

function change(view: ChangeView, size = 12): string {
  if (view.arrow === '') return `<span class="ap-muted" style="color:${C.muted};font-size:${size}px;">— vs last week</span>`;
  return `<span class="${TONE_CLASS[view.tone]}" style="color:${C[view.tone]};font-size:${size}px;white-space:nowrap;">${view.arrow} ${escapeHtml(view.text)}</span>`;
}

/** An amount that must not wrap between its sign and its digits ("+€329.05"). */
function amount(text: string): string {
  return `<span style="white-space:nowrap;">${escapeHtml(text)}</span>`;
}

/** The provisional mark: an asterisk in the warning color (explained in the footnote). */
function mark(provisional: boolean): string {
  return provisional ? `<span class="ap-warn" style="color:${C.warn};" title="provisional">*</span>` : '';
}

const CELL = `padding:6px 4px;border-bottom:1px solid ${C.rule};vertical-align:top;`;
const NUM = `${CELL}text-align:right;white-space:nowrap;`;
const HEAD = `padding:4px 4px;border-bottom:2px solid ${C.rule};font-size:12px;font-weight:600;color:${C.muted};`;

function th(label: string, numeric: boolean): string {
  return `<th class="ap-muted ap-rule" style="${HEAD}text-align:${numeric ? 'right;white-space:nowrap' : 'left'};">${escapeHtml(label)}</th>`;
}

function numericCells(report: WeeklyReport, figures: Figures, provisional: boolean, delta: ChangeView | null): string {
  const m = mark(provisional);
  return (
    `<td class="ap-rule" style="${NUM}">${escapeHtml(money(figures.spendMicros, report.currency))}${m}</td>` +
    `<td class="ap-rule" style="${NUM}">${escapeHtml(outcome(report, figures))}${m}</td>` +
    `<td class="ap-rule" style="${NUM}">${escapeHtml(efficiency(report, figures))}${m}${delta ? `<br>${change(delta, 11)}` : ''}` +
    `<br><span class="ap-muted" style="color:${C.muted};font-size:11px;">${escapeHtml(secondaryEfficiency(report, figures))}</span></td>`
  );
}

function table(report: WeeklyReport, firstHeader: string, rows: string): string {
  return (
    `<mj-table css-class="ap-text ap-table" color="${C.text}" font-size="13px" line-height="18px" padding="0 24px 8px" font-family="${FONT}">` +
    `<tr>${th(firstHeader, false)}${th('Spend', true)}${th(outcomeLabel(report), true)}${th(efficiencyLabel(report), true)}</tr>` +
    `${rows}</mj-table>`
  );
}

function heading(title: string, note = ''): string {
  const extra = note ? ` <span class="ap-muted" style="color:${C.muted};font-size:12px;font-weight:400;">${escapeHtml(note)}</span>` : '';
  return `<mj-text css-class="ap-text" color="${C.text}" font-size="16px" line-height="22px" font-weight="700" padding="20px 24px 8px">${escapeHtml(title)}${extra}</mj-text>`;
}

function paragraph(html: string, padding = '0 24px 8px'): string {
  return `<mj-text css-class="ap-text" color="${C.text}" font-size="14px" line-height="20px" padding="${padding}">${html}</mj-text>`;
}

/** Headline figures shrink with their length so "€1,234,567.89" still fits a third of 600 px without wrapping. */
function kpiFontSize(value: string): number {
  return value.length <= 8 ? 26 : value.length <= 11 ? 21 : 17;
}

function kpiColumn(kpi: Kpi): string {
  const size = kpiFontSize(kpi.value);
  return (
    `<mj-column width="33.33%" padding="0 4px">` +
    `<mj-text css-class="ap-text" color="${C.muted}" font-size="12px" line-height="16px" padding="8px 12px 0">${escapeHtml(kpi.label)}</mj-text>` +
    `<mj-text css-class="ap-text" color="${C.text}" font-size="${size}px" line-height="32px" font-weight="700" padding="2px 12px 0">` +
    `<span class="ap-kpi-value" style="font-size:${size}px;white-space:nowrap;">${escapeHtml(kpi.value)}${mark(kpi.provisional)}</span></mj-text>` +
    `<mj-text css-class="ap-text" color="${C.muted}" font-size="12px" line-height="16px" padding="2px 12px 8px">${change(kpi.change, 13)}` +
    `<br><span class="ap-muted" style="color:${C.muted};">last week ${escapeHtml(kpi.previous)}</span></mj-text>` +
    `</mj-column>`
  );
}

function section(content: string, padding = '0'): string {
  return `<mj-section css-class="ap-card" background-color="${C.card}" padding="${padding}"><mj-column>${content}</mj-column></mj-section>`;
}

function platformRows(report: WeeklyReport): string {
  return report.platforms
    .map(
      (p) =>
        `<tr><td class="ap-rule" style="${CELL}">${escapeHtml(platformLabel(p.platform))}</td>` +
        numericCells(report, p.current, p.provisional, efficiencyChange(report, p.change)) +
        `</tr>`,
    )
    .join('');
}

function adsetRows(report: WeeklyReport, max: number): string {
  const shown = report.adsets.slice(0, max);
  const rest = report.adsets.slice(max);
  const rows = shown.map(
    (a: AdSetLine) =>
      `<tr><td class="ap-rule" style="${CELL}word-break:break-word;overflow-wrap:anywhere;">${name(a.name, 60)}` +
      `<br><span class="ap-muted" style="color:${C.muted};font-size:11px;">${escapeHtml(platformLabel(a.platform))} · ${name(a.campaignName, 40)}</span></td>` +
      numericCells(report, a.current, a.provisional, efficiencyChange(report, a.change)) +
      `</tr>`,
  );
  if (rest.length > 0) {
    const other = otherFigures(rest);
    rows.push(
      `<tr><td class="ap-rule ap-muted" style="${CELL}color:${C.muted};">${rest.length} other ad sets</td>` +
        numericCells(report, other.figures, other.provisional, null) +
        `</tr>`,
    );
  }
  return rows.join('');
}

/** The ad sets beyond the table, summed into one row (integer micros, so exact). */
export function otherFigures(lines: readonly AdSetLine[]): { figures: Figures; provisional: boolean } {
  const sums: WeekSums = emptySums();
  for (const l of lines) {
    sums.spendMicros += l.current.spendMicros;
    sums.revenueMicros += l.current.revenueMicros;
    sums.conversions += l.current.conversions;
    sums.provisional ||= l.provisional;
  }
  return { figures: toFigures(sums), provisional: sums.provisional };
}

function moveItem(report: WeeklyReport, move: BudgetMove): string {
  const tone = move.outcome === 'failed' ? 'bad' : move.outcome === 'applied' || move.outcome === 'planned' ? 'neutral' : 'warn';
  const when = move.appliedAt ? ` · ${escapeHtml(day(move.appliedAt.slice(0, 10)))}` : '';
  const status =
    move.outcome === 'planned'
      ? ''
      : ` · <span class="${tone === 'bad' ? 'ap-bad' : tone === 'warn' ? 'ap-warn' : 'ap-muted'}" style="color:${C[tone]};">${escapeHtml(outcomeText(move))}</span>`;
  const error = move.error ? `<br><span class="ap-bad" style="color:${C.bad};">${name(move.error, 200)}</span>` : '';
  const effect = moveEffectText(report, move);
  const expected = effect ? `<br><span class="ap-muted" style="color:${C.muted};font-size:12px;">${escapeHtml(effect)}</span>` : '';
  const converted =
    move.currency === report.currency || move.action !== undefined
      ? ''
      : ` <span class="ap-muted" style="color:${C.muted};">(${escapeHtml(signedMoney(move.deltaReportingMicros, report.currency))})</span>`;
  return (
    `<tr><td class="ap-rule" style="${CELL}word-break:break-word;overflow-wrap:anywhere;">` +
    `<strong>${name(move.adsetName, 60)}</strong> <span class="ap-muted" style="color:${C.muted};font-size:12px;">${escapeHtml(platformLabel(move.platform))}${when}${status}</span>` +
    `<br>${escapeHtml(moveAmounts(move))}${converted}` +
    `<br><span class="ap-muted" style="color:${C.muted};font-size:12px;">Why: ${name(move.reason, 240)}</span>${expected}${error}</td></tr>`
  );
}

function list(rows: string[], total: number, max: number, what: string): string {
  const more =
    total > max ? `<tr><td class="ap-muted" style="${CELL}color:${C.muted};">and ${total - max} more ${escapeHtml(what)}</td></tr>` : '';
  return `<mj-table css-class="ap-text ap-table" color="${C.text}" font-size="13px" line-height="18px" padding="0 24px 8px" font-family="${FONT}">${rows.join('')}${more}</mj-table>`;
}

function images(charts: readonly EmailChart[]): string {
  return charts
    .map(
      (c) =>
        `<mj-image src="cid:${escapeHtml(encodeURIComponent(c.cid))}" alt="${escapeHtml(displayName(c.alt, 300))}" padding="8px 24px" fluid-on-mobile="true" css-class="ap-chart"></mj-image>`,
    )
    .join('');
}

function movesSection(report: WeeklyReport, max: number, charts: readonly EmailChart[]): string {
  const { moves, summary } = report.budgetMoves;
  if (moves.length === 0) return section(heading('Budget moves') + paragraph('No budget changes this week.'));
  const c = report.currency;
  const counts = [
    `${summary.applied} applied`,
    summary.reverted ? `${summary.reverted} reverted` : '',
    summary.failed ? `${summary.failed} failed` : '',
    summary.skipped ? `${summary.skipped} skipped` : '',
  ].filter(Boolean);
  const sizes = `daily budgets ${amount(signedMoney(summary.increaseMicros, c))} / ${amount(signedMoney(-summary.decreaseMicros, c))}, net ${amount(signedMoney(summary.netMicros, c))} per day`;
  const effect = weekEffectText(report);
  return section(
    heading('Budget moves', counts.join(', ')) +
      paragraph(sizes) +
      (effect ? paragraph(escapeHtml(effect)) : '') +
      images(charts) +
      list(
        moves.slice(0, max).map((m) => moveItem(report, m)),
        moves.length,
        max,
        'moves',
      ),
  );
}

function testsSection(report: WeeklyReport): string {
  if (report.tests.length === 0) return '';
  const rows = report.tests.map(
    (t) =>
      `<tr><td class="ap-rule" style="${CELL}word-break:break-word;overflow-wrap:anywhere;"><strong>${name(t.testId, 60)}</strong> ` +
      `<span class="${t.decision === 'winner' ? 'ap-good' : 'ap-muted'}" style="color:${t.decision === 'winner' ? C.good : C.muted};font-size:12px;">${escapeHtml(decisionText(t.decision))}</span>` +
      `<br>${name(t.summary, 300)}</td></tr>`,
  );
  return section(heading('A/B tests') + list(rows, rows.length, rows.length, 'tests'));
}

function anomaliesSection(report: WeeklyReport, max: number): string {
  const anomalies = report.anomalies;
  if (anomalies.length === 0) return section(heading('Anomalies') + paragraph('Nothing unusual detected this week.'));
  const severityTone = { high: 'bad', medium: 'warn', low: 'neutral' } as const;
  const rows = anomalies.slice(0, max).map((a) => {
    const tone = severityTone[a.severity];
    return (
      `<tr><td class="ap-rule" style="${CELL}word-break:break-word;overflow-wrap:anywhere;">` +
      `<span class="${tone === 'bad' ? 'ap-bad' : tone === 'warn' ? 'ap-warn' : 'ap-muted'}" style="color:${C[tone]};font-weight:700;">${escapeHtml(a.severity.toUpperCase())}</span> ` +
      `${name(a.faultType, 40)} · ${escapeHtml(day(a.date))} · <strong>${name(a.adsetName, 60)}</strong> ` +
      `<span class="ap-muted" style="color:${C.muted};font-size:12px;">${escapeHtml(platformLabel(a.platform))}</span>` +
      `<br><span class="ap-muted" style="color:${C.muted};font-size:12px;">${metricName(a.metric)} ${escapeHtml(metricValue(a.metric, a.observed))}, expected ` +
      `${escapeHtml(metricValue(a.metric, a.expectedLow))}–${escapeHtml(metricValue(a.metric, a.expectedHigh))}</span>` +
      `<br>${name(a.hint, 300)}</td></tr>`
    );
  });
  return section(heading('Anomalies', `${anomalies.length} this week`) + list(rows, anomalies.length, max, 'anomalies'));
}

function nextSection(report: WeeklyReport, max: number): string {
  const plan = report.nextPlan;
  if (!plan) return section(heading('Next week') + paragraph('No plan yet: the optimizer plans budgets every day.'));
  if (plan.moves.length === 0) return section(heading('Next week') + paragraph('No budget changes planned: budgets stay as they are.'));
  const c = report.currency;
  const sizes = `${plan.summary.changes} planned: ${amount(signedMoney(plan.summary.increaseMicros, c))} / ${amount(signedMoney(-plan.summary.decreaseMicros, c))}, net ${amount(signedMoney(plan.summary.netMicros, c))} per day`;
  return section(
    heading('Next week') +
      paragraph(sizes) +
      list(
        plan.moves.slice(0, max).map((m) => moveItem(report, m)),
        plan.moves.length,
        max,
        'planned moves',
      ),
  );
}

/** The footnotes: what the asterisk means, platform by platform, and the exchange rates used. */
export function footnotes(report: WeeklyReport): string[] {
  const notes: string[] = [];
  for (const p of report.platforms.filter((x) => x.provisional)) {
    notes.push(
      `* Provisional: ${platformLabel(p.platform)} can still restate these days (${p.restatementDays}-day window); final on ${day(p.finalOn)}.`,
    );
  }
  if (report.totals.previousProvisional) notes.push('Last week’s figures may also still change.');
  for (const r of report.exchangeRates) notes.push(`Converted at 1 ${r.currency} = ${r.rate} ${report.currency}.`);
  notes.push(
    `Amounts in ${report.currency}; days are each ad account’s local dates; computed on ${day(report.today)} (${report.timezone}).`,
  );
  return notes;
}

/** A one-line summary for the inbox preview. */
export function preheader(report: WeeklyReport): string {
  return headline(report)
    .map((k) => `${k.label} ${k.value}${k.change.arrow ? ` (${k.change.arrow} ${k.change.text})` : ''}`)
    .join(' · ');
}

/** The MJML source of the email (exposed for tests and for the mjml CLI when tuning the layout). */
export function weeklyReportMjml(report: WeeklyReport, subject: string, options: EmailLayoutOptions = {}): string {
  const maxRows = options.maxAdSetRows ?? DEFAULT_MAX_ADSET_ROWS;
  const maxItems = options.maxListItems ?? DEFAULT_MAX_LIST_ITEMS;
  const charts = options.charts ?? [];
  const summaryCharts = charts.filter((c) => (c.placement ?? 'summary') === 'summary');
  const movesCharts = charts.filter((c) => c.placement === 'budget-moves');
  const adsetNote =
    report.adsets.length > maxRows ? `top ${maxRows} of ${report.adsets.length} by spend` : `${report.adsets.length} by spend`;
  return `<mjml lang="en">
<mj-head>
<mj-title>${escapeHtml(subject)}</mj-title>
<mj-preview>${escapeHtml(preheader(report))}</mj-preview>
<mj-attributes><mj-all font-family="${FONT}"></mj-all></mj-attributes>
<mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>
<mj-style>${DARK_CSS}</mj-style>
</mj-head>
<mj-body width="600px" background-color="${C.page}" css-class="ap-page">
${section(
  `<mj-text css-class="ap-text" color="${C.muted}" font-size="12px" line-height="16px" padding="20px 24px 0">${escapeHtml(displayName(report.client, 60))} · weekly ROI</mj-text>` +
    `<mj-text css-class="ap-text" color="${C.text}" font-size="20px" line-height="26px" font-weight="700" padding="4px 24px 12px">${escapeHtml(weekTitle(report.week))}</mj-text>`,
)}
<mj-section css-class="ap-card" background-color="${C.card}" padding="0 20px 8px">${headline(report).map(kpiColumn).join('')}</mj-section>
${section(paragraph(escapeHtml(summarySentence(report)), '4px 24px 12px') + images(summaryCharts))}
${section(heading('By platform') + table(report, 'Platform', platformRows(report)))}
${section(heading('Ad sets', adsetNote) + table(report, 'Ad set', adsetRows(report, maxRows)))}
${movesSection(report, maxItems, movesCharts)}
${testsSection(report)}
${anomaliesSection(report, maxItems)}
${nextSection(report, maxItems)}
${section(
  `<mj-text css-class="ap-text" color="${C.muted}" font-size="12px" line-height="17px" padding="16px 24px 24px">${footnotes(report)
    .map(
      (n) =>
        `<span class="${n.startsWith('*') ? 'ap-warn' : 'ap-muted'}" style="color:${n.startsWith('*') ? C.warn : C.muted};">${escapeHtml(n)}</span>`,
    )
    .join('<br>')}</mj-text>`,
)}
</mj-body>
</mjml>`;
}

/** One sentence a marketer reads first. */
export function summarySentence(report: WeeklyReport): string {
  const [spend, outcomeKpi, efficiencyKpi] = headline(report);
  if (!spend || !outcomeKpi || !efficiencyKpi) return '';
  const compare = (k: Kpi) => (k.change.arrow ? ` (${k.change.arrow} ${k.change.text} vs last week)` : '');
  const star = report.totals.provisional ? ' Figures marked * are provisional.' : '';
  if (report.objective === 'conversions') {
    return `You spent ${spend.value}${compare(spend)} for ${outcomeKpi.value} conversions${compare(outcomeKpi)}: ${efficiencyKpi.value} per conversion${compare(efficiencyKpi)}.${star}`;
  }
  return `You spent ${spend.value}${compare(spend)} for ${outcomeKpi.value} in revenue${compare(outcomeKpi)}: a ROAS of ${efficiencyKpi.value}${compare(efficiencyKpi)}.${star}`;
}

/** Compiles the MJML into email HTML (strict validation: a layout mistake fails loudly, not in an inbox). */
export async function renderHtml(report: WeeklyReport, subject: string, options: EmailLayoutOptions = {}): Promise<string> {
  const result = await mjml2html(weeklyReportMjml(report, subject, options), { validationLevel: 'strict', fonts: {}, keepComments: false });
  return result.html;
}
