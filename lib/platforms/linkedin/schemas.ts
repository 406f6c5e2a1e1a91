/**
 * zod schemas of the LinkedIn Marketing API wire format (../shared/PLATFORM_APIS.md §4): ad accounts, campaigns
 * and campaign groups (ids are int64 JSON numbers, references are URNs, money is `{amount, currencyCode}` with a
 * decimal string), their `pageToken` pages, the `adAnalytics` answer (`elements`, no paging) and error bodies.
 */
import { z } from 'zod';

/** An int64 id as a JSON number. */
const int64 = z.number().int().nonnegative();
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal string');

/** `{"amount":"100.00","currencyCode":"USD"}`. */
export const MoneyAmount = z.object({ amount: decimal, currencyCode });
export type MoneyAmount = z.infer<typeof MoneyAmount>;

/** The body of every LinkedIn error: `{"status":401,"serviceErrorCode":65602,"code":"EXPIRED_ACCESS_TOKEN","message":…}`. */
export const ErrorBody = z.object({
  status: z.number().int().optional(),
  serviceErrorCode: z.number().int().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `GET /rest/adAccounts/{id}`. LinkedIn ad accounts have no time zone. */
export const AdAccountEntity = z.object({
  id: int64,
  name: z.string(),
  currency: currencyCode,
  status: z.string().optional(),
});

/** Campaign statuses (a LinkedIn campaign is an adpilot ad set). */
export const CampaignStatus = z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'COMPLETED', 'CANCELED', 'DRAFT', 'PENDING_DELETION', 'REMOVED']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** `GET /rest/adAccounts/{id}/adCampaigns/{campaignId}` and the elements of its search. */
export const Campaign = z.object({
  id: int64,
  name: z.string(),
  account: z.string(),
  campaignGroup: z.string(),
  status: CampaignStatus,
  dailyBudget: MoneyAmount.optional(),
  totalBudget: MoneyAmount.optional(),
});
export type Campaign = z.infer<typeof Campaign>;

/** Creative statuses (`intendedStatus`; a LinkedIn creative is an adpilot ad). */
export const CreativeStatus = z.enum(['ACTIVE', 'PAUSED', 'DRAFT', 'ARCHIVED', 'CANCELED', 'PENDING_DELETION', 'REMOVED']);
export type CreativeStatus = z.infer<typeof CreativeStatus>;

/**
 * `GET /rest/adAccounts/{id}/creatives/{creative URN}` and the elements of its `q=criteria` finder: the id is the
 * creative's URN, `campaign` its campaign's URN. `name` is optional ([U]: LinkedIn leaves it out when unset).
 */
export const Creative = z.object({
  id: z.string(),
  name: z.string().optional(),
  campaign: z.string(),
  account: z.string().optional(),
  intendedStatus: CreativeStatus,
});
export type Creative = z.infer<typeof Creative>;

/** A campaign group (an adpilot campaign). */
export const CampaignGroup = z.object({ id: int64, name: z.string(), status: z.string().optional() });
export type CampaignGroup = z.infer<typeof CampaignGroup>;

/** A page of a `q=search` finder: `elements` and, while more follow, `metadata.nextPageToken`. */
export function searchPage<T extends z.ZodType>(element: T) {
  return z.object({
    elements: z.array(element),
    metadata: z.object({ nextPageToken: z.string().min(1).optional() }).optional(),
  });
}

const DateRecord = z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int() });

/** A count; conversion counts are [U] in the spec, so their decimal strings are accepted too. */
const count = z.number().int().nonnegative();
const conversionCount = z.union([count, z.string()]);

/**
 * One `adAnalytics` element of `pivot=CAMPAIGN&timeGranularity=DAILY` with the requested `fields`. The conversion
 * metrics are optional ([U]: their presence in live responses is not confirmed) and read as 0 when absent.
 */
export const AnalyticsElement = z.object({
  dateRange: z.object({ start: DateRecord, end: DateRecord }),
  pivotValues: z.array(z.string()).length(1),
  impressions: count,
  clicks: count,
  costInLocalCurrency: decimal,
  externalWebsiteConversions: conversionCount.optional(),
  conversionValueInLocalCurrency: decimal.optional(),
});
export type AnalyticsElement = z.infer<typeof AnalyticsElement>;

/** The whole `adAnalytics` answer: no paging, at most 15,000 elements (more are cut silently). */
export const AnalyticsResponse = z.object({ elements: z.array(AnalyticsElement) });
