/** Loads the hand-computed report fixtures, validated with the store's own schemas. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AdAccount, AdSet, Platform, StoredDailyMetric } from '../../../lib/model/ads.ts';
import type { WeeklyReportInput } from '../../../lib/report/model.ts';
import { AnomalyRecord, BudgetChangeRecord, PlannedChange, TestEvaluationRecord } from '../../../lib/store/records.ts';

const Input = z.object({
  client: z.string(),
  timezone: z.string(),
  reportingCurrency: z.string(),
  exchangeRates: z.record(z.string(), z.number()),
  week: z.object({ label: z.string(), from: z.string(), to: z.string() }),
  today: z.string(),
  objective: z.enum(['revenue', 'conversions']),
  accounts: z.array(AdAccount),
  adsets: z.array(AdSet),
  metrics: z.array(StoredDailyMetric),
  restatementDays: z.partialRecord(Platform, z.number()),
  changes: z.array(BudgetChangeRecord),
  anomalies: z.array(AnomalyRecord),
  tests: z.array(TestEvaluationRecord.pick({ testId: true, decision: true, summary: true })),
  nextPlan: z.object({ planId: z.string().optional(), changes: z.array(PlannedChange) }).optional(),
});

/** A fixture from test/fixtures/report/, parsed. */
export function loadReportInput(file: string): WeeklyReportInput {
  const raw: unknown = JSON.parse(readFileSync(new URL(`../../fixtures/report/${file}`, import.meta.url), 'utf8'));
  return Input.parse(raw);
}

/** A stored metric row with defaults for the fields a report does not read. */
export function metricRow(
  row: Pick<
    StoredDailyMetric,
    'platform' | 'accountId' | 'adsetId' | 'campaignId' | 'date' | 'currency' | 'spendMicros' | 'revenueMicros' | 'conversions'
  >,
): StoredDailyMetric {
  return {
    impressions: 1000,
    clicks: 10,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    firstFetchedAt: '2026-01-01T00:00:00.000Z',
    revision: 0,
    ...row,
  };
}
