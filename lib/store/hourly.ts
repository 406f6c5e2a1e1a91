/** Stored hourly delivery rows: the schema, and how long the table keeps them (DynamoDB TTL on `expiresAt`). */
import { z } from 'zod';
import type { LocalDate } from '../model/dates.ts';
import { HourlyMetric } from '../platforms/hourly.ts';

/**
 * Days an hourly row is kept after its date: the "budget exhausted early" detector profiles the last 14 days, and
 * two more cover time zones and TTL deletion, which DynamoDB runs lazily (reads still filter by date).
 */
export const HOURLY_RETENTION_DAYS = 16;

/** An hourly row as stored: the platform's row and when it was last fetched. */
export const StoredHourlyMetric = HourlyMetric.extend({ fetchedAt: z.string() });
export type StoredHourlyMetric = z.infer<typeof StoredHourlyMetric>;

/** Epoch seconds after which DynamoDB may delete the hourly rows of `date`: fixed by the date, so re-runs write the same value. */
export function hourlyExpiresAt(date: LocalDate): number {
  return Math.floor(new Date(`${date}T00:00:00Z`).getTime() / 1000) + (HOURLY_RETENTION_DAYS + 1) * 86_400;
}
