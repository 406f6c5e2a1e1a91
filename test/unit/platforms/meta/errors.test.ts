import { describe, expect, it } from 'vitest';
import type { AdAccount } from '../../../../lib/model/ads.ts';
import { PlatformError, RateLimitedError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { createMetaConnector, type MetaConnectorOptions } from '../../../../lib/platforms/meta/connector.ts';
import type { Fetch } from '../../../../lib/platforms/port.ts';
import { exposedText, fixture, fixtureFetch, type Reply, recordingSleep } from './fixture-fetch.ts';

const TOKEN = 'EAAB-very-secret-Token-42';
const ACCOUNT_PATH = '/v25.0/act_1234567890';
const ENDPOINT = `GET ${ACCOUNT_PATH}`;

function metaWith(replies: Reply | readonly Reply[], options: Partial<MetaConnectorOptions> = {}) {
  const { fetch, calls } = fixtureFetch([{ path: ACCOUNT_PATH, reply: replies }]);
  const { sleep, delays } = recordingSleep();
  const meta = createMetaConnector({
    apiVersion: 'v25.0',
    accessToken: TOKEN,
    purchaseActionType: 'omni_purchase',
    fetch,
    sleep,
    random: () => 0.5,
    ...options,
  });
  return { meta, calls, delays };
}

function summary(error: unknown) {
  if (!(error instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return {
    name: error.name,
    retryable: error.retryable,
    status: error.status,
    code: error.code,
    endpoint: error.endpoint,
    ...(error instanceof RateLimitedError ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

const inline = (code: number, subcode?: number) =>
  JSON.stringify({
    error: { message: `(#${code}) test`, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'Abc' },
  });
const buc = (minutes: number) => ({
  'x-business-use-case-usage': JSON.stringify({
    '1234567890': [
      { type: 'ads_management', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: minutes },
    ],
  }),
});

describe('Meta error-code mapping', () => {
  const table: [string, Reply, ReturnType<typeof summary>][] = [
    [
      '80004 BUC throttle with a regain time',
      { status: 400, body: fixture('error-ads-management-throttle.json'), headers: buc(3) },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 80004, endpoint: ENDPOINT, retryAfterMs: 180_000 },
    ],
    [
      '80004 without usage header: default wait',
      { status: 400, body: fixture('error-ads-management-throttle.json') },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 80004, endpoint: ENDPOINT, retryAfterMs: 60_000 },
    ],
    [
      '4 app limit',
      { status: 400, body: fixture('error-app-limit.json') },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 4, endpoint: ENDPOINT, retryAfterMs: 60_000 },
    ],
    [
      '17 user / budget-change limit',
      { status: 400, body: fixture('error-budget-change-limit.json'), headers: buc(42) },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 17, endpoint: ENDPOINT, retryAfterMs: 2_520_000 },
    ],
    [
      '613 ad account limit',
      { status: 400, body: fixture('error-ad-account-limit.json') },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 613, endpoint: ENDPOINT, retryAfterMs: 60_000 },
    ],
    [
      '613 with x-ad-account-usage: waits its reset_time_duration',
      {
        status: 400,
        body: fixture('error-ad-account-limit.json'),
        headers: { 'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 100, reset_time_duration: 300 }) },
      },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 613, endpoint: ENDPOINT, retryAfterMs: 300_000 },
    ],
    [
      '100/1504018 insights too large: not retried as is',
      { status: 400, body: inline(100, 1504018) },
      { name: 'InsightsTooLargeError', retryable: false, status: 400, code: 100, endpoint: ENDPOINT },
    ],
    [
      '2/1504038 insights timed out: not retried as is',
      { status: 400, body: inline(2, 1504038) },
      { name: 'InsightsTooLargeError', retryable: false, status: 400, code: 2, endpoint: ENDPOINT },
    ],
    [
      '2/1504043 intermittent: transient',
      { status: 400, body: inline(2, 1504043) },
      { name: 'TransientPlatformError', retryable: true, status: 400, code: 2, endpoint: ENDPOINT },
    ],
    [
      '80000 insights BUC (range start)',
      { status: 400, body: inline(80000, 2446079) },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 80000, endpoint: ENDPOINT, retryAfterMs: 60_000 },
    ],
    [
      '80014 (range end)',
      { status: 400, body: inline(80014) },
      { name: 'RateLimitedError', retryable: true, status: 400, code: 80014, endpoint: ENDPOINT, retryAfterMs: 60_000 },
    ],
    [
      '80015 is outside the BUC range',
      { status: 400, body: inline(80015) },
      { name: 'PlatformRequestError', retryable: false, status: 400, code: 80015, endpoint: ENDPOINT },
    ],
    [
      '1 unknown error on HTTP 500',
      { status: 500, body: fixture('error-unknown.json') },
      { name: 'TransientPlatformError', retryable: true, status: 500, code: 1, endpoint: ENDPOINT },
    ],
    [
      '2 service unavailable',
      { status: 400, body: fixture('error-service-unavailable.json') },
      { name: 'TransientPlatformError', retryable: true, status: 400, code: 2, endpoint: ENDPOINT },
    ],
    [
      '190 expired token',
      { status: 400, body: fixture('error-token-expired.json') },
      { name: 'AuthError', retryable: false, status: 400, code: 190, endpoint: ENDPOINT },
    ],
    [
      '100 invalid parameter',
      { status: 400, body: fixture('error-invalid-parameter.json') },
      { name: 'PlatformRequestError', retryable: false, status: 400, code: 100, endpoint: ENDPOINT },
    ],
    [
      'HTTP 502 from a proxy, HTML body',
      { status: 502, body: '<html><body>Bad Gateway</body></html>' },
      { name: 'TransientPlatformError', retryable: true, status: 502, code: undefined, endpoint: ENDPOINT },
    ],
    [
      'HTTP 503, empty body',
      { status: 503, body: '' },
      { name: 'TransientPlatformError', retryable: true, status: 503, code: undefined, endpoint: ENDPOINT },
    ],
    [
      'HTTP 429 without a Meta body',
      { status: 429, body: '' },
      { name: 'RateLimitedError', retryable: true, status: 429, code: undefined, endpoint: ENDPOINT, retryAfterMs: 60_000 },
    ],
    [
      'HTTP 404 HTML',
      { status: 404, body: '<html>Not Found</html>' },
      { name: 'PlatformRequestError', retryable: false, status: 404, code: undefined, endpoint: ENDPOINT },
    ],
    [
      'HTTP 200 carrying an error body',
      { status: 200, body: fixture('error-token-expired.json') },
      { name: 'AuthError', retryable: false, status: 200, code: 190, endpoint: ENDPOINT },
    ],
    [
      'HTTP 200 with invalid JSON',
      { status: 200, body: '{"currency":"EUR","timezone_na' },
      { name: 'MalformedResponseError', retryable: true, status: undefined, code: undefined, endpoint: ENDPOINT },
    ],
    [
      'HTTP 200 missing a field',
      { status: 200, body: '{"id":"act_1234567890","name":"x","timezone_name":"Europe/Paris"}' },
      { name: 'MalformedResponseError', retryable: true, status: 200, code: undefined, endpoint: ENDPOINT },
    ],
  ];

  it.each(table)('%s', async (_label, reply, expected) => {
    const { meta } = metaWith(reply, { maxAttempts: 1 });
    expect(summary(await meta.getAccount('act_1234567890').catch((e: unknown) => e))).toEqual(expected);
  });

  it('maps a network failure and a timeout to TransientPlatformError', async () => {
    const failing = (error: Error): Fetch => (async () => Promise.reject(error)) as Fetch;
    const network = createMetaConnector({
      apiVersion: 'v25.0',
      accessToken: TOKEN,
      purchaseActionType: 'omni_purchase',
      fetch: failing(new TypeError('fetch failed')),
      maxAttempts: 1,
    });
    const timeout = createMetaConnector({
      apiVersion: 'v25.0',
      accessToken: TOKEN,
      purchaseActionType: 'omni_purchase',
      fetch: failing(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      maxAttempts: 1,
      timeoutMs: 1234,
    });
    const e1 = await network.getAccount('act_1').catch((e: unknown) => e);
    const e2 = await timeout.getAccount('act_1').catch((e: unknown) => e);
    expect([e1, e2].map((e) => [e instanceof TransientPlatformError, (e as Error).message])).toEqual([
      [true, 'Meta GET /v25.0/act_1: network error (fetch failed)'],
      [true, 'Meta GET /v25.0/act_1: no answer within 1234 ms'],
    ]);
  });

  it('names the malformed field of an account', async () => {
    const { meta } = metaWith(
      { body: '{"id":"act_1234567890","name":"x","currency":"euro","timezone_name":"Europe/Paris"}' },
      { maxAttempts: 1 },
    );
    await expect(meta.getAccount('act_1234567890')).rejects.toMatchObject({ name: 'MalformedResponseError', field: 'currency' });
  });
});

describe('Meta retries', () => {
  const ok = { body: fixture('account.json') };

  it('waits out a throttle for the time the BUC header gives, then succeeds', async () => {
    const { meta, calls, delays } = metaWith([{ status: 400, body: fixture('error-ads-management-throttle.json'), headers: buc(1) }, ok]);
    expect((await meta.getAccount('act_1234567890')).currency).toBe('EUR');
    expect({ calls: calls.length, delays }).toEqual({ calls: 2, delays: [60_000] });
  });

  it('backs off exponentially with jitter on 5xx, then succeeds', async () => {
    const { meta, calls, delays } = metaWith(
      [{ status: 500, body: fixture('error-unknown.json') }, { status: 502, body: 'Bad Gateway' }, ok],
      { baseDelayMs: 1000 },
    );
    expect((await meta.getAccount('act_1234567890')).currency).toBe('EUR');
    // random() = 0.5: half the backoff plus a quarter: 750 then 1500
    expect({ calls: calls.length, delays }).toEqual({ calls: 3, delays: [750, 1500] });
  });

  it('retries a malformed body', async () => {
    const { meta, calls } = metaWith([{ body: '{"currency":"EU' }, ok]);
    expect((await meta.getAccount('act_1234567890')).currency).toBe('EUR');
    expect(calls).toHaveLength(2);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { meta, calls, delays } = metaWith({ status: 503, body: '' }, { maxAttempts: 3, baseDelayMs: 100 });
    await expect(meta.getAccount('act_1234567890')).rejects.toBeInstanceOf(TransientPlatformError);
    expect({ calls: calls.length, delays }).toEqual({ calls: 3, delays: [75, 150] });
  });

  it('does not wait for a throttle longer than maxRetryWaitMs (the hour-long budget-change block)', async () => {
    const { meta, calls, delays } = metaWith({ status: 400, body: fixture('error-budget-change-limit.json'), headers: buc(45) });
    await expect(meta.getAccount('act_1234567890')).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 2_700_000, code: 17 });
    expect({ calls: calls.length, delays }).toEqual({ calls: 1, delays: [] });
  });

  it('does not retry auth or request errors', async () => {
    for (const body of [fixture('error-token-expired.json'), fixture('error-invalid-parameter.json')]) {
      const { meta, calls } = metaWith({ status: 400, body });
      await expect(meta.getAccount('act_1234567890')).rejects.toBeInstanceOf(PlatformError);
      expect(calls).toHaveLength(1);
    }
  });
});

