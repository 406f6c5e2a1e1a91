import { describe, expect, it } from 'vitest';
import { DateError } from '../../../lib/model/errors.ts';
import { InvalidReportInputError } from '../../../lib/report/errors.ts';
import { assertReportWeek, previousReportWeek, reportWeek, shiftWeek } from '../../../lib/report/week.ts';

describe('previousReportWeek in the client time zone', () => {
  const W43 = { label: '2026-W43', from: '2026-10-19', to: '2026-10-25' };

  it('on Monday 08:00 in Paris after the October DST change, reports the week that contained it', () => {
    // 26 Oct 2026 08:00 CET (UTC+1, DST ended on 25 Oct) = 07:00 UTC.
    expect(previousReportWeek(new Date('2026-10-26T07:00:00Z'), 'Europe/Paris')).toEqual(W43);
  });

  it('uses the Paris date, not the UTC date, just after midnight', () => {
    // 00:30 Monday in Paris is still Sunday 23:30 in UTC: a UTC calendar would pick W42.
    expect(previousReportWeek(new Date('2026-10-25T23:30:00Z'), 'Europe/Paris')).toEqual(W43);
    expect(previousReportWeek(new Date('2026-10-25T23:30:00Z'), 'UTC')).toEqual({
      label: '2026-W42',
      from: '2026-10-12',
      to: '2026-10-18',
    });
    // 23:30 Sunday in Paris: the week is not over, so the previous one is reported.
    expect(previousReportWeek(new Date('2026-10-25T22:30:00Z'), 'Europe/Paris')).toEqual({
      label: '2026-W42',
      from: '2026-10-12',
      to: '2026-10-18',
    });
  });

  it('in spring, when Paris skips an hour (29 March 2026)', () => {
    // Monday 30 Mar 00:15 CEST = Sunday 22:15 UTC.
    expect(previousReportWeek(new Date('2026-03-29T22:15:00Z'), 'Europe/Paris')).toEqual({
      label: '2026-W13',
      from: '2026-03-23',
      to: '2026-03-29',
    });
  });
});

describe('weeks across a year boundary', () => {
  it('knows that 2026 has 53 ISO weeks', () => {
    expect(shiftWeek(reportWeek('2027-W01'), -1)).toEqual({ label: '2026-W53', from: '2026-12-28', to: '2027-01-03' });
    expect(shiftWeek(reportWeek('2026-W01'), -1)).toEqual({ label: '2025-W52', from: '2025-12-22', to: '2025-12-28' });
  });

  it('rejects a label that does not exist', () => {
    expect(() => reportWeek('2025-W53')).toThrow(DateError);
  });

  it('accepts only exact ISO weeks as report weeks', () => {
    expect(() => assertReportWeek({ label: '2026-W53', from: '2026-12-28', to: '2027-01-03' })).not.toThrow();
    expect(() => assertReportWeek({ label: '2026-W52', from: '2026-12-28', to: '2027-01-03' })).toThrow(InvalidReportInputError);
    expect(() => assertReportWeek({ label: '2026-W53', from: '2026-12-28', to: '2027-01-02' })).toThrow(InvalidReportInputError);
    expect(() => assertReportWeek({ label: '2026-W53', from: '2026-13-28', to: '2027-01-03' })).toThrow(InvalidReportInputError);
  });
});
