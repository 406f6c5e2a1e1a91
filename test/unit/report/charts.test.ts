import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartSpecs, renderCharts } from '../../../lib/report/charts.ts';
import { ChartRenderError } from '../../../lib/report/errors.ts';
import { buildWeeklyReport } from '../../../lib/report/model.ts';
import { renderWeeklyReportEmail } from '../../../lib/report/render.ts';
import { loadReportInput } from './fixture.ts';
import { parseEmail } from './html.ts';

const OUTPUT = new URL('../../../test-output/', import.meta.url);
const input = loadReportInput('small-client.json');
const report = buildWeeklyReport(input);

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('chartSpecs', () => {
  it('describes the ROAS trend, spend by platform and budget moves, with alt text stating the data', () => {
    expect(chartSpecs(report).map(({ cid, alt, placement }) => ({ cid, alt, placement }))).toEqual([
      {
        cid: 'roas-trend',
        alt: 'ROAS by week: W06 2.00x, W07 —, W08 2.00x (provisional), W09 3.14x (provisional), W10 2.87x (provisional).',
        placement: 'summary',
      },
      {
        cid: 'spend-by-platform',
        alt: 'Spend by platform, week 2026-W10: Meta €175.50, Google Ads €46.00; total €221.50.',
        placement: 'summary',
      },
      // The failed Google Ads move changed nothing, so it is not drawn.
      { cid: 'budget-moves', alt: 'Daily budget moved this week: Prospecting FR +€20.00, Retargeting −€5.00.', placement: 'budget-moves' },
    ]);
  });

  it('charts CPA for a conversions objective and leaves out budget moves when none changed a budget', () => {
    const specs = chartSpecs(buildWeeklyReport({ ...input, objective: 'conversions', changes: [] }));
    expect(specs.map((s) => [s.cid, s.alt])).toEqual([
      ['cpa-trend', 'CPA by week: W06 €23.00, W07 —, W08 €30.00 (provisional), W09 €15.37 (provisional), W10 €14.77 (provisional).'],
      ['spend-by-platform', 'Spend by platform, week 2026-W10: Meta €175.50, Google Ads €46.00; total €221.50.'],
    ]);
  });
});

describe('renderCharts', () => {
  it('renders PNGs 1104 px wide (552 css px at 2x) that embed in the email under 1 MB', async () => {
    const charts = await renderCharts(report);
    expect(charts.map((c) => [c.cid, c.placement, pngSize(c.png).width])).toEqual([
      ['roas-trend', 'summary', 1104],
      ['spend-by-platform', 'summary', 1104],
      ['budget-moves', 'budget-moves', 1104],
    ]);
    const email = await renderWeeklyReportEmail(report, { charts });
    const images = parseEmail(email.html).elements.filter((e) => e.tag === 'img');
    expect(images.map((i) => [i.attrs.src, i.attrs.alt])).toEqual(charts.map((c) => [`cid:${c.cid}`, c.alt]));
    const total = Buffer.byteLength(email.html) + Buffer.byteLength(email.text) + charts.reduce((s, c) => s + c.png.byteLength, 0);
    expect(total).toBeLessThan(1024 * 1024);

    // A copy the lead can open in a browser: the cid: references point at the PNG files next to it.
    mkdirSync(OUTPUT, { recursive: true });
    let html = email.html;
    for (const c of charts) {
      writeFileSync(new URL(`chart-${c.cid}.png`, OUTPUT), c.png);
      html = html.replace(`cid:${c.cid}`, `chart-${c.cid}.png`);
    }
    writeFileSync(new URL('weekly-report-with-charts.html', OUTPUT), html);
  });

  it('draws hostile ad set names as text without breaking the SVG', async () => {
    const hostile = buildWeeklyReport({
      ...input,
      changes: input.changes.map((c, i) => ({
        ...c,
        adsetName: ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)> & ]]>', 'حملة 🚀'][i] ?? '',
      })),
    });
    const charts = await renderCharts(hostile);
    expect(charts.map((c) => c.cid)).toEqual(['roas-trend', 'spend-by-platform', 'budget-moves']);
    // The fixture's second change (ch-1) is the +€20.00 move; its first (ch-2) the −€5.00 revert.
    expect(charts[2]?.alt).toBe(
      'Daily budget moved this week: "><img src=x onerror=alert(1)> & ]]> +€20.00, <script>alert(1)</script> −€5.00.',
    );
    expect(pngSize(charts[2]?.png ?? new Uint8Array()).height).toBeGreaterThan(100);
  });

  it('fails with a typed error when the font file is missing', async () => {
    await expect(renderCharts(report, { fontFile: '/nonexistent/DejaVuSans.ttf' })).rejects.toThrow(ChartRenderError);
  });
});
