import { describe, expect, it } from 'vitest';
import { PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import {
  billableUnitQuery,
  CUSTOMER_QUERY,
  campaignQuery,
  campaignsQuery,
  dailyMetricsQuery,
} from '../../../../lib/platforms/google-ads/gaql.ts';
import { parseGaql } from '../../../../lib/sim/google-ads/gaql.ts';

describe('GAQL the connector sends', () => {
  it('reads metrics per campaign per day over a closed date range, with every field the row needs', () => {
    expect(dailyMetricsQuery('2026-10-01', '2026-10-28')).toBe(
      "SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '2026-10-01' AND '2026-10-28'",
    );
  });

  it('reads the customer, campaigns with their budgets, one campaign, and the billable unit', () => {
    expect(CUSTOMER_QUERY).toBe('SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer');
    const campaignFields =
      'campaign.id, campaign.name, campaign.status, campaign.bidding_strategy_system_status, campaign_budget.id, campaign_budget.amount_micros, campaign_budget.explicitly_shared, campaign_budget.reference_count, campaign_budget.period';
    expect(campaignsQuery()).toBe(`SELECT ${campaignFields} FROM campaign`);
    expect(campaignQuery('111')).toBe(`SELECT ${campaignFields} FROM campaign WHERE campaign.id = 111`);
    expect(billableUnitQuery('JPY')).toBe(
      "SELECT currency_constant.code, currency_constant.billable_unit_micros FROM currency_constant WHERE currency_constant.code = 'JPY'",
    );
  });

  it('parses back into the intended clauses (the fake understands what the connector sends)', () => {
    expect(parseGaql(dailyMetricsQuery('2026-10-01', '2026-10-07'))).toEqual({
      select: [
        'campaign.id',
        'segments.date',
        'metrics.impressions',
        'metrics.clicks',
        'metrics.cost_micros',
        'metrics.conversions',
        'metrics.conversions_value',
      ],
      from: 'campaign',
      where: [
        {
          field: 'segments.date',
          op: 'BETWEEN',
          low: { kind: 'string', value: '2026-10-01' },
          high: { kind: 'string', value: '2026-10-07' },
        },
      ],
      orderBy: [],
      limit: undefined,
      parameters: {},
    });
  });

  it('never puts an unvalidated value in a query', () => {
    const bad = [
      () => dailyMetricsQuery("2026-10-01' OR '1'='1", '2026-10-02'),
      () => dailyMetricsQuery('2026-02-30', '2026-03-01'),
      () => dailyMetricsQuery('2026-10-02', '2026-10-01'),
      () => campaignQuery('111 OR campaign.id > 0'),
      () => campaignQuery(''),
      () => billableUnitQuery("USD' OR 'a'='a"),
    ];
    for (const build of bad) expect(build).toThrow(PlatformRequestError);
  });
});
