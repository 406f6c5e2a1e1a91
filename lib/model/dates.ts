/**
 * Account-local calendar dates ("YYYY-MM-DD") and time-zone arithmetic with Intl only.
 * A LocalDate is a plain string so it serializes and sorts naturally.
 */
import { DateError } from './errors.ts';

export type LocalDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function parseLocalDate(value: string): LocalDate {
  if (!isLocalDate(value)) throw new DateError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  return value;
}

/** Adds whole days to a calendar date. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)));
  const b = Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1, Number(to.slice(8, 10)));
  return Math.round((b - a) / 86_400_000);
}

/** Inclusive list of dates from `from` to `to`. */
export function dateRange(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Building an Intl.DateTimeFormat costs far more than using one, so each (kind, zone) is built once. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'datetime', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}\u0000${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format =
      kind === 'date'
        ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
    formatters.set(key, format);
  }
  return format;
}

/** The calendar date of an instant in an IANA time zone. */
export function localDateAt(instant: Date, timeZone: string): LocalDate {
  const parts = formatter('date', timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Offset of a time zone from UTC at an instant, in minutes (Paris in summer: +120). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = formatter('datetime', timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which a local wall-clock time occurs in a time zone (first occurrence across DST). */
export function zonedTimeToInstant(date: LocalDate, hour: number, timeZone: string, minute = 0): Date {
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour, minute);
  let instant = guess - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000;
  instant = guess - zoneOffsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

/** Throws when the name is not an IANA time zone known to this runtime. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new DateError(`unknown IANA time zone: ${JSON.stringify(timeZone)}`);
  }
}

/** ISO week label ("2026-W48") of a date, and its Monday. */
export function isoWeek(date: LocalDate): { label: string; monday: LocalDate } {
  const monday = addDays(date, 1 - isoWeekday(date));
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, monday };
}

/** Monday of an ISO week label ("2026-W48"). */
export function mondayOfIsoWeek(label: string): LocalDate {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new DateError(`not an ISO week (YYYY-Www): ${JSON.stringify(label)}`);
  const jan4 = `${m[1]}-01-04`;
  const week1Monday = addDays(jan4, 1 - isoWeekday(jan4));
  const monday = addDays(week1Monday, (Number(m[2]) - 1) * 7);
  if (isoWeek(monday).label !== label) throw new DateError(`no such ISO week: ${label}`);
  return monday;
}

/**
 * The local date named by a schedule input: a calendar date as is, or an instant (EventBridge Scheduler's
 * `<aws.scheduler.scheduled-time>`, e.g. "2026-03-02T05:30:00Z") read in the client's time zone.
 */
export function scheduledLocalDate(value: string, timeZone: string): LocalDate {
  if (isLocalDate(value)) return value;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new DateError(`not a date or an instant: ${JSON.stringify(value)}`);
  return localDateAt(instant, timeZone);
}
