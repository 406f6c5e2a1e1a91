/** Stored ad rows (ad-level A/B test arms): the schema, one row per ad and account-local date. */
import { z } from 'zod';
import { AdDailyMetric } from '../model/ads.ts';

/** An ad row as stored: the platform's row and when it was last fetched. */
export const StoredAdDailyMetric = AdDailyMetric.extend({ fetchedAt: z.string() });
export type StoredAdDailyMetric = z.infer<typeof StoredAdDailyMetric>;
