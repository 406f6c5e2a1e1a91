/** Report weeks: ISO weeks (Monday..Sunday) of calendar dates in the client's time zone. */
import { addDays, isLocalDate, isoWeek, type LocalDate, localDateAt, mondayOfIsoWeek } from '../model/dates.ts';
import { InvalidReportInputError } from './errors.ts';

export interface ReportWeek {
  /** ISO week label, "2026-W43". */
  readonly label: string;
  /** Monday, account-local. */
  readonly from: LocalDate;
  /** Sunday, account-local. */
  readonly to: LocalDate;
}

/** The week named by an ISO week label ("2026-W43"). */
export function reportWeek(label: string): ReportWeek {
  const from = mondayOfIsoWeek(label);
  return { label, from, to: addDays(from, 6) };
}

/** The ISO week containing a calendar date. */
export function weekOfDate(date: LocalDate): ReportWeek {
  const { label, monday } = isoWeek(date);
  return { label, from: monday, to: addDays(monday, 6) };
}

/** The last complete week before `now`, with "today" taken in the client's time zone (not UTC). */
export function previousReportWeek(now: Date, timeZone: string): ReportWeek {
  return weekOfDate(addDays(localDateAt(now, timeZone), -7));
}

/** The week `n` weeks before (negative) or after (positive) `week`. */
export function shiftWeek(week: ReportWeek, n: number): ReportWeek {
  return weekOfDate(addDays(week.from, 7 * n));
}

/** Throws InvalidReportInputError unless the week is a real ISO week running Monday to Sunday. */
export function assertReportWeek(week: ReportWeek): void {
  if (!isLocalDate(week.from) || !isLocalDate(week.to)) {
    throw new InvalidReportInputError('week', `from/to must be calendar dates, got ${week.from}..${week.to}`);
  }
  const expected = weekOfDate(week.from);
  if (expected.from !== week.from || expected.to !== week.to || expected.label !== week.label) {
    throw new InvalidReportInputError(
      'week',
      `${week.label} ${week.from}..${week.to} is not an ISO week; expected ${expected.label} ${expected.from}..${expected.to}`,
    );
  }
}
