/**
 * The ad-level part of an ingest run: the ads that the config's ad-level A/B tests name as arms, and their daily
 * rows over the run's window. Only those ads are read (a client has thousands of ads and tests a few), and only on
 * the account day's full read or a back-fill (tests are judged daily). It runs after the daily rows are stored, and a failure is reported, never thrown: the daily rows stand, and the next
 * run's window reads the ad rows again.
 */
import { isAdArm } from '../config/schema.ts';
import type { AdAccount } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import { hasAdLevel } from '../platforms/ads.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import type { AppContext } from '../runtime/context.ts';

/** Outcome of the ad-level part of a run. */
export type AdIngestResult =
  | { readonly ok: true; readonly ads: number; readonly rowsWritten: number; readonly rowsUnchanged: number }
  | { readonly ok: false; readonly errorName: string; readonly reason: string };

/** Stores the test-arm ads of this account and their rows of [from, to]; undefined when no test names an ad on this platform. */
export async function ingestTestAds(
  ctx: AppContext,
  connector: PlatformConnector,
  account: AdAccount,
  from: LocalDate,
  to: LocalDate,
  fetchedAt: Date,
): Promise<AdIngestResult | undefined> {
  const wanted = [
    ...new Set(ctx.config.tests.flatMap((t) => t.arms.filter(isAdArm).filter((a) => a.platform === account.platform)).map((a) => a.adId)),
  ];
  if (wanted.length === 0) return undefined;
  try {
    if (!hasAdLevel(connector))
      throw new Error(`the ${account.platform} connector cannot read single ads, so ad-level tests cannot run on it`);
    const ads = await connector.getAds(account, wanted);
    const rows =
      ads.length === 0
        ? []
        : await connector.fetchAdDailyMetrics(
            account,
            ads.map((a) => a.adId),
            from,
            to,
          );
    await ctx.store.upsertAds(ads);
    const stored = await ctx.store.putAdMetrics(rows, fetchedAt);
    return { ok: true, ads: ads.length, rowsWritten: stored.written, rowsUnchanged: stored.unchanged };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const errorName = error instanceof Error ? error.name : 'Error';
    ctx.log.warn('ad-level ingestion failed; the daily rows are stored', {
      platform: account.platform,
      accountId: account.accountId,
      errorName,
      reason,
    });
    return { ok: false, errorName, reason };
  }
}
