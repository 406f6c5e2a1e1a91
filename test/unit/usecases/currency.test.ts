import { describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { toReportingMicros } from '../../../lib/usecases/currency.ts';
import { UseCaseError } from '../../../lib/usecases/errors.ts';

const config = parseClientConfig({
  client: 'acme',
  timezone: 'Europe/Paris',
  currency: 'EUR',
  budget: { dailyTotal: 100 },
  platforms: { meta: { accounts: ['act_1'] } },
  report: { recipients: ['lead@acme.example'], exchangeRates: { USD: 0.92, JPY: 0.0061 } },
});

describe('toReportingMicros', () => {
  it('converts exactly with the configured rate and leaves the reporting currency alone', () => {
    expect(toReportingMicros(config, 123_456_789, 'EUR')).toBe(123_456_789);
    expect(toReportingMicros(config, 100_000_000, 'USD')).toBe(92_000_000);
    // 0.0061 × 1,234,567 micros = 7,530.8587 → 7,531 (float arithmetic would give the same here, but not in general)
    expect(toReportingMicros(config, 1_234_567, 'JPY')).toBe(7_531);
  });

  it('names the missing rate and where to add it', () => {
    expect(() => toReportingMicros(config, 1, 'GBP')).toThrow(UseCaseError);
    expect(() => toReportingMicros(config, 1, 'GBP')).toThrow(/report\.exchangeRates\.GBP/);
  });
});
