/**
 * The LinkedIn connector against the fake LinkedIn Marketing API over loopback: what it reads equals the market
 * simulator's truth exactly (late conversions included), through 429s, 5xx, cut and corrupt bodies and timeouts,
 * across date × campaign slices that keep each analytics answer under the cap; budget writes land as decimal
 * strings, rounded down, via PARTIAL_UPDATE, and are read back; no error carries the token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DailyMetric } from '../../../lib/model/ads.ts';
import { daysBetween } from '../../../lib/model/dates.ts';
import {
  AuthError,
  MalformedResponseError,
  PlatformRequestError,
  RateLimitedError,
  TransientPlatformError,
} from '../../../lib/platforms/errors.ts';
import { createLinkedInConnector, type LinkedInConnectorOptions } from '../../../lib/platforms/linkedin/connector.ts';
import type { PlatformConnector } from '../../../lib/platforms/port.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import type { FakeLinkedInApiOptions } from '../../../lib/sim/linkedin/api.ts';
import { type FakeLinkedInServer, onlyAt, startFakeLinkedIn } from '../../../lib/sim/linkedin/server.ts';
import { JP_ACCOUNT, linkedinMarket, US_ACCOUNT } from './market.ts';

const TOKEN = 'li-integration-secret/+=';
const UNIT = 1_000_000;

const servers: FakeLinkedInServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(
  fault?: FaultHook,
  connector: Partial<LinkedInConnectorOptions> = {},
  fake: Partial<Omit<FakeLinkedInApiOptions, 'market'>> = {},
) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = linkedinMarket(clock, { maturity: (age) => Math.min(1, 0.5 + age / 10) });
  const server = await startFakeLinkedIn({ market, accessToken: TOKEN, ...fake, ...(fault ? { fault } : {}) });
  servers.push(server);
  const delays: number[] = [];
  const linkedin: PlatformConnector = createLinkedInConnector({
    baseUrl: server.baseUrl,
    accessToken: TOKEN,
    version: '202601',
    clock,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    timeoutMs: 300,
    ...connector,
  });
  return { clock, market, fake: server, linkedin, delays };
}

const byKey = (r: DailyMetric) => `${r.date}|${r.adsetId}`;
const sorted = (rows: readonly DailyMetric[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

function expectNoToken(error: unknown): void {
  const e = error as Error;
  const cause = e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ''}` : String(e.cause ?? '');
  const text = `${e.message} ${e.stack ?? ''} ${cause} ${JSON.stringify(e)}`;
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(encodeURIComponent(TOKEN));
}

/** A hook failing one request in four with a mix of LinkedIn-style faults, never two in a row. */
function mixedFaults(): FaultHook {
  const faults: FaultResponse[] = [
    { kind: 'throttle' },
    { kind: 'server-error' },
    { kind: 'server-error', status: 503 },
    { kind: 'malformed' },
    { kind: 'malformed', corrupt: { field: 'costInLocalCurrency', index: 1, value: 12.5 } },
    { kind: 'timeout', ms: 2_000 },
    { kind: 'malformed', corrupt: { field: 'pivotValues', index: 0, value: ['urn:li:sponsoredCampaign:999'] } },
  ];
  let seen = 0;
  return () => {
    seen += 1;
    return seen % 4 === 2 ? faults[Math.floor(seen / 4) % faults.length] : undefined;
  };
}

/** Campaigns × days of one logged analytics request, read from its decoded query. */
function elementsAsked(query: Record<string, string>): number {
  const campaigns = (query.campaigns ?? '').split(',').length;
  const m = /start:\(year:(\d+),month:(\d+),day:(\d+)\),end:\(year:(\d+),month:(\d+),day:(\d+)\)/.exec(query.dateRange ?? '');
  if (!m) throw new Error(`no dateRange in ${JSON.stringify(query)}`);
  const date = (y?: string, mo?: string, d?: string) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return campaigns * (daysBetween(date(m[1], m[2], m[3]), date(m[4], m[5], m[6])) + 1);
}

