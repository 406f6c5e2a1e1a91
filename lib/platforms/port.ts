/**
 * The port every ad platform connector implements. Connectors are thin typed `fetch`
 * wrappers: they speak the platform's wire format and return normalized model objects.
 */
import type { AdAccount, AdSet, DailyMetric, Platform } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';

export interface BudgetWrite {
  /** The budget that was written, after rounding to what the platform can bill (micros). */
  readonly appliedMicros: number;
  /** The budget read back from the platform after the write (micros). */
  readonly readBackMicros: number;
}

export interface StatusWrite {
  /** The status read back from the platform after the write. */
  readonly readBack: AdSet['status'];
}

/** The statuses adpilot writes: it pauses and re-activates ad sets, never archives or deletes them. */
export type WritableStatus = 'ACTIVE' | 'PAUSED';

export interface PlatformConnector {
  readonly platform: Platform;
  /** Account currency, time zone and name. */
  getAccount(accountId: string): Promise<AdAccount>;
  /** Every ad set (ad group, line item) of the account with its budget and status. */
  listAdSets(account: AdAccount): Promise<AdSet[]>;
  /** One row per ad set per account-local date in [from, to], as the platform reports it now. */
  fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]>;
  /** The daily budget the platform holds now (micros), or null when the ad set has none. */
  getDailyBudget(adset: AdSet): Promise<number | null>;
  /** Writes a daily budget (micros of the account currency), rounded down to a billable amount, and reads it back. */
  setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options?: { validateOnly?: boolean }): Promise<BudgetWrite>;
  /** Pauses or re-activates one ad set (ad group, line item) and reads its status back. */
  setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite>;
}

/** Credentials per platform; read from Secrets Manager in AWS and from the environment locally. */
export interface PlatformCredentials {
  readonly accessToken: string;
}

/** The `fetch` the connectors use; injectable for tests. */
export type Fetch = typeof fetch;
