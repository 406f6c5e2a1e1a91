import { describe, expect, it } from 'vitest';
import { AnomalyInputError } from '../../../lib/anomaly/errors.ts';
import { detectStaleData } from '../../../lib/anomaly/stale.ts';

describe('detectStaleData', () => {
  it('is fresh within the limit', () => {
    expect(detectStaleData({ lastFetchedAt: '2026-03-04T06:00:00Z', now: '2026-03-04T08:30:00Z', maxAgeHours: 3 })).toEqual({
      kind: 'fresh',
      ageHours: 2.5,
    });
  });

  it('is stale past the limit, always high (it is announced once per outage and must reach people)', () => {
    const stale = detectStaleData({
      lastFetchedAt: new Date('2026-03-04T00:00:00Z'),
      now: new Date('2026-03-04T05:00:00Z'),
      maxAgeHours: 3,
    });
    expect(stale).toEqual({
      kind: 'stale',
      faultType: 'stale-data',
      metric: 'dataAgeHours',
      ageHours: 5,
      silentHours: 5,
      expected: { low: 0, high: 3 },
      severity: 'high',
      hint:
        'The latest data is 5 hours old (limit 3), so anomaly checks and budget moves are working from old numbers. Check the ' +
        'ingestion runs for failures: an expired token, revoked permissions, or platform rate limits.',
    });
  });

  it('is stale, high, when nothing was ever fetched', () => {
    const never = detectStaleData({ lastFetchedAt: null, now: '2026-03-04T06:00:00Z', maxAgeHours: 3 });
    expect(never).toMatchObject({ kind: 'stale', ageHours: null, silentHours: null, severity: 'high' });
  });

  it('gives an account never fetched the limit from when monitoring began, then calls it stale', () => {
    const base = { lastFetchedAt: null, monitoredSince: '2026-03-04T06:00:00Z', maxAgeHours: 3 };
    expect(detectStaleData({ ...base, now: '2026-03-04T09:00:00Z' })).toEqual({ kind: 'fresh', ageHours: null });
    expect(detectStaleData({ ...base, now: '2026-03-04T10:30:00Z' })).toMatchObject({
      kind: 'stale',
      ageHours: null,
      silentHours: 4.5,
      severity: 'high',
      hint: 'No data has been fetched for this account in the 4 hours since adpilot began watching it: check that the access token is set and has read access to the ad account.',
    });
    expect(() => detectStaleData({ ...base, monitoredSince: 'then', now: '2026-03-04T10:30:00Z' })).toThrow(AnomalyInputError);
  });

  it('rejects unparseable instants and a non-positive limit', () => {
    expect(() => detectStaleData({ lastFetchedAt: 'yesterday', now: '2026-03-04T06:00:00Z', maxAgeHours: 3 })).toThrow(AnomalyInputError);
    expect(() => detectStaleData({ lastFetchedAt: null, now: '2026-03-04T06:00:00Z', maxAgeHours: 0 })).toThrow(AnomalyInputError);
  });
});
