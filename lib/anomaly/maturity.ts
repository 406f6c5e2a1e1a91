/**
 * How much of a day's final conversions (and revenue) the platforms have reported while the day is still
 * immature. Detectors judge immature days against these floors, so a day is never called a collapse or a step
 * just because its conversions are still arriving.
 */
import type { Platform } from '../model/ads.ts';

/**
 * Least share of a day's final conversions reported `age` days after the day ended (index 0 = the morning
 * after), per platform; ages past the list use its last entry. No platform publishes these figures: they are
 * deliberately low floors from practice (Meta's 7-day click attribution typically shows 80–90% by the next
 * morning; Google Ads conversions lag more, by the conversion delay of the account). A floor too low only
 * slows detection; one too high would raise false alarms.
 */
export const MATURITY_FLOOR: Readonly<Record<Platform, readonly number[]>> = {
  meta: [0.75, 0.85, 0.9],
  tiktok: [0.7, 0.8, 0.9],
  'google-ads': [0.5, 0.65, 0.75],
  linkedin: [0.5, 0.65, 0.75],
  'x-ads': [0.5, 0.65, 0.75],
  pinterest: [0.5, 0.65, 0.75],
};

/** Without a platform profile: half of the final conversions, whatever the age (a safe floor for any platform). */
export const DEFAULT_MATURITY_FLOOR: readonly number[] = [0.5];

/** The floor for a day `age` days old (0 = the judged day) out of a profile. */
export function maturityAt(profile: readonly number[], age: number): number {
  const share = profile[Math.max(0, Math.min(age, profile.length - 1))] ?? 1;
  return Math.min(1, Math.max(0, share));
}
