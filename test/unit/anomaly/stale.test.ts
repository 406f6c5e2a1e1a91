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

  it('is stale past the limit, and high once twice as old', () => {
    const medium = detectStaleData({
      lastFetchedAt: new Date('2026-03-04T00:00:00Z'),
      now: new Date('2026-03-04T05:00:00Z'),
      maxAgeHours: 3,
    });
    expect(medium).toEqual({
      kind: 'stale',
      faultType: 'stale-data',
      metric: 'dataAgeHours',
      ageHours: 5,
      expected: { low: 0, high: 3 },
      severity: 'medium',
      hint:
        'The latest data is 5 hours old (limit 3), so anomaly checks and budget moves are working from old numbers. Check the ' +
        'ingestion runs for failures: an expired token, revoked permissions, or platform rate limits.',
    });
    const high = detectStaleData({ lastFetchedAt: '2026-03-04T00:00:00Z', now: '2026-03-04T06:00:00Z', maxAgeHours: 3 });
    expect(high.kind === 'stale' && high.severity).toBe('high');
  });

  it('is stale, high, when nothing was ever fetched', () => {
    const never = detectStaleData({ lastFetchedAt: null, now: '2026-03-04T06:00:00Z', maxAgeHours: 3 });
    expect(never).toMatchObject({ kind: 'stale', ageHours: null, severity: 'high' });
  });

  it('rejects unparseable instants and a non-positive limit', () => {
    expect(() => detectStaleData({ lastFetchedAt: 'yesterday', now: '2026-03-04T06:00:00Z', maxAgeHours: 3 })).toThrow(AnomalyInputError);
    expect(() => detectStaleData({ lastFetchedAt: null, now: '2026-03-04T06:00:00Z', maxAgeHours: 0 })).toThrow(AnomalyInputError);
  });
});
