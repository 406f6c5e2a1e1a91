/**
 * Alert routing on the local bus: subscribed with the patterns of lib/events/rules.ts for the client's
 * `alerts.minSeverity` (the same patterns CDK deploys), the alert subscriber gets exactly the anomalies at or
 * above that severity, and the failures, whatever the severity setting; events.jsonl keeps everything.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { makeEvent } from '../../../lib/events/publisher.ts';
import { rulePatterns } from '../../../lib/events/rules.ts';
import type { AdpilotEvent } from '../../../lib/events/schemas.ts';
import { LocalEventBus, readEvents } from '../../../lib/local/bus.ts';
import { startLocalRuntime } from '../../../lib/local/runtime.ts';
import { fixedClock } from '../../../lib/runtime/clock.ts';

const NOW = new Date('2026-11-19T06:00:00Z');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function anomaly(severity: 'low' | 'medium' | 'high', faultType: string): AdpilotEvent {
  return makeEvent(
    'Anomaly Detected',
    {
      version: 1,
      id: `anomaly:acme:meta:2385000000001:2026-11-18:${faultType}`,
      client: 'acme',
      platform: 'meta',
      accountId: 'act_1000000001',
      adsetId: '2385000000001',
      adsetName: 'Prospecting',
      date: '2026-11-18',
      faultType,
      metric: 'conversions',
      observed: 0,
      expected: { low: 4, high: 19 },
      severity,
      hint: 'Conversions collapsed.',
    },
    NOW,
  );
}

const failure = makeEvent(
  'Ingestion Failed',
  {
    version: 1,
    id: 'ingest-failed:acme:meta:act_1000000001:2026-11-19T06',
    client: 'acme',
    platform: 'meta',
    accountId: 'act_1000000001',
    reason: 'token expired',
    errorName: 'AuthError',
    retryable: false,
  },
  NOW,
);
/** Throttled: the next hourly run retries it, and a lasting silence is announced as stale data, so nobody is mailed. */
const transientFailure = makeEvent(
  'Ingestion Failed',
  {
    version: 1,
    id: 'ingest-failed:acme:meta:act_1000000001:2026-11-19T07',
    client: 'acme',
    platform: 'meta',
    accountId: 'act_1000000001',
    reason: 'rate limited (code 17)',
    errorName: 'RateLimitError',
    retryable: true,
  },
  NOW,
);

/** Publishes one anomaly per severity and two failures on a bus routed for `minSeverity`; returns what alerting got. */
async function route(minSeverity: 'low' | 'medium' | 'high' | undefined) {
  const config = parseClientConfig({
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00' },
    platforms: { meta: { accounts: ['act_1000000001'] } },
    report: { recipients: ['lead@acme.example'] },
    alerts: { emails: ['oncall@acme.example'], ...(minSeverity === undefined ? {} : { minSeverity }) },
  });
  const dir = mkdtempSync(join(tmpdir(), 'adpilot-alerts-'));
  dirs.push(dir);
  const bus = new LocalEventBus({ busName: 'adpilot-acme', file: join(dir, 'events.jsonl'), clock: fixedClock(NOW) });
  const patterns = rulePatterns(config.alerts);
  const alerted: string[] = [];
  bus.subscribe(patterns.alertOnAnomaly, (e) => void alerted.push(e.id), 'alertOnAnomaly');
  bus.subscribe(patterns.alertOnFailure, (e) => void alerted.push(e.id), 'alertOnFailure');
  bus.subscribe(patterns.alertOnIngestionFailure, (e) => void alerted.push(e.id), 'alertOnIngestionFailure');
  await bus.publish([
    anomaly('low', 'ctr-decay'),
    anomaly('medium', 'cpa-step'),
    anomaly('high', 'tracking-breakage'),
    failure,
    transientFailure,
  ]);
  expect(bus.takeFailures()).toEqual([]);
  const logged = (await readEvents(join(dir, 'events.jsonl'))).map((e) => e.id);
  return { alerted, logged };
}

describe('alert routing on the local bus follows alerts.minSeverity', () => {
  const all = [
    'anomaly:acme:meta:2385000000001:2026-11-18:ctr-decay',
    'anomaly:acme:meta:2385000000001:2026-11-18:cpa-step',
    'anomaly:acme:meta:2385000000001:2026-11-18:tracking-breakage',
    'ingest-failed:acme:meta:act_1000000001:2026-11-19T06',
    'ingest-failed:acme:meta:act_1000000001:2026-11-19T07',
  ];

  it('alerts on high-severity anomalies and failures retrying will not fix, by default', async () => {
    expect(await route(undefined)).toEqual({ alerted: [all[2], all[3]], logged: all });
  });

  it('alerts from medium up when the client asks for it', async () => {
    expect(await route('medium')).toEqual({ alerted: [all[1], all[2], all[3]], logged: all });
  });

  it('alerts on every anomaly from low up', async () => {
    expect(await route('low')).toEqual({ alerted: all.slice(0, 4), logged: all });
  });
});

describe('the local runtime delivers routed alerts to outbox/alerts.jsonl', () => {
  it('writes the anomalies at or above alerts.minSeverity and the failures, each once across re-runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adpilot-alerts-'));
    dirs.push(dir);
    const config = parseClientConfig(
      {
        client: 'acme',
        timezone: 'Europe/Paris',
        currency: 'EUR',
        budget: { dailyTotal: '100.00' },
        platforms: { meta: { accounts: ['act_1000000001'] } },
        report: { recipients: ['lead@acme.example'] },
        alerts: { emails: ['oncall@acme.example'], minSeverity: 'medium' },
      },
      'test',
    );
    const open = () =>
      startLocalRuntime({
        config,
        clock: fixedClock(NOW),
        dataDir: dir,
        connector: async () => {
          throw new Error('no platform in this test');
        },
      });
    const events = [anomaly('low', 'ctr-decay'), anomaly('medium', 'cpa-step'), anomaly('high', 'delivery-stop')];
    const first = await open();
    try {
      await first.ctx.events.publish(events);
    } finally {
      await first.close();
    }
    const again = await open();
    try {
      await again.ctx.events.publish(events);
      const lines = readFileSync(again.alertsFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { rule: string; text: string; detail: { severity: string } });
      expect(lines.map((l) => [l.rule, l.detail.severity])).toEqual([
        ['alertOnAnomaly', 'medium'],
        ['alertOnAnomaly', 'high'],
      ]);
      // What the e-mail and the webhook say, from the same text CDK deploys.
      expect(lines[1]?.text).toBe('adpilot acme · high · delivery-stop · Prospecting (meta, 2026-11-18): Conversions collapsed.');
    } finally {
      await again.close();
    }
  });
});