describe('LinkedIn connector against the fake', () => {
  it('reads ad accounts with their currency, on UTC (LinkedIn accounts have no time zone)', async () => {
    const { linkedin } = await setup();
    expect(await linkedin.getAccount(JP_ACCOUNT)).toEqual({
      platform: 'linkedin',
      accountId: JP_ACCOUNT,
      name: 'Acme 日本',
      currency: 'JPY',
      timezone: 'UTC',
    });
  });

  it('lists campaigns as ad sets (groups as campaigns) across pages, with statuses, budgets and hostile names as text', async () => {
    const { linkedin, market, fake } = await setup(undefined, { pageSize: 2 });
    const account = await linkedin.getAccount(US_ACCOUNT);
    expect(await linkedin.listAdSets(account)).toEqual(market.adsets(US_ACCOUNT));
    const pages = fake.requests.filter((r) => r.path.endsWith('/adCampaigns'));
    expect(pages.map((r) => r.query.pageToken !== undefined)).toEqual([false, true, true]);
    expect(pages[0]?.rawQuery).toContain(
      'search=(status:(values:List(ACTIVE,PAUSED,ARCHIVED,COMPLETED,CANCELED,PENDING_DELETION,REMOVED)))',
    );
    expect(fake.requests.every((r) => r.version === '202601' && r.protocol === '2.0.0')).toBe(true);
  });

  it.each([US_ACCOUNT, JP_ACCOUNT])(
    'reads 90 days (%s) equal to the truth, with late conversions, through mixed faults, each answer within the cap',
    async (accountId) => {
      const { linkedin, market, fake, delays } = await setup(mixedFaults(), { maxElements: 20, pageSize: 2 }, { maxElements: 20 });
      const account = await linkedin.getAccount(accountId);
      const from = '2026-08-04';
      const to = '2026-11-01';
      const rows = await linkedin.fetchDailyMetrics(account, from, to);
      const truth = market.reportedResults(accountId, from, to);
      expect(truth.length).toBeGreaterThan(100);
      expect(sorted(rows)).toEqual(sorted(truth));
      // Late conversions: the last days report fewer than the final truth.
      expect(market.dailyResults(accountId, '2026-10-30', to).reduce((n, r) => n + r.conversions, 0)).toBeGreaterThan(
        truth.filter((r) => r.date >= '2026-10-30').reduce((n, r) => n + r.conversions, 0),
      );
      expect(fake.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(3);
      expect(delays.length).toBe(fake.requests.filter((r) => r.fault || (r.status !== null && r.status >= 400)).length);
      const analytics = fake.requests.filter((r) => r.path === '/rest/adAnalytics');
      expect(analytics.length).toBeGreaterThan(1);
      for (const request of analytics) expect(elementsAsked(request.query)).toBeLessThanOrEqual(20);
      expect(analytics[0]?.rawQuery).toContain(`accounts=List(urn%3Ali%3AsponsoredAccount%3A${accountId})`);
      expect(analytics[0]?.rawQuery).toMatch(/campaigns=List\(urn%3Ali%3AsponsoredCampaign%3A\d+(,urn%3Ali%3AsponsoredCampaign%3A\d+)*\)/);
      expect(analytics[0]?.query.fields).toBe(
        'dateRange,pivotValues,impressions,clicks,costInLocalCurrency,externalWebsiteConversions,conversionValueInLocalCurrency',
      );
    },
  );

  it('reads conversions encoded as strings ([U] in the spec) to the same truth', async () => {
    const { linkedin, market } = await setup(undefined, {}, { conversionEncoding: 'string' });
    const account = await linkedin.getAccount(US_ACCOUNT);
    const rows = await linkedin.fetchDailyMetrics(account, '2026-10-01', '2026-11-01');
    expect(sorted(rows)).toEqual(sorted(market.reportedResults(US_ACCOUNT, '2026-10-01', '2026-11-01')));
  });

  it('an analytics answer past the cap is cut silently by the fake, as by LinkedIn: slicing is what keeps rows', async () => {
    const { linkedin, market } = await setup(undefined, {}, { maxElements: 60 });
    const account = await linkedin.getAccount(US_ACCOUNT);
    const rows = await linkedin.fetchDailyMetrics(account, '2026-08-04', '2026-11-01');
    expect(rows.length).toBe(60);
    expect(market.reportedResults(US_ACCOUNT, '2026-08-04', '2026-11-01').length).toBeGreaterThan(60);
  });

  it('a throttle that does not stop is a RateLimitedError after the last attempt', async () => {
    const { linkedin, fake } = await setup(() => ({ kind: 'throttle' }), { maxAttempts: 3 });
    const error = await linkedin.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).code).toBe('TOO_MANY_REQUESTS');
    expect((error as RateLimitedError).retryAfterMs).toBe(5_000);
    expect(fake.requests.length).toBe(3);
    expectNoToken(error);
  });

  it('the daily limit (reset at midnight UTC) is not retried: RateLimitedError until midnight', async () => {
    const { linkedin, fake } = await setup(undefined, {}, { dailyQuota: 2 });
    const account = await linkedin.getAccount(US_ACCOUNT);
    await linkedin.getAccount(US_ACCOUNT);
    const error = await linkedin.listAdSets(account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(17 * 3_600_000);
    expect(fake.requests.filter((r) => r.status === 429).length).toBeLessThanOrEqual(2);
    expectNoToken(error);
  });

  it('an expired token is an AuthError, not retried, without the token in it', async () => {
    const { linkedin, fake } = await setup(() => ({ kind: 'expired-token' }));
    const error = await linkedin.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('EXPIRED_ACCESS_TOKEN');
    expect(fake.requests.length).toBe(1);
    expectNoToken(error);
  });

  it('a wrong token is an AuthError without either token in it', async () => {
    const { linkedin } = await setup(undefined, { accessToken: 'li-wrong-token' });
    const error = await linkedin.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expectNoToken(error);
    expect((error as Error).message).not.toContain('li-wrong-token');
  });

  it('a version LinkedIn does not serve is a PlatformRequestError (426), not retried', async () => {
    const { linkedin, fake } = await setup(undefined, { version: '202501' }, { activeVersions: ['202601'] });
    const error = await linkedin.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as PlatformRequestError).status).toBe(426);
    expect(fake.requests.length).toBe(1);
  });

  it('server errors that persist are a TransientPlatformError; timeouts are retried', async () => {
    const failing = await setup(() => ({ kind: 'server-error', status: 503 }), { maxAttempts: 2 });
    const error = await failing.linkedin.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientPlatformError);
    expect((error as TransientPlatformError).status).toBe(503);
    expectNoToken(error);
    const slow = await setup(onlyAt([1], { kind: 'timeout', ms: 2_000 }));
    expect((await slow.linkedin.getAccount(US_ACCOUNT)).currency).toBe('USD');
    expect(slow.fake.requests.length).toBe(2);
  });

  it('a corrupt element that stays corrupt is a MalformedResponseError naming the field; a cut body names the body', async () => {
    const account = { platform: 'linkedin' as const, accountId: US_ACCOUNT, name: '', currency: 'USD', timezone: 'UTC' };
    const corrupt = await setup(
      (r) =>
        r.path === '/rest/adAnalytics'
          ? { kind: 'malformed', corrupt: { field: 'costInLocalCurrency', index: 2, value: '1,5' } }
          : undefined,
      { maxAttempts: 2 },
    );
    const error = await corrupt.linkedin.fetchDailyMetrics(account, '2026-10-01', '2026-10-10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('elements[2].costInLocalCurrency');
    expectNoToken(error);
    const cut = await setup(() => ({ kind: 'malformed' }), { maxAttempts: 2 });
    const cutError = await cut.linkedin.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(cutError).toBeInstanceOf(MalformedResponseError);
    expect((cutError as MalformedResponseError).field).toBe('(body)');
  });

  it('writes a USD budget rounded down to cents with PARTIAL_UPDATE, retried through a 429, read back; it applies from the next day', async () => {
    const { linkedin, market, fake } = await setup(onlyAt([1], 'throttle', (r) => r.method === 'POST'));
    const account = await linkedin.getAccount(US_ACCOUNT);
    const adset = (await linkedin.listAdSets(account)).find((a) => a.adsetId === '600000001');
    if (!adset) throw new Error('fixture changed');
    expect(await linkedin.setDailyBudget(adset, 150_456_789)).toEqual({ appliedMicros: 150_450_000, readBackMicros: 150_450_000 });
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => ({ path: r.path, method: r.restliMethod, body: r.body }))).toEqual([
      {
        path: `/rest/adAccounts/${US_ACCOUNT}/adCampaigns/600000001`,
        method: 'PARTIAL_UPDATE',
        body: { patch: { $set: { dailyBudget: { amount: '150.45', currencyCode: 'USD' } } } },
      },
      {
        path: `/rest/adAccounts/${US_ACCOUNT}/adCampaigns/600000001`,
        method: 'PARTIAL_UPDATE',
        body: { patch: { $set: { dailyBudget: { amount: '150.45', currencyCode: 'USD' } } } },
      },
    ]);
    expect(posts.map((r) => r.status)).toEqual([429, 204]);
    expect(market.budgetOn('600000001', '2026-11-03')).toBe(150_450_000);
    expect(market.budgetOn('600000001', '2026-11-01')).toBe(120 * UNIT);
    expect(await linkedin.getDailyBudget(adset)).toBe(150_450_000);
  });

  it('writes a JPY budget in whole yen', async () => {
    const { linkedin, fake, market } = await setup();
    const account = await linkedin.getAccount(JP_ACCOUNT);
    const adset = (await linkedin.listAdSets(account))[0];
    if (!adset) throw new Error('fixture changed');
    expect(await linkedin.setDailyBudget(adset, 18_000_999_999)).toEqual({ appliedMicros: 18_000_000_000, readBackMicros: 18_000_000_000 });
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toEqual({
      patch: { $set: { dailyBudget: { amount: '18000', currencyCode: 'JPY' } } },
    });
    expect(market.adset(adset.adsetId).dailyBudgetMicros).toBe(18_000_000_000);
  });

  it('validateOnly checks locally and sends no write', async () => {
    const { linkedin, fake, market } = await setup();
    const account = await linkedin.getAccount(US_ACCOUNT);
    const adset = (await linkedin.listAdSets(account)).find((a) => a.adsetId === '600000003');
    if (!adset) throw new Error('fixture changed');
    expect(await linkedin.setDailyBudget(adset, 99_999_999, { validateOnly: true })).toEqual({
      appliedMicros: 99_990_000,
      readBackMicros: 55_500_000,
    });
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(market.adset('600000003').dailyBudgetMicros).toBe(55_500_000);
  });

  it('pauses then re-activates a campaign with PARTIAL_UPDATE status writes, read back; each applies from the next day', async () => {
    const { linkedin, market, fake } = await setup();
    const account = await linkedin.getAccount(US_ACCOUNT);
    const adset = (await linkedin.listAdSets(account)).find((a) => a.adsetId === '600000001');
    if (!adset) throw new Error('fixture changed');
    expect(await linkedin.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([market.statusOn('600000001', '2026-11-02'), market.statusOn('600000001', '2026-11-03')]).toEqual(['ACTIVE', 'PAUSED']);
    expect((await linkedin.listAdSets(account)).find((a) => a.adsetId === '600000001')?.status).toBe('PAUSED');
    // Pausing again is accepted: the write is absolute.
    expect(await linkedin.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(await linkedin.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(market.statusOn('600000001', '2026-11-03')).toBe('ACTIVE');
    const path = `/rest/adAccounts/${US_ACCOUNT}/adCampaigns/600000001`;
    expect(
      fake.requests
        .filter((r) => r.path === path)
        .map((r) => ({ method: r.method, restli: r.restliMethod, body: r.body, status: r.status })),
    ).toEqual([
      { method: 'POST', restli: 'PARTIAL_UPDATE', body: { patch: { $set: { status: 'PAUSED' } } }, status: 204 },
      { method: 'GET', restli: undefined, body: undefined, status: 200 },
      { method: 'POST', restli: 'PARTIAL_UPDATE', body: { patch: { $set: { status: 'PAUSED' } } }, status: 204 },
      { method: 'GET', restli: undefined, body: undefined, status: 200 },
      { method: 'POST', restli: 'PARTIAL_UPDATE', body: { patch: { $set: { status: 'ACTIVE' } } }, status: 204 },
      { method: 'GET', restli: undefined, body: undefined, status: 200 },
    ]);
    expect(market.adset('600000001').dailyBudgetMicros).toBe(120 * UNIT);
  });

  it('a 429 and a 500 on the status write are retried: the write lands once', async () => {
    for (const fault of [{ kind: 'throttle' }, { kind: 'server-error' }] as const) {
      const { linkedin, market, fake, delays } = await setup(onlyAt([1], fault, (r) => r.method === 'POST'));
      const adset = market.adset('600000003');
      expect(await linkedin.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
      expect(fake.requests.filter((r) => r.method === 'POST').map((r) => [r.status, r.fault])).toEqual([
        [fault.kind === 'throttle' ? 429 : 500, fault.kind],
        [204, undefined],
      ]);
      expect(delays.length).toBe(1);
      expect(market.statusOn('600000003', '2026-11-03')).toBe('PAUSED');
    }
  });

  it('a REMOVED campaign is refused by the fake as by LinkedIn: a PlatformRequestError, not retried, nothing changed', async () => {
    const { linkedin, market, fake } = await setup();
    const error = await linkedin.setStatus(market.adset('600000005'), 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as PlatformRequestError).status).toBe(400);
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(1);
    expect(market.statusOn('600000005', '2026-11-03')).toBe('DELETED');
    expectNoToken(error);
  });

  it('an expired token on the status write is an AuthError without the token; nothing is written', async () => {
    const { linkedin, market } = await setup(onlyAt([1], 'expired-token', (r) => r.method === 'POST'));
    const error = await linkedin.setStatus(market.adset('600000001'), 'PAUSED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expectNoToken(error);
    expect(market.statusOn('600000001', '2026-11-03')).toBe('ACTIVE');
  });
});
