/**
 * The email's charts: vega-lite specs compiled to SVG by vega (headless, no canvas), then
 * rasterised to PNG by resvg with a bundled DejaVu Sans, since Lambda has no system fonts and
 * email clients do not show SVG. Images have a white background so they stay legible in
 * dark mode, and alt text that states the data.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { MICROS_PER_UNIT } from '../model/money.ts';
import { ChartRenderError } from './errors.ts';
import { efficiencyLabel, money, platformLabel, roas, signedMoney } from './format.ts';
import { compareText } from './order.ts';
import type { WeeklyReport } from './report.ts';
import { displayName } from './text.ts';

/** Where a chart goes in the email: under the headline, or in the budget-moves section. */
export type ChartPlacement = 'summary' | 'budget-moves';

export interface ChartImage {
  /** Content-ID to attach the PNG under; the HTML refers to it as cid:<cid>. */
  readonly cid: string;
  readonly alt: string;
  readonly placement: ChartPlacement;
  readonly png: Uint8Array;
}

export interface ChartOptions {
  /** TrueType font for every label. @default DejaVuSans.ttf from the dejavu-fonts-ttf package */
  readonly fontFile?: string;
  /** Width in CSS pixels (the email column minus its padding). @default 552 */
  readonly width?: number;
  /** Pixel density of the PNG, for sharp text on high-DPI screens. @default 2 */
  readonly scale?: number;
}

/** A chart before rendering: pure data, testable without fonts or rasterising. */
export interface ChartSpec {
  readonly cid: string;
  readonly alt: string;
  readonly placement: ChartPlacement;
  readonly spec: TopLevelSpec;
}

const FONT_FAMILY = 'DejaVu Sans';
const PLATFORM_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948'];
const TEXT = '#1f2933';
const MUTED = '#52606d';
/**
 * Font sizes in chart pixels. A chart is drawn 552 px wide and shown at that width on desktop,
 * but phones shrink it to about 330 px (× 0.6): 16 px labels stay above 9.5 px there.
 */
const FONT = { label: 16, title: 17, small: 13 } as const;
/** Ad sets shown in the budget-moves chart. */
const MAX_MOVE_BARS = 10;

/** Common layout: the whole image exactly `width` wide; `height` is the plot's (numeric: a step height makes vega-lite warn about fit-x). */
function base(width: number, height: number, title: string, subtitle?: string): Partial<TopLevelSpec> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: 12,
    background: '#ffffff',
    title: {
      text: title,
      anchor: 'start',
      offset: 10,
      color: TEXT,
      fontSize: FONT.title,
      ...(subtitle ? { subtitle, subtitleColor: MUTED, subtitleFontSize: FONT.small } : {}),
    },
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      axis: {
        labelColor: MUTED,
        titleColor: MUTED,
        gridColor: '#e4e7eb',
        domainColor: '#c5cbd3',
        tickColor: '#c5cbd3',
        labelFontSize: FONT.label,
        titleFontSize: FONT.small,
      },
      legend: { labelColor: TEXT, titleColor: MUTED, labelFontSize: FONT.label, orient: 'bottom', direction: 'horizontal' },
    },
  } as Partial<TopLevelSpec>;
}

const major = (micros: number | null) => (micros === null ? null : micros / MICROS_PER_UNIT);
const shortWeek = (label: string) => label.slice(5);

