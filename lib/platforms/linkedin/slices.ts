/**
 * Cutting an `adAnalytics` read so no answer reaches LinkedIn's cap. The finder has no paging and silently drops
 * every element past 15,000 (../shared/PLATFORM_APIS.md §4), and with `pivot=CAMPAIGN&timeGranularity=DAILY` an
 * answer holds at most one element per campaign per day; so each request names its campaigns, and
 * campaigns × days stays within the cap. `pivot=CREATIVE` reads are sliced the same way with creative ids.
 */
import type { LocalDate } from '../../model/dates.ts';
import { dateSlices, idChunks } from '../slices.ts';

/** LinkedIn's silent cap on the elements of one analytics answer. */
export const MAX_ANALYTICS_ELEMENTS = 15_000;
/** Campaigns named in one request, so the URL stays far below the length that gets a 414. */
export const MAX_CAMPAIGNS_PER_REQUEST = 100;

export interface AnalyticsSlice {
  readonly campaignIds: readonly string[];
  readonly from: LocalDate;
  readonly to: LocalDate;
}

export interface SliceLimits {
  /** Most elements one answer may hold (default 15,000). */
  readonly maxElements: number;
  /** Most campaigns one request names (default 100). */
  readonly maxCampaigns: number;
}

/** The requests that read [from, to] for `campaignIds`: each names at most `maxCampaigns` campaigns, and campaigns × days ≤ `maxElements`. */
export function analyticsSlices(
  campaignIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  limits: SliceLimits = { maxElements: MAX_ANALYTICS_ELEMENTS, maxCampaigns: MAX_CAMPAIGNS_PER_REQUEST },
): AnalyticsSlice[] {
  if (!Number.isInteger(limits.maxElements) || limits.maxElements < 1)
    throw new RangeError(`maxElements must be >= 1, got ${limits.maxElements}`);
  if (!Number.isInteger(limits.maxCampaigns) || limits.maxCampaigns < 1)
    throw new RangeError(`maxCampaigns must be >= 1, got ${limits.maxCampaigns}`);
  const out: AnalyticsSlice[] = [];
  for (const chunk of idChunks(campaignIds, Math.min(limits.maxCampaigns, limits.maxElements))) {
    const days = Math.floor(limits.maxElements / chunk.length);
    for (const span of dateSlices(from, to, days)) out.push({ campaignIds: chunk, ...span });
  }
  return out;
}
