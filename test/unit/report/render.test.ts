import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../lib/model/money.ts';
import { buildWeeklyReport, type WeeklyReportInput } from '../../../lib/report/model.ts';
import { renderWeeklyReportEmail } from '../../../lib/report/render.ts';
import type { WeeklyReport } from '../../../lib/report/report.ts';
import { loadReportInput, metricRow } from './fixture.ts';
import { parseEmail } from './html.ts';

const OUTPUT = new URL('../../../test-output/', import.meta.url);

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)' x='",
  '</mj-text></mj-column></mj-section><mj-raw><script>alert(2)</script></mj-raw>',
  'حملة الربيع 2026 — متجر',
  '🚀🔥 Black Friday 👨‍👩‍👧‍👦 ünïcödé',
  'x'.repeat(300),
  `${'Long name with spaces '.repeat(13)}end`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template-looking name is the test input
  '<!--[if mso]><b>mso</b><![endif]--> {{client}} ${process.env.SECRET}',
  '\u202eevil override\u202c and\u0000 control\u0007 chars\r\nnew line',
  '<style>body{display:none}</style><a href="javascript:alert(1)">click</a>',
  '&lt;already-escaped&gt; &amp; &#60;',
];

/** The small client with every platform-provided string replaced by `names(i)`. */
function withNames(input: WeeklyReportInput, names: (i: number) => string): WeeklyReportInput {
  let i = 0;
  const next = () => names(i++);
  return {
    ...input,
    accounts: input.accounts.map((a) => ({ ...a, name: next() })),
    adsets: input.adsets.map((a) => ({ ...a, name: next(), campaignName: next() })),
    changes: input.changes.map((c) => ({ ...c, adsetName: next(), reason: next(), error: c.error === null ? null : next() })),
    anomalies: input.anomalies.map((a) => ({ ...a, adsetName: next(), faultType: next(), metric: next(), hint: next() })),
    tests: input.tests.map((t) => ({ ...t, testId: next(), summary: next() })),
    nextPlan: input.nextPlan && {
      ...input.nextPlan,
      changes: input.nextPlan.changes.map((c) => ({ ...c, adsetName: next(), reason: next() })),
    },
  };
}

const base = loadReportInput('small-client.json');
const hostile = (i: number) => HOSTILE[i % HOSTILE.length] as string;
const benign = (i: number) => `Name ${i}`;

function writeSample(name: string, email: { subject: string; html: string; text: string }): void {
  mkdirSync(OUTPUT, { recursive: true });
  writeFileSync(new URL(`${name}.html`, OUTPUT), email.html);
  writeFileSync(new URL(`${name}.txt`, OUTPUT), `Subject: ${email.subject}\n\n${email.text}`);
}

