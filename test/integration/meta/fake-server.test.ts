import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { everyNth, type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';

const TOKEN = 'raw-http-secret';
const BROAD = '23850000000001';
const servers: FakeMetaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(fault?: FaultHook) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = sampleMarket(42, clock, { startDate: '2026-10-01' });
  const fake = await startFakeMeta({ market, accessToken: TOKEN, ...(fault ? { fault } : {}) });
  servers.push(fake);
  return { market, fake, url: (path: string) => `${fake.baseUrl}${path}${path.includes('?') ? '&' : '?'}access_token=${TOKEN}` };
}

/** Waits (polling the event loop, at most 5 s) until the server has seen what the test waits for. */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const insightsQuery = `level=adset&time_increment=1&time_range=${encodeURIComponent('{"since":"2026-10-05","until":"2026-10-05"}')}&fields=adset_name,spend`;

describe('fake Meta server over HTTP', () => {
  it('listens on 127.0.0.1 and answers with Graph-style JSON and usage headers', async () => {
    const { url, fake } = await start();
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(url(`/v25.0/act_1000000001/insights?${insightsQuery}`));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(response.headers.get('facebook-api-version')).toBe('v25.0');
    for (const name of ['x-business-use-case-usage', 'x-ad-account-usage', 'x-app-usage'])
      expect(JSON.parse(response.headers.get(name) ?? '')).toEqual(expect.any(Object));
    // non-ASCII as \uXXXX and "/" as "\/", the hostile name stays data
    expect(text).toContain('Prospecting \\u2013 Broad');
    expect(text).toContain('<b>VIP<\\/b> \\"Winter\\" & co \\ud83d\\ude80 <script>alert(1)<\\/script>');
    expect((JSON.parse(text) as { data: unknown[] }).data).toHaveLength(6);
  });

  it('takes budget writes as a form body or a JSON body, and never logs the token', async () => {
    const { fake, market } = await start();
    const form = await fetch(`${fake.baseUrl}/v25.0/${BROAD}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ daily_budget: '41000', access_token: TOKEN }).toString(),
    });
    expect([form.status, await form.json()]).toEqual([200, { success: true }]);
    const json = await fetch(`${fake.baseUrl}/v25.0/${BROAD}?access_token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ daily_budget: 42000, execution_options: ['validate_only'] }),
    });
    expect([json.status, await json.json()]).toEqual([200, { success: true }]);
    expect(market.adset(BROAD).dailyBudgetMicros).toBe(410_000_000);
    expect(fake.requests).toEqual([
      { method: 'POST', path: `/v25.0/${BROAD}`, query: {}, body: { daily_budget: '41000' }, status: 200 },
      {
        method: 'POST',
        path: `/v25.0/${BROAD}`,
        query: {},
        body: { daily_budget: 42000, execution_options: ['validate_only'] },
        status: 200,
      },
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);
  });

  it('renders throttles in Meta style: code 80000 on insights, 80004 elsewhere, with the regain time in the BUC header', async () => {
    const { url } = await start(everyNth(1, { kind: 'throttle', minutes: 7 }));
    const onInsights = await fetch(url(`/v25.0/act_1000000001/insights?${insightsQuery}`));
    const onAdSet = await fetch(url(`/v25.0/${BROAD}?fields=daily_budget`));
    const bodies = (await Promise.all([onInsights.json(), onAdSet.json()])) as {
      error: { code: number; error_subcode: number; type: string };
    }[];
    expect(bodies.map((b) => [b.error.code, b.error.error_subcode, b.error.type])).toEqual([
      [80000, 2446079, 'OAuthException'],
      [80004, 2446079, 'OAuthException'],
    ]);
    expect([onInsights.status, onAdSet.status]).toEqual([400, 400]);
    expect(JSON.parse(onInsights.headers.get('x-business-use-case-usage') ?? '')).toEqual({
      '1000000001': [
        {
          type: 'ads_insights',
          call_count: 100,
          total_cputime: 34,
          total_time: 50,
          estimated_time_to_regain_access: 7,
          ads_api_access_tier: 'standard_access',
        },
      ],
    });
  });

  it('renders 500 as Meta JSON (code 1), 502 as a proxy HTML page, and an expired token as 190/463', async () => {
    let n = 0;
    const kinds = [{ kind: 'server-error' }, { kind: 'server-error', status: 502 }, { kind: 'expired-token' }] as const;
    const { url } = await start(() => kinds[n++]);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(url('/v25.0/act_1000000001?fields=name'));
      answers.push([r.status, r.headers.get('content-type'), await r.text()]);
    }
    expect(answers[0]?.slice(0, 2)).toEqual([500, 'application/json; charset=UTF-8']);
    expect(JSON.parse(String(answers[0]?.[2]))).toMatchObject({ error: { code: 1, error_subcode: 99, is_transient: true } });
    expect(answers[1]?.slice(0, 2)).toEqual([502, 'text/html; charset=utf-8']);
    expect(JSON.parse(String(answers[2]?.[2]))).toMatchObject({ error: { code: 190, error_subcode: 463, type: 'OAuthException' } });
  });

  it('cuts a malformed body in half so it is no longer JSON', async () => {
    const { url } = await start(everyNth(1, 'malformed'));
    const text = await (await fetch(url('/v25.0/act_1000000001?fields=name,currency'))).text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(text.length).toBeGreaterThan(10);
  });

  it('holds a hung request until the client gives up, and close() releases pending hangs', async () => {
    const { url, fake } = await start(everyNth(1, { kind: 'timeout', ms: 60_000 }));
    await expect(fetch(url('/v25.0/act_1000000001?fields=name'), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const pending = fetch(url('/v25.0/act_1000000001?fields=name')).catch((e: unknown) => e);
    await until(() => fake.requests.length === 2);
    const started = performance.now();
    await fake.close();
    servers.splice(0);
    expect(await pending).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(fake.requests.map((r) => [r.fault, r.status])).toEqual([
      ['timeout', null],
      ['timeout', null],
    ]);
  });

  it('answers an unknown path and an unversioned path with Graph errors', async () => {
    const { url } = await start();
    const unknown = (await (await fetch(url('/v25.0/act_1000000001/adcreatives'))).json()) as { error: { code: number } };
    const unversioned = (await (await fetch(url('/act_1000000001'))).json()) as { error: { code: number } };
    expect([unknown.error.code, unversioned.error.code]).toEqual([100, 2500]);
  });
});
