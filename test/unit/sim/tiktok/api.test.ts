/** The fake TikTok API's status route (`adgroup/status/update`), without sockets. */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { FakeTikTokApi, type TikTokResponse } from '../../../../lib/sim/tiktok/api.ts';
import { tiktokMarket, US_ADVERTISER } from '../../../fixtures/tiktok/market.ts';

const TOKEN = 'tt-fake-unit';
const ACTIVE_GROUP = '1800000000000001';
const PAUSED_GROUP = '1800000000000002';

function setup() {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = tiktokMarket(clock);
  const api = new FakeTikTokApi({ market, accessToken: TOKEN });
  let index = 0;
  const call = (method: string, route: string, options: { query?: Record<string, string>; body?: unknown } = {}): TikTokResponse =>
    api.handle({
      method,
      path: `/open_api/v1.3/${route}/`,
      query: options.query ?? {},
      accessToken: TOKEN,
      body: options.body,
      index: ++index,
    });
  const statusUpdate = (ids: unknown, operationStatus: unknown, extra: Record<string, unknown> = {}) =>
    call('POST', 'adgroup/status/update', {
      body: { advertiser_id: US_ADVERTISER, adgroup_ids: ids, operation_status: operationStatus, allow_partial_success: false, ...extra },
    });
  const operationStatus = (id: string) => {
    const page = call('GET', 'adgroup/get', {
      query: { advertiser_id: US_ADVERTISER, filtering: JSON.stringify({ adgroup_ids: [id] }), page: '1', page_size: '10' },
    }).payload?.data as { list: { operation_status: string }[] };
    return page.list[0]?.operation_status;
  };
  const tomorrow = addDays(market.today(US_ADVERTISER), 1);
  return { market, call, statusUpdate, operationStatus, today: market.today(US_ADVERTISER), tomorrow };
}

const codeOf = (response: TikTokResponse) => [response.status, response.payload?.code];

describe('fake TikTok API: adgroup/status/update', () => {
  it('disables an ad group: adgroup/get shows DISABLE at once, the market pauses it from the next day', () => {
    const { market, statusUpdate, operationStatus, today, tomorrow } = setup();
    const response = statusUpdate([ACTIVE_GROUP], 'DISABLE');
    expect([response.status, response.payload?.code, response.payload?.data]).toEqual([200, 0, { adgroup_ids: [ACTIVE_GROUP] }]);
    expect(operationStatus(ACTIVE_GROUP)).toBe('DISABLE');
    expect([market.statusOn(ACTIVE_GROUP, today), market.statusOn(ACTIVE_GROUP, tomorrow)]).toEqual(['ACTIVE', 'PAUSED']);
  });

  it('enables a disabled ad group, and writing the status it already has is accepted', () => {
    const { market, statusUpdate, operationStatus, tomorrow } = setup();
    expect(codeOf(statusUpdate([PAUSED_GROUP], 'ENABLE'))).toEqual([200, 0]);
    expect(codeOf(statusUpdate([PAUSED_GROUP], 'ENABLE'))).toEqual([200, 0]);
    expect(operationStatus(PAUSED_GROUP)).toBe('ENABLE');
    expect(market.statusOn(PAUSED_GROUP, tomorrow)).toBe('ACTIVE');
  });

  it('refuses a deleted ad group with code 40002 in an HTTP 200 and changes nothing', () => {
    const { market, statusUpdate, tomorrow } = setup();
    expect(codeOf(statusUpdate([ACTIVE_GROUP], 'DELETE'))).toEqual([200, 0]);
    const refused = statusUpdate([ACTIVE_GROUP], 'ENABLE');
    expect(codeOf(refused)).toEqual([200, 40002]);
    expect(refused.payload?.message).toBe(`Ad group ${ACTIVE_GROUP} has been deleted and cannot be modified.`);
    expect(market.statusOn(ACTIVE_GROUP, tomorrow)).toBe('DELETED');
  });

  it('is all or nothing without allow_partial_success; with it, the refused ad groups are left out', () => {
    const { market, statusUpdate, tomorrow } = setup();
    market.setStatus(PAUSED_GROUP, 'DELETED');
    expect(codeOf(statusUpdate([ACTIVE_GROUP, PAUSED_GROUP], 'DISABLE'))).toEqual([200, 40002]);
    expect(market.statusOn(ACTIVE_GROUP, tomorrow)).toBe('ACTIVE');
    const partial = statusUpdate([ACTIVE_GROUP, PAUSED_GROUP], 'DISABLE', { allow_partial_success: true });
    expect([partial.payload?.code, partial.payload?.data]).toEqual([0, { adgroup_ids: [ACTIVE_GROUP] }]);
    expect(market.statusOn(ACTIVE_GROUP, tomorrow)).toBe('PAUSED');
  });

  it('refuses unknown ad groups, values and shapes with code 40002', () => {
    const { statusUpdate } = setup();
    const refusals = [
      statusUpdate(['1800000000000099'], 'DISABLE'),
      statusUpdate([ACTIVE_GROUP], 'PAUSED'),
      statusUpdate([], 'DISABLE'),
      statusUpdate(ACTIVE_GROUP, 'DISABLE'),
      statusUpdate([ACTIVE_GROUP], 'DISABLE', { allow_partial_success: 'no' }),
    ];
    expect(refusals.map(codeOf)).toEqual([
      [200, 40002],
      [200, 40002],
      [200, 40002],
      [200, 40002],
      [200, 40002],
    ]);
  });

  it('renders a throttle on the status route as code 40100 and applies nothing', () => {
    const clock = new ManualClock('2026-11-02T07:00:00Z');
    const market = tiktokMarket(clock);
    const api = new FakeTikTokApi({ market, accessToken: TOKEN });
    const request = {
      method: 'POST',
      path: '/open_api/v1.3/adgroup/status/update/',
      query: {},
      accessToken: TOKEN,
      body: { advertiser_id: US_ADVERTISER, adgroup_ids: [ACTIVE_GROUP], operation_status: 'DISABLE' },
      index: 1,
    };
    expect(codeOf(api.faultResponse(request, { kind: 'throttle' }))).toEqual([200, 40100]);
    expect(market.adset(ACTIVE_GROUP).status).toBe('ACTIVE');
  });
});
