/** Number formatting for the plain-English hints. */
import { formatMoney, MICROS_PER_UNIT } from '../model/money.ts';

/** Money for a person: "€41.20" with a currency, "41.20" without. */
export function money(micros: number, currency: string | undefined): string {
  const rounded = Math.round(micros);
  if (currency !== undefined) return formatMoney(rounded, currency);
  return (rounded / MICROS_PER_UNIT).toFixed(2);
}

/** A share as a percentage: 0.0443 → "4.43%". */
export function percent(share: number, digits = 2): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A whole count with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "Monday" … "Sunday" for an ISO weekday (1 = Monday). */
export function weekdayName(isoWeekday: number): string {
  return ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][isoWeekday - 1] ?? 'day';
}
