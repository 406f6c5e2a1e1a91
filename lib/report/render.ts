/** Renders a WeeklyReport as an email: subject, HTML part (MJML, see email-html.ts) and plain-text part. */
import { type EmailLayoutOptions, renderHtml } from './email-html.ts';
import { renderText } from './email-text.ts';
import { headline, weekTitle } from './format.ts';
import type { WeeklyReport } from './report.ts';
import { displayName } from './text.ts';

export type { EmailChart, EmailLayoutOptions } from './email-html.ts';

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** "acme · ROI 2026-W10 (2 Mar – 8 Mar 2026): ROAS 2.87x (↓ −8.7%), spend €221.50". One line, no control characters. */
export function weeklyReportSubject(report: WeeklyReport): string {
  const [spend, , efficiency] = headline(report);
  const change = efficiency?.change.arrow ? ` (${efficiency.change.arrow} ${efficiency.change.text})` : '';
  const figures = spend && efficiency ? `: ${efficiency.label} ${efficiency.value}${change}, spend ${spend.value}` : '';
  return `${displayName(report.client, 60)} · ROI ${weekTitle(report.week)}${figures}`;
}

/**
 * Renders the weekly email. Async because mjml compiles asynchronously. Long tables are
 * capped (options.maxAdSetRows, maxListItems) so the HTML stays below Gmail's 102 KB clipping.
 */
export async function renderWeeklyReportEmail(report: WeeklyReport, options: EmailLayoutOptions = {}): Promise<RenderedEmail> {
  const subject = weeklyReportSubject(report);
  return { subject, html: await renderHtml(report, subject, options), text: renderText(report, options) };
}
