import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/errors.ts';
import { parseClientConfig, parseClientConfigText } from '../../../lib/config/load.ts';

const valid = {
  client: 'acme',
  timezone: 'Europe/Paris',
  currency: 'EUR',
  budget: { dailyTotal: '1500.00', mode: 'auto' },
  platforms: { meta: { accounts: ['act_1234567890'] } },
  report: { recipients: ['lead@acme.example'] },
};

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    parseClientConfig(raw, 'test.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('client config', () => {
  it('accepts the documented shape and fills the defaults', () => {
    const config = parseClientConfig(valid);
    expect(config.budget).toEqual({
      dailyTotal: 1_500_000_000,
      mode: 'auto',
      maxChangePct: 20,
      cooldownHours: 72,
      minDaily: 1_000_000,
      frozen: [],
    });
    expect(config.platforms.meta).toEqual({
      accounts: ['act_1234567890'],
      apiVersion: 'v25.0',
      purchaseActionType: 'omni_purchase',
      restatementDays: 28,
    });
    expect(config.objective).toBe('revenue');
    expect(config.report.weekday).toBe('monday');
    expect(config.alerts).toEqual({ emails: [], minSeverity: 'high', staleAfterHours: 3 });
  });

  it('names every bad field', () => {
    const issues = issuesOf({
      ...valid,
      timezone: 'Mars/Olympus',
      budget: { dailyTotal: 'lots', mode: 'yolo' },
      platforms: { meta: { accounts: ['1234'], maxConcurrentRuns: 0 } },
      report: { recipients: ['not-an-email'] },
      alerts: { staleAfterHours: 1 },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'alerts.staleAfterHours',
        'budget.dailyTotal',
        'budget.mode',
        'platforms.meta.accounts',
        'platforms.meta.maxConcurrentRuns',
        'report.recipients[0]',
        'timezone',
      ].sort(),
    );
  });

  it('rejects unknown keys (typos) instead of ignoring them', () => {
    expect(
      issuesOf({ ...valid, budgte: {} })
        .map((i) => i.message)
        .join(),
    ).toMatch(/budgte/);
  });

  it('rejects a minimum above the daily total and duplicate test ids', () => {
    expect(issuesOf({ ...valid, budget: { dailyTotal: 10, minDaily: 20 } })).toEqual([
      { path: 'budget.minDaily', message: 'must not exceed budget.dailyTotal' },
    ]);
    const arms = [
      { platform: 'meta', adsetId: '1' },
      { platform: 'meta', adsetId: '2' },
    ];
    expect(
      issuesOf({
        ...valid,
        tests: [
          { id: 't', arms },
          { id: 't', arms },
        ],
      }),
    ).toEqual([{ path: 'tests[1].id', message: 'duplicate test id t' }]);
  });

  it('takes ads as test arms, all of one platform, and refuses a budget shift between ads', () => {
    const ads = [
      { platform: 'meta', adId: '11' },
      { platform: 'meta', adId: '12' },
    ];
    expect(parseClientConfig({ ...valid, tests: [{ id: 'creatives', arms: ads, onConclusion: 'pause-loser' }] }).tests[0]?.arms).toEqual(
      ads,
    );
    expect(issuesOf({ ...valid, tests: [{ id: 'mixed', arms: [{ platform: 'meta', adsetId: '1' }, ads[0]] }] })).toEqual([
      { path: 'tests[0].arms', message: 'the arms of a test are all ad sets or all ads, not a mix' },
    ]);
    expect(issuesOf({ ...valid, tests: [{ id: 'x', arms: [ads[0], { platform: 'tiktok', adId: '13' }] }] })).toEqual([
      { path: 'tests[0].arms', message: 'ad arms must all be on one platform' },
    ]);
    expect(issuesOf({ ...valid, tests: [{ id: 'shift', arms: ads, onConclusion: 'shift-budget' }] })).toEqual([
      { path: 'tests[0].onConclusion', message: 'ads have no budget of their own: use pause-loser (or none) for a test of ads' },
    ]);
    expect(issuesOf({ ...valid, tests: [{ id: 'both', arms: [{ platform: 'meta', adId: '1', adsetId: '2' }, ads[0]] }] })).toEqual([
      { path: 'tests[0].arms[0]', message: 'an arm names its platform and either an adsetId or an adId' },
    ]);
  });

  it('requires at least one platform', () => {
    expect(issuesOf({ ...valid, platforms: {} })).toEqual([{ path: 'platforms', message: 'configure at least one platform' }]);
  });

  it('reads YAML and reports syntax errors with the file name', () => {
    const config = parseClientConfigText(
      'client: acme\ntimezone: Europe/Paris\ncurrency: EUR\nbudget: { dailyTotal: 100 }\nplatforms: { meta: { accounts: [act_1] } }\nreport: { recipients: [a@b.example] }\n',
      'acme.yaml',
    );
    expect(config.budget.dailyTotal).toBe(100_000_000);
    expect(() => parseClientConfigText('client: [unclosed', 'broken.yaml')).toThrow(/broken\.yaml/);
  });
});

describe('Lambda environment', () => {
  it('names every missing variable', async () => {
    const { readLambdaEnv } = await import('../../../lib/config/lambda-env.ts');
    expect(() => readLambdaEnv({ ADPILOT_TABLE_NAME: 't' })).toThrow(/ADPILOT_EVENT_BUS_NAME.*ADPILOT_CLIENT_CONFIG.*ADPILOT_SENDER/);
    expect(
      readLambdaEnv({ ADPILOT_TABLE_NAME: 't', ADPILOT_EVENT_BUS_NAME: 'b', ADPILOT_CLIENT_CONFIG: '{}', ADPILOT_SENDER: 'a@b.c' }),
    ).toEqual({
      ADPILOT_TABLE_NAME: 't',
      ADPILOT_EVENT_BUS_NAME: 'b',
      ADPILOT_CLIENT_CONFIG: '{}',
      ADPILOT_SENDER: 'a@b.c',
      ADPILOT_PLATFORM_SECRETS: '{}',
    });
  });
});
