/** Key builders of the single-table design (see table-definition.ts for the item map). */
import type { Platform } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';

export const keys = {
  accounts: () => ({ pk: 'ACCOUNTS' }),
  account: (platform: Platform, accountId: string) => ({ pk: 'ACCOUNTS', sk: `${platform}#${accountId}` }),
  watermark: (platform: Platform, accountId: string) => ({ pk: 'WATERMARK', sk: `${platform}#${accountId}` }),
  /** When the freshness check first saw the account: a never-fetched account is silent from then on. */
  watched: (platform: Platform, accountId: string) => ({ pk: 'WATCHED', sk: `${platform}#${accountId}` }),
  adsetPartition: (platform: Platform, accountId: string) => `ENT#${platform}#${accountId}`,
  adset: (platform: Platform, accountId: string, adsetId: string) => ({ pk: `ENT#${platform}#${accountId}`, sk: `ADSET#${adsetId}` }),
  metricPartition: (platform: Platform, accountId: string) => `MET#${platform}#${accountId}`,
  metric: (platform: Platform, accountId: string, adsetId: string, date: LocalDate) => ({
    pk: `MET#${platform}#${accountId}`,
    sk: `D#${date}#${adsetId}`,
    gsi1pk: `E#${platform}#${adsetId}`,
    gsi1sk: `D#${date}`,
  }),
  hourlyPartition: (platform: Platform, accountId: string) => `HOUR#${platform}#${accountId}`,
  /** One ad set's hour of an account-local date; overwritten by each run while the day lasts. */
  hourly: (platform: Platform, accountId: string, adsetId: string, date: LocalDate, hour: number) => ({
    pk: `HOUR#${platform}#${accountId}`,
    sk: `D#${date}#${adsetId}#H${String(hour).padStart(2, '0')}`,
  }),
  /** An ad an A/B test compares (few per client: only ads named as test arms are stored). */
  ad: (platform: Platform, adId: string) => ({ pk: `AD#${platform}#${adId}`, sk: 'AD' }),
  /** One ad's row of an account-local date; all rows of an ad share its partition. */
  adMetric: (platform: Platform, adId: string, date: LocalDate) => ({ pk: `AD#${platform}#${adId}`, sk: `D#${date}` }),
  plan: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'PLAN', gsi1pk: 'PLANS' }),
  change: (changeId: string) => ({ pk: `CHG#${changeId}`, sk: 'CHG' }),
  changeLog: (platform: Platform, adsetId: string) => `LOG#${platform}#${adsetId}`,
  anomalyPartition: (date: LocalDate) => `ANOM#${date}`,
  anomaly: (date: LocalDate, platform: Platform, adsetId: string, faultType: string) => ({
    pk: `ANOM#${date}`,
    sk: `${platform}#${adsetId}#${faultType}`,
  }),
  testEvaluation: (testId: string, date: LocalDate) => ({ pk: `TEST#${testId}`, sk: `EVAL#${date}` }),
  report: (week: string) => ({ pk: `REPORT#${week}`, sk: 'SENT' }),
  reportModel: (week: string) => ({ pk: `REPORT#${week}`, sk: 'MODEL' }),
  /** One of the slots of a lease semaphore (e.g. resource `meta`: the Meta ingest runs in flight). */
  lease: (resource: string, slot: number) => ({ pk: `LEASE#${resource}`, sk: `SLOT#${slot}` }),
};
