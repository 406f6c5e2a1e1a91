/**
 * The weekly email in a real browser engine: Debian's headless chromium, driven over the
 * DevTools protocol (test/e2e/browser/chromium.ts). The email is the one SendReport hands to the
 * mailer for a realistic report with hostile platform names, taken from the local outbox
 * (whose .html preview carries the CID images as data URLs). Screenshots go to
 * test-output/email-browser/ (git-ignored) for a human look.
 *
 * Needs chromium: `apt-get install -y chromium` (Debian); it fails, never skips, without it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../lib/config/load.ts';
import { startLocalRuntime } from '../../lib/local/runtime.ts';
import { chartSpecs } from '../../lib/report/charts.ts';
import { buildWeeklyReport } from '../../lib/report/model.ts';
import { weeklyReportSubject } from '../../lib/report/render.ts';
import type { WeeklyReport } from '../../lib/report/report.ts';
import { displayName } from '../../lib/report/text.ts';
import { fixedClock } from '../../lib/runtime/clock.ts';
import { assertChromiumInstalled, Chromium, type PageOptions } from './browser/chromium.ts';
import { type EmailInspection, inspectEmail } from './browser/inspect.ts';
import { HOSTILE_NAMES, syntheticReportInput } from './browser/report-input.ts';

const OUTPUT = join(import.meta.dirname, '..', '..', 'test-output', 'email-browser');
/** WCAG AA for body text. */
const MIN_CONTRAST = 4.5;

interface View extends PageOptions {
  readonly name: string;
}

const VIEWS: readonly View[] = [
  { name: 'desktop-600-light', width: 600, colorScheme: 'light' },
  { name: 'phone-375-light', width: 375, mobile: true, height: 812, colorScheme: 'light' },
  { name: 'desktop-600-dark', width: 600, colorScheme: 'dark' },
  { name: 'phone-375-dark', width: 375, mobile: true, height: 812, colorScheme: 'dark' },
];

interface Sent {
  readonly report: WeeklyReport;
  readonly subject: string;
  readonly eml: Buffer;
  readonly previewUrl: string;
  readonly browser: Chromium;
}

const dataDir = mkdtempSync(join(tmpdir(), 'adpilot-email-browser-'));
let pending: Promise<Sent> | undefined;

/** Sends the report through the local runtime once and starts chromium; every test awaits it, so each fails if chromium is missing. */
function sent(): Promise<Sent> {
  pending ??= (async () => {
    assertChromiumInstalled();
    const report = buildWeeklyReport(syntheticReportInput({ adsets: 40, hostile: true }));
    const config = parseClientConfig(
      {
        client: report.client,
        timezone: report.timezone,
        currency: report.currency,
        budget: { dailyTotal: '1500.00' },
        platforms: {
          meta: { accounts: ['act_1000000001'] },
          'google-ads': { customerIds: ['1234567890'] },
          tiktok: { advertiserIds: ['7012345678901234567'] },
        },
        report: {
          recipients: ['lead@acme-outdoor.example'],
          sender: 'adpilot@acme-outdoor.example',
          exchangeRates: { USD: 0.8621, GBP: 1.1706 },
        },
      },
      'the browser test client',
    );
    const clock = fixedClock(new Date('2026-10-26T07:00:00.000Z'));
    const runtime = await startLocalRuntime({
      config,
      clock,
      dataDir,
      connector: async () => {
        throw new Error('the browser test reads no platform');
      },
    });
    let location: string;
    try {
      await runtime.ctx.store.putReportModel(report.week.label, report, clock.now());
      ({ location } = await runtime.invoke<{ location: string }>('send-report', { week: report.week.label }));
    } finally {
      await runtime.close();
    }
    const eml = readFileSync(location);
    const subject = weeklyReportSubject(report);
    mkdirSync(OUTPUT, { recursive: true });
    return { report, subject, eml, previewUrl: pathToFileURL(location.replace(/\.eml$/, '.html')).href, browser: await Chromium.launch() };
  })();
  return pending;
}

const inspections = new Map<string, Promise<{ inspection: EmailInspection; dialogs: string[] }>>();