/** ROAS (or CPA) of the last five weeks; provisional weeks drawn hollow. */
function efficiencyTrend(report: WeeklyReport, width: number): ChartSpec {
  const cpa = report.objective === 'conversions';
  const label = efficiencyLabel(report);
  const values = report.totals.trend.map((w) => ({
    week: shortWeek(w.label),
    value: cpa ? major(w.cpaMicros) : w.roas,
    text: cpa ? money(w.cpaMicros, report.currency) : roas(w.roas),
    provisional: w.provisional,
  }));
  const anyProvisional = values.some((v) => v.provisional);
  const spec = {
    ...base(width, 190, `${label} by week`, anyProvisional ? 'hollow points: provisional, platforms may still restate' : undefined),
    data: { values },
    encoding: {
      x: { field: 'week', type: 'ordinal', sort: null, axis: { title: null, labelAngle: 0 } },
      y: {
        field: 'value',
        type: 'quantitative',
        axis: { title: cpa ? `CPA (${report.currency})` : 'ROAS', tickCount: 4 },
        scale: { zero: true },
      },
    },
    layer: [
      { mark: { type: 'line', color: '#2563eb', strokeWidth: 2.5 } },
      {
        mark: { type: 'point', size: 70, strokeWidth: 2, color: '#2563eb', opacity: 1 },
        encoding: { fill: { condition: { test: 'datum.provisional', value: '#ffffff' }, value: '#2563eb' } },
      },
      { mark: { type: 'text', dy: -16, color: TEXT, fontSize: FONT.label }, encoding: { text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
  const alt = `${label} by week: ${values.map((v) => `${v.week} ${v.text}${v.provisional ? ' (provisional)' : ''}`).join(', ')}.`;
  return { cid: `${cpa ? 'cpa' : 'roas'}-trend`, alt, placement: 'summary', spec };
}

/** Spend of each platform over the last five weeks, stacked. */
function spendByPlatform(report: WeeklyReport, width: number): ChartSpec {
  const labels = report.platforms.map((p) => platformLabel(p.platform));
  const values = report.platforms.flatMap((p) =>
    p.trend.map((w) => ({ week: shortWeek(w.label), platform: platformLabel(p.platform), spend: major(w.spendMicros) })),
  );
  const spec = {
    ...base(width, 190, 'Spend by platform'),
    data: { values },
    mark: { type: 'bar', width: { band: 0.6 } },
    encoding: {
      x: { field: 'week', type: 'ordinal', sort: null, axis: { title: null, labelAngle: 0 } },
      y: {
        field: 'spend',
        type: 'quantitative',
        aggregate: 'sum',
        // SI prefixes shared across ticks would print the baseline as "0k".
        axis: { title: `Spend (${report.currency})`, format: '~s', tickCount: 4, labelExpr: "datum.value === 0 ? '0' : datum.label" },
      },
      color: {
        field: 'platform',
        type: 'nominal',
        sort: labels,
        scale: { domain: labels, range: PLATFORM_COLORS },
        legend: { title: null },
      },
      order: { field: 'platform' },
    },
  } as TopLevelSpec;
  const alt = `Spend by platform, week ${report.week.label}: ${report.platforms
    .map((p) => `${platformLabel(p.platform)} ${money(p.current.spendMicros, report.currency)}`)
    .join(', ')}; total ${money(report.totals.current.spendMicros, report.currency)}.`;
  return { cid: 'spend-by-platform', alt, placement: 'summary', spec };
}

/** An x domain around zero with room beyond the longest bars for their labels. */
function labelRoom(values: readonly { delta: number | null }[]): [number, number] {
  const deltas = values.map((v) => v.delta ?? 0);
  const lo = Math.min(0, ...deltas);
  const hi = Math.max(0, ...deltas);
  const span = hi - lo || 1;
  return [lo < 0 ? lo - span * 0.35 : 0, hi > 0 ? hi + span * 0.3 : 0];
}

/** Net daily budget moved per ad set this week (applied changes and reverts), largest first. */
function budgetMoves(report: WeeklyReport, width: number): ChartSpec | null {
  const net = new Map<string, { name: string; micros: number }>();
  for (const m of report.budgetMoves.moves) {
    if (m.outcome !== 'applied' && m.outcome !== 'reverted') continue;
    const key = `${m.platform}\u0000${m.accountId}\u0000${m.adsetId}`;
    const entry = net.get(key) ?? { name: m.adsetName, micros: 0 };
    entry.micros += m.deltaReportingMicros;
    net.set(key, entry);
  }
  const bars = [...net.values()]
    .filter((b) => b.micros !== 0)
    .sort((a, b) => Math.abs(b.micros) - Math.abs(a.micros) || compareText(a.name, b.name))
    .slice(0, MAX_MOVE_BARS);
  if (bars.length === 0) return null;
  const values = bars.map((b, i) => ({
    // The rank keeps two ad sets with the same (truncated) name apart.
    adset: `${i + 1}. ${displayName(b.name, 48)}`,
    delta: major(b.micros),
    text: signedMoney(b.micros, report.currency),
  }));
  // Each row: the ad set's name on its own line across the full width (an axis label would
  // have to be cut to a few characters), and its bar with the amount underneath.
  const spec = {
    ...base(width, 48 * values.length, 'Daily budget moved this week'),
    data: { values },
    encoding: {
      y: { field: 'adset', type: 'nominal', sort: null, axis: null },
      x: {
        field: 'delta',
        type: 'quantitative',
        axis: { title: `${report.currency} per day`, tickCount: 4 },
        scale: { domain: labelRoom(values), nice: false },
      },
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.36 }, yOffset: 7 },
        encoding: { color: { condition: { test: 'datum.delta >= 0', value: '#0b7a3e' }, value: '#b42318' } },
      },
      {
        mark: {
          type: 'text',
          align: { expr: "datum.delta >= 0 ? 'left' : 'right'" },
          dx: { expr: 'datum.delta >= 0 ? 4 : -4' },
          yOffset: 7,
          color: TEXT,
          fontSize: FONT.label,
        },
        encoding: { text: { field: 'text' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dy: -13, color: MUTED, fontSize: FONT.label, limit: width - 8 },
        encoding: { x: { value: 0 }, text: { field: 'adset' } },
      },
    ],
  } as TopLevelSpec;
  const alt = `Daily budget moved this week: ${bars.map((b) => `${displayName(b.name, 60)} ${signedMoney(b.micros, report.currency)}`).join(', ')}.`;
  return { cid: 'budget-moves', alt, placement: 'budget-moves', spec };
}

/** The charts of a report as specs (no rendering). */
export function chartSpecs(report: WeeklyReport, width = 552): ChartSpec[] {
  const specs: ChartSpec[] = [efficiencyTrend(report, width), spendByPlatform(report, width)];
  const moves = budgetMoves(report, width);
  if (moves) specs.push(moves);
  return specs;
}

function defaultFontFile(): string {
  return createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
}

/** Renders one vega-lite spec to PNG bytes. */
export async function renderChartPng(spec: TopLevelSpec, fontFile: string, pixelWidth: number): Promise<Uint8Array> {
  const view = new View(parseVega(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
      fitTo: { mode: 'width', value: pixelWidth },
    })
      .render()
      .asPng();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  } finally {
    view.finalize();
  }
}

/** Renders the report's charts to PNG for inline attachment (ROAS or CPA trend, spend by platform, budget moves). */
export async function renderCharts(report: WeeklyReport, options: ChartOptions = {}): Promise<ChartImage[]> {
  const fontFile = options.fontFile ?? defaultFontFile();
  if (!existsSync(fontFile)) throw new ChartRenderError(`font file not found: ${fontFile}`);
  const width = options.width ?? 552;
  const pixelWidth = Math.round(width * (options.scale ?? 2));
  const images: ChartImage[] = [];
  for (const chart of chartSpecs(report, width)) {
    try {
      images.push({
        cid: chart.cid,
        alt: chart.alt,
        placement: chart.placement,
        png: await renderChartPng(chart.spec, fontFile, pixelWidth),
      });
    } catch (cause) {
      throw new ChartRenderError(`chart ${chart.cid} failed to render`, { cause });
    }
  }
  return images;
}