describe('renderWeeklyReportEmail', () => {
  it('renders the small client, with the headline figures in subject, HTML and text', async () => {
    const report = buildWeeklyReport(base);
    const email = await renderWeeklyReportEmail(report);
    writeSample('weekly-report-sample', email);
    expect(email.subject).toBe('acme · ROI 2026-W10 (2 Mar – 8 Mar 2026): ROAS 2.87x (↓ −8.7%), spend €221.50');
    const { bodyText } = parseEmail(email.html);
    // Spend €221.50, revenue €635.3528 → €635.35, ROAS 635.3528 / 221.5 = 2.868…, against 107.60 / 338.00 / 3.141…
    for (const fact of ['€221.50', '↑ +105.9%', '€635.35', '↑ +88.0%', '2.87x', '↓ −8.7%', '€107.60', '€338.00', '3.14x']) {
      expect(bodyText).toContain(fact);
      expect(email.text).toContain(fact);
    }
    expect(email.text.split('\n').slice(3, 6)).toEqual([
      'Spend    €221.50* (↑ +105.9%) · last week €107.60',
      'Revenue  €635.35* (↑ +88.0%) · last week €338.00',
      'ROAS     2.87x* (↓ −8.7%) · last week 3.14x',
    ]);
  });

  it('shows spend, revenue, ROAS and CPA for every ad set, in both parts', async () => {
    const report = buildWeeklyReport(base);
    const email = await renderWeeklyReportEmail(report);
    const { bodyText } = parseEmail(email.html);
    for (const adset of report.adsets) {
      const cpa = `CPA ${adset.current.cpaMicros === null ? '—' : formatMoney(adset.current.cpaMicros, report.currency)}`;
      expect(bodyText).toContain(cpa);
      expect(email.text).toContain(cpa);
    }
  });

  it('puts the same figures in the text part as in the HTML part', async () => {
    const report = buildWeeklyReport(base);
    const email = await renderWeeklyReportEmail(report);
    const { bodyText } = parseEmail(email.html);
    for (const fact of facts(report)) {
      expect(email.text).toContain(fact);
      expect(bodyText).toContain(fact);
    }
  });

  it('marks provisional figures, and only those', async () => {
    const provisional = await renderWeeklyReportEmail(buildWeeklyReport(base));
    const final = await renderWeeklyReportEmail(buildWeeklyReport({ ...base, restatementDays: {} }));
    const marks = (html: string) => parseEmail(html).elements.filter((e) => e.attrs.title === 'provisional').length;
    // 3 KPIs + 2 platforms × 3 figures + 4 ad sets × 3 figures
    expect(marks(provisional.html)).toBe(3 + 6 + 12);
    expect(parseEmail(provisional.html).bodyText).toContain(
      '* Provisional: Meta can still restate these days (28-day window); final on 5 Apr 2026.',
    );
    expect(provisional.text).toContain('* Provisional: Google Ads can still restate these days (3-day window); final on 11 Mar 2026.');
    expect(marks(final.html)).toBe(0);
    expect(final.text).not.toContain('Provisional');
    expect(final.text).not.toMatch(/\d\*/);
  });

  it('shows "—" where a ratio has no denominator', async () => {
    const input: WeeklyReportInput = {
      ...base,
      metrics: [
        metricRow({
          platform: 'meta',
          accountId: 'act_1001',
          adsetId: 'A1',
          campaignId: 'C1',
          date: '2026-03-03',
          currency: 'EUR',
          spendMicros: 0,
          revenueMicros: 0,
          conversions: 0,
        }),
      ],
      restatementDays: {},
      objective: 'conversions',
    };
    const email = await renderWeeklyReportEmail(buildWeeklyReport(input));
    expect(email.text).toContain('CPA          — · last week —');
    expect(email.subject).toBe('acme · ROI 2026-W10 (2 Mar – 8 Mar 2026): CPA —, spend €0.00');
    expect(parseEmail(email.html).bodyText).toContain('CPA — — vs last week last week —');
  });

  it('escapes hostile platform names: the HTML has exactly the structure of a benign rendering', async () => {
    const report = buildWeeklyReport(withNames(base, hostile));
    const email = await renderWeeklyReportEmail(report);
    writeSample('weekly-report-hostile', email);
    const reference = parseEmail((await renderWeeklyReportEmail(buildWeeklyReport(withNames(base, benign)))).html);
    const parsed = parseEmail(email.html);
    expect(parsed.structure).toEqual(reference.structure);
    expect(parsed.elements.filter((e) => ['script', 'img', 'a', 'iframe', 'svg', 'b'].includes(e.tag))).toEqual([]);
    expect(parsed.elements.flatMap((e) => Object.keys(e.attrs)).filter((a) => a.startsWith('on'))).toEqual([]);
    // The names are there, as text.
    expect(parsed.bodyText).toContain('<script>alert(1)</script>');
    expect(parsed.bodyText).toContain('"><img src=x onerror=alert(1)>');
    expect(parsed.bodyText).toContain('حملة الربيع 2026 — متجر');
    expect(parsed.bodyText).toContain('🚀🔥 Black Friday 👨‍👩‍👧‍👦 ünïcödé');
    expect(parsed.bodyText).toContain('&lt;already-escaped&gt; &amp; &#60;');
  });

  it('caps 300-character names by grapheme and keeps bidi overrides and controls out', async () => {
    const email = await renderWeeklyReportEmail(buildWeeklyReport(withNames(base, hostile)));
    const { bodyText } = parseEmail(email.html);
    // Ad set names are capped at 60 graphemes (59 and an ellipsis), hints and reasons at 300 and 240.
    expect(bodyText).toContain(`${'x'.repeat(59)}… Google Ads ·`);
    expect(email.text).toContain(`- ${'x'.repeat(59)}… (Google Ads ·`);
    expect(bodyText).not.toMatch(/x{301}/);
    for (const part of [bodyText, email.text]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters are gone
      expect(part).not.toMatch(/[\u202a-\u202e\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    }
    expect(email.text).toContain('evil override and control chars new line');
    // RTL names are isolated in the text part so they cannot reorder the figures after them.
    expect(email.text).toContain('\u2068حملة الربيع 2026 — متجر\u2069');
    // Long unbroken names get break opportunities for narrow screens and Outlook.
    expect(email.html).toContain(`${'x'.repeat(18)}\u200b${'x'.repeat(18)}`);
  });

  it('keeps the HTML structure for any string a platform could send', async () => {
    const reference = parseEmail((await renderWeeklyReportEmail(buildWeeklyReport(withNames(base, benign)))).html).structure;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: markupHeavy, minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        async (names) => {
          const report = buildWeeklyReport(withNames(base, (i) => `${names[i % names.length]}${i}`));
          const { structure } = parseEmail((await renderWeeklyReportEmail(report)).html);
          expect(structure).toEqual(reference);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('embeds charts by CID with escaped alt text', async () => {
    const email = await renderWeeklyReportEmail(buildWeeklyReport(base), {
      charts: [
        { cid: 'roas-trend', alt: 'ROAS by week: 2.00x, —, 2.00x, 3.14x, 2.87x' },
        { cid: 'spend"by<platform', alt: '"><script>x</script>' },
      ],
    });
    const images = parseEmail(email.html).elements.filter((e) => e.tag === 'img');
    expect(images.map((i) => [i.attrs.src, i.attrs.alt])).toEqual([
      ['cid:roas-trend', 'ROAS by week: 2.00x, —, 2.00x, 3.14x, 2.87x'],
      ['cid:spend%22by%3Cplatform', '"><script>x</script>'],
    ]);
  });

  it('is email-client ready: 600 px column, fluid, dark-mode aware, no external resources', async () => {
    const { html } = await renderWeeklyReportEmail(buildWeeklyReport(base));
    const parsed = parseEmail(html);
    const meta = parsed.elements.filter((e) => e.tag === 'meta').map((e) => e.attrs);
    expect(meta).toContainEqual({ name: 'color-scheme', content: 'light dark' });
    expect(meta).toContainEqual({ name: 'viewport', content: 'width=device-width, initial-scale=1' });
    expect(html).toContain('max-width:600px');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('<!--[if mso | IE]>');
    // Nothing to fetch: no web fonts, stylesheets, images or links (charts come inline by CID).
    expect(parsed.elements.filter((e) => e.tag === 'link' || e.tag === 'img' || 'src' in e.attrs || 'href' in e.attrs)).toEqual([]);
    expect(html).not.toContain('@import');
  });

  it('stays under Gmail’s 102 KB clipping limit and renders fast with 500 ad sets', async () => {
    const report = buildWeeklyReport(largeClient(500));
    expect(report.adsets).toHaveLength(500);
    const started = performance.now();
    const email = await renderWeeklyReportEmail(report);
    const elapsedMs = performance.now() - started;
    writeSample('weekly-report-500-adsets', email);
    expect(Buffer.byteLength(email.html)).toBeLessThan(102 * 1024);
    expect(elapsedMs).toBeLessThan(5_000);
    // The 475 ad sets beyond the table are summed in one row, to the cent.
    const rest = report.adsets.slice(25).reduce((s, a) => s + a.current.spendMicros, 0);
    const restText = formatMoney(rest, 'EUR');
    expect(email.text).toContain(`- 475 other ad sets\n  spend ${restText}`);
    expect(parseEmail(email.html).bodyText).toContain(`475 other ad sets ${restText}`);
  });
});

/** Random text biased toward markup: any code point, or pieces of HTML, MJML and bidi controls. */
const markupHeavy = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(
    '<',
    '>',
    '"',
    "'",
    '&',
    '=',
    '/',
    '<!--',
    '-->',
    '<script>',
    '<img src=x onerror=alert(1)>',
    '</mj-text>',
    '<mj-raw>',
    '&amp;',
    '\u202e',
    '\u0000',
    ' ',
  ),
);

/** Figures both parts must show: headline, every platform and every listed ad set. */
function facts(report: WeeklyReport): string[] {
  const m = (micros: number) => formatMoney(micros, report.currency);
  const r = (roas: number | null) => (roas === null ? '—' : `${roas.toFixed(2)}x`);
  return [
    m(report.totals.current.spendMicros),
    m(report.totals.current.revenueMicros),
    r(report.totals.current.roas),
    ...report.platforms.flatMap((p) => [m(p.current.spendMicros), m(p.current.revenueMicros), r(p.current.roas)]),
    ...report.adsets.flatMap((a) => [a.name, m(a.current.spendMicros), m(a.current.revenueMicros), r(a.current.roas)]),
    ...report.budgetMoves.moves.map((b) => b.reason),
  ];
}

/** A client with `n` Meta ad sets over two weeks. */
function largeClient(n: number): WeeklyReportInput {
  const adsets = Array.from({ length: n }, (_, i) => ({
    platform: 'meta' as const,
    accountId: 'act_1001',
    adsetId: `as-${i}`,
    campaignId: `c-${i % 20}`,
    name: `Ad set ${i} ${'with a rather long descriptive name '.repeat(2)}`,
    campaignName: `Campaign ${i % 20}`,
    status: 'ACTIVE' as const,
    currency: 'EUR',
    dailyBudgetMicros: 50_000_000,
    budgetLevel: 'adset' as const,
    learning: false,
  }));
  const metrics = adsets.flatMap((a, i) =>
    ['2026-02-24', '2026-03-03', '2026-03-05'].map((date, d) =>
      metricRow({
        platform: 'meta',
        accountId: a.accountId,
        adsetId: a.adsetId,
        campaignId: a.campaignId,
        date,
        currency: 'EUR',
        spendMicros: 1_000_000 * (1 + ((i * 7 + d) % 97)) + 10_000 * i,
        revenueMicros: 3_000_000 * (1 + ((i * 13 + d) % 89)),
        conversions: (i + d) % 5,
      }),
    ),
  );
  return { ...base, adsets, metrics, changes: [], anomalies: [], nextPlan: undefined };
}
