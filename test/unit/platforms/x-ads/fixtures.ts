/**
 * Payloads shaped exactly like the documented X Ads API v12 examples (../shared/PLATFORM_APIS.md §7.1.3–7.1.7), and
 * a fake `fetch` answering by method and path from queues of answers (the last repeats), recording each call.
 */
import type { Fetch } from '../../../../lib/platforms/port.ts';

export const ACCOUNT_ID = '18ce54d4x5t';

export const ACCOUNT = {
  request: { params: { account_id: ACCOUNT_ID } },
  data: {
    name: 'Acme <b>on</b> X & co',
    business_name: null,
    timezone: 'America/Los_Angeles',
    timezone_switch_at: '2022-06-03T07:00:00Z',
    id: ACCOUNT_ID,
    created_at: '2022-06-03T21:38:07Z',
    updated_at: '2022-06-03T21:38:07Z',
    salt: 'f9f9d5a5f23075c4e3cb7c53bf4b28be',
    deleted: false,
    approval_status: 'ACCEPTED',
    business_id: null,
    industry_type: 'RETAIL',
  },
};

export const FUNDING_INSTRUMENTS = {
  request: { params: { account_id: ACCOUNT_ID } },
  next_cursor: null,
  data: [{ id: 'lygyi', name: 'Visa', currency: 'USD', type: 'CREDIT_CARD', entity_status: 'ACTIVE', deleted: false }],
};

/** The campaign of the reference example (§7.1.3): budget on the campaign, LINE_ITEM optimization. */
export const CAMPAIGN_8WKU2 = {
  name: 'test',
  budget_optimization: 'LINE_ITEM',
  reasons_not_servable: ['PAUSED_BY_ADVERTISER', 'INCOMPLETE'],
  servable: false,
  purchase_order_number: null,
  effective_status: 'UNKNOWN',
  daily_budget_amount_local_micro: 10000000,
  funding_instrument_id: 'lygyi',
  duration_in_days: null,
  standard_delivery: null,
  total_budget_amount_local_micro: null,
  id: '8wku2',
  entity_status: 'PAUSED',
  frequency_cap: null,
  currency: 'USD',
  created_at: '2022-06-03T21:38:07Z',
  updated_at: '2022-06-03T21:38:07Z',
  deleted: false,
};

export const CAMPAIGN_ACTIVE = {
  ...CAMPAIGN_8WKU2,
  id: 'c2aaa',
  name: 'Always on',
  entity_status: 'ACTIVE',
  daily_budget_amount_local_micro: null,
};

export function campaignsPage(data: readonly unknown[], nextCursor: string | null = null) {
  return { request: { params: { account_id: ACCOUNT_ID } }, next_cursor: nextCursor, data };
}

export function lineItem(id: string, campaignId: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    campaign_id: campaignId,
    name: `Line item ${id}`,
    entity_status: 'ACTIVE',
    bid_amount_local_micro: null,
    bid_strategy: 'AUTO',
    goal: 'WEBSITE_CONVERSIONS',
    objective: 'WEBSITE_CONVERSIONS',
    product_type: 'PROMOTED_TWEETS',
    placements: ['ALL_ON_TWITTER'],
    pay_by: 'IMPRESSION',
    daily_budget_amount_local_micro: null,
    total_budget_amount_local_micro: null,
    standard_delivery: true,
    start_time: '2022-06-04T00:00:00Z',
    end_time: null,
    currency: 'USD',
    created_at: '2022-06-03T21:38:07Z',
    updated_at: '2022-06-03T21:38:07Z',
    deleted: false,
    ...overrides,
  };
}

/** The two-day sync stats example of §7.1.5 (all three groups in one answer, as documented). */
export function statsAnswer(data: readonly unknown[], length = 2) {
  return {
    data_type: 'stats',
    time_series_length: length,
    data,
    request: {
      params: {
        start_time: '2026-05-19T07:00:00Z',
        end_time: '2026-05-21T07:00:00Z',
        entity: 'LINE_ITEM',
        entity_ids: ['8u94t', '9cqi0'],
        granularity: 'DAY',
        placement: 'ALL_ON_TWITTER',
        metric_groups: ['ENGAGEMENT', 'BILLING', 'WEB_CONVERSION'],
        segmentation_type: null,
        country: null,
        platform: null,
      },
    },
  };
}

export const DOCS_METRICS_8U94T = {
  impressions: [1233, 980],
  clicks: [58, 40],
  url_clicks: [31, 22],
  engagements: [58, 40],
  likes: [1, null],
  retweets: null,
  billed_charge_local_micro: [2500000, 1900000],
  billed_engagements: [31, 22],
  conversion_purchases: {
    metric: [2, 0],
    order_quantity: [2, 0],
    sale_amount: [5998, 0],
    post_view: [1, 0],
    post_engagement: [1, 0],
    assisted: [0, 0],
  },
};

export interface Answer {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | null;
}

/** A fetch answering `METHOD /path-suffix` keys from queues; anything else is a 404 that fails the test. */
export function routeFetch(routes: Record<string, readonly Answer[]>): { fetch: Fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const served = new Map<string, number>();
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    calls.push({ method, url, authorization: headers.get('authorization') });
    const key = Object.keys(routes)
      .filter((k) => {
        const [verb, suffix = ''] = k.split(' ');
        return verb === method && url.pathname.endsWith(suffix);
      })
      .sort((a, b) => b.length - a.length)[0];
    const answers = key === undefined ? undefined : routes[key];
    if (key === undefined || !answers) return new Response(`no route for ${method} ${url.pathname}`, { status: 404 });
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    const answer = answers[Math.min(n, answers.length - 1)] as Answer;
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status ?? 200, headers: { 'content-type': 'application/json', ...answer.headers } });
  };
  return { fetch: impl as Fetch, calls };
}