describe('the access token never leaks', () => {
  const account: AdAccount = { platform: 'meta', accountId: 'act_1234567890', name: 'x', currency: 'EUR', timezone: 'Europe/Paris' };

  it('is sent as the access_token query parameter', async () => {
    const { meta, calls } = metaWith({ body: fixture('account.json') });
    await meta.getAccount('act_1234567890');
    expect(calls[0]?.url.searchParams.get('access_token')).toBe(TOKEN);
  });

  it('is absent from every error message, stack, property and cause', async () => {
    const echoUrl = (async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input);
      throw new TypeError(`fetch failed for ${url}`, { cause: new Error(`connect ECONNREFUSED ${url} token=${TOKEN}`) });
    }) as Fetch;
    const quoting = {
      status: 400,
      body: JSON.stringify({ error: { message: `Invalid OAuth access token: ${TOKEN}`, type: 'OAuthException', code: 190 } }),
    };
    const cases: Promise<unknown>[] = [
      createMetaConnector({ apiVersion: 'v25.0', accessToken: TOKEN, purchaseActionType: 'omni_purchase', fetch: echoUrl, maxAttempts: 1 })
        .getAccount('act_1234567890')
        .catch((e: unknown) => e),
      metaWith(quoting, { maxAttempts: 1 })
        .meta.getAccount('act_1234567890')
        .catch((e: unknown) => e),
      metaWith({ body: `{"broken": "${TOKEN}` }, { maxAttempts: 1 })
        .meta.getAccount('act_1234567890')
        .catch((e: unknown) => e),
      metaWith({ status: 400, body: fixture('error-ads-management-throttle.json') }, { maxAttempts: 1 })
        .meta.fetchDailyMetrics(account, '2026-10-01', '2026-10-01')
        .catch((e: unknown) => e),
    ];
    const errors = await Promise.all(cases);
    expect(errors.map((e) => e instanceof PlatformError)).toEqual([true, true, true, true]);
    for (const error of errors) {
      const text = exposedText(error);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(encodeURIComponent(TOKEN));
    }
    // the URL-bearing causes were kept, scrubbed
    expect(exposedText(errors[0])).toContain('access_token=[redacted]');
    expect(exposedText(errors[1])).toContain('Invalid OAuth access token: [redacted]');
  });
});
