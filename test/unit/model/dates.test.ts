import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateRange,
  daysBetween,
  isLocalDate,
  isoWeek,
  isoWeekday,
  localDateAt,
  mondayOfIsoWeek,
  scheduledLocalDate,
  zonedTimeToInstant,
} from '../../../lib/model/dates.ts';

describe('calendar dates', () => {
  it('validates real dates only', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-2-1')).toBe(false);
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-10-01', '2026-11-01')).toBe(31);
    expect(dateRange('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
  });

  it('knows ISO weeks and weekdays', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isoWeek('2026-11-26')).toEqual({ label: '2026-W48', monday: '2026-11-23' });
    expect(isoWeek('2027-01-01')).toEqual({ label: '2026-W53', monday: '2026-12-28' });
    expect(mondayOfIsoWeek('2026-W53')).toBe('2026-12-28');
    expect(() => mondayOfIsoWeek('2025-W53')).toThrow();
  });
});

describe('time zones', () => {
  it('gives the account-local date of an instant', () => {
    const instant = new Date('2026-11-25T23:30:00Z');
    expect(localDateAt(instant, 'Asia/Tokyo')).toBe('2026-11-26');
    expect(localDateAt(instant, 'America/Los_Angeles')).toBe('2026-11-25');
  });

  it('finds the instant of a local wall-clock time, across DST', () => {
    expect(zonedTimeToInstant('2026-07-01', 6, 'Europe/Paris').toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(zonedTimeToInstant('2026-12-01', 6, 'Europe/Paris').toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(zonedTimeToInstant('2026-10-25', 6, 'Europe/Paris').toISOString()).toBe('2026-10-25T05:00:00.000Z');
    expect(zonedTimeToInstant('2026-11-26', 0, 'Asia/Tokyo').toISOString()).toBe('2026-11-25T15:00:00.000Z');
  });
});

describe('scheduledLocalDate', () => {
  it('reads a schedule instant in the client time zone and keeps calendar dates', () => {
    expect(scheduledLocalDate('2026-11-26', 'Asia/Tokyo')).toBe('2026-11-26');
    expect(scheduledLocalDate('2026-11-25T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-26');
    expect(scheduledLocalDate('2026-11-26T05:30:00Z', 'America/Los_Angeles')).toBe('2026-11-25');
    expect(() => scheduledLocalDate('soon', 'UTC')).toThrow();
  });
});