/** Loads the email in one view, saves its screenshot and measures it (once per view). */
function inspect(view: View) {
  let result = inspections.get(view.name);
  if (!result) {
    result = (async () => {
      const { browser, previewUrl } = await sent();
      const page = await browser.open(previewUrl, view);
      try {
        await page.screenshot(join(OUTPUT, `${view.name}.png`));
        return { inspection: await page.evaluate<EmailInspection>(inspectEmail(MIN_CONTRAST)), dialogs: page.dialogs };
      } finally {
        await page.close();
      }
    })();
    inspections.set(view.name, result);
  }
  return result;
}

afterAll(async () => {
  const browser = await pending?.then((s) => s.browser).catch(() => undefined);
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Luminance-free darkness check: every channel of the color is low. */
const isDark = (rgb: readonly number[]) => rgb.every((c) => c < 64);

describe('the weekly email in headless chromium', () => {
  it("has Debian's chromium to render with", () => {
    // Throws ChromiumMissingError, whose message says how to install it.
    assertChromiumInstalled();
  });

  it('is sent as one MIME message under 1 MB with every chart attached inline by CID', async () => {
    const { eml, report } = await sent();
    expect(eml.length).toBeLessThan(1024 * 1024);
    const mime = eml.toString('latin1');
    expect(mime).toMatch(/Content-Type: multipart\/related/);
    const cids = [...mime.matchAll(/^Content-ID: <([^>]+)>/gm)].map((m) => m[1]);
    expect(cids).toEqual(chartSpecs(report).map((c) => c.cid));
  });

  for (const view of VIEWS) {
    describe(`${view.name} (${view.width} px, ${view.colorScheme})`, () => {
      it('fits the width: no horizontal scrolling and nothing sticking out', async () => {
        const { inspection } = await inspect(view);
        expect(inspection.viewportWidth).toBe(view.width);
        expect({ scrollWidth: inspection.scrollWidth, overflowing: inspection.overflowing }).toEqual({
          scrollWidth: view.width,
          overflowing: [],
        });
      });

      it('loads every chart, fitted to the column, with alt text stating the data', async () => {
        const { report } = await sent();
        const { inspection } = await inspect(view);
        expect(inspection.images.map((i) => ({ alt: i.alt, loaded: i.loaded, src: i.src }))).toEqual(
          chartSpecs(report).map((c) => ({ alt: displayName(c.alt, 300), loaded: true, src: 'data:image/png;base64,' })),
        );
        for (const image of inspection.images) {
          expect(image.alt.length).toBeGreaterThan(20);
          expect(image.width).toBeGreaterThan(view.width * 0.75);
          expect(image.width).toBeLessThanOrEqual(view.width);
        }
      });

      it('runs no script: hostile names stay text', async () => {
        const { subject } = await sent();
        const { inspection, dialogs } = await inspect(view);
        expect({ dialogs, scripts: inspection.scripts, handlers: inspection.handlers, title: inspection.title }).toEqual({
          dialogs: [],
          scripts: 0,
          handlers: [],
          title: subject,
        });
        const text = inspection.text.replace(/\u200b/g, '');
        // Shown whole or capped (at 40 graphemes or more, with "…"): the first 39 are there as text either way.
        for (const hostile of HOSTILE_NAMES.slice(0, 7)) expect(text).toContain(displayName(hostile, 40).replace(/…$/, ''));
        expect(text).toContain(`${'x'.repeat(59)}…`);
        expect(text).toContain('evil override & <b>bold</b>');
      });

      it(`keeps all text readable: contrast at least ${MIN_CONTRAST}:1 against its background`, async () => {
        const { inspection } = await inspect(view);
        expect(inspection.textElements).toBeGreaterThan(100);
        expect(inspection.lowContrast).toEqual([]);
        expect(inspection.minContrast).toBeGreaterThanOrEqual(MIN_CONTRAST);
      });

      it(view.colorScheme === 'dark' ? 'turns the page dark' : 'stays light', async () => {
        const { inspection } = await inspect(view);
        expect({ page: isDark(inspection.pageBackground), email: isDark(inspection.emailBackground) }).toEqual({
          page: view.colorScheme === 'dark',
          email: view.colorScheme === 'dark',
        });
      });
    });
  }
});
