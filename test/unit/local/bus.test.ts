import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvent } from '../../../lib/events/publisher.ts';
import type { AdpilotEvent, EventDetail } from '../../../lib/events/schemas.ts';
import { type EventEnvelope, EventLogError, InvalidEventError, LocalEventBus, readEvents } from '../../../lib/local/bus.ts';
import { fixedClock } from '../../../lib/runtime/clock.ts';

const AT = new Date('2026-01-12T08:15:30.250Z');

function ingested(accountId = 'act_1'): AdpilotEvent<'Metrics Ingested'> {
  return makeEvent(
    'Metrics Ingested',
    {
      version: 1,
      id: `ingest:acme:meta:${accountId}:2026-01-12`,
      client: 'acme',
      platform: 'meta',
      accountId,
      from: '2025-12-15',
      to: '2026-01-12',
      rowsWritten: 12,
      rowsUnchanged: 300,
      adsets: 4,
    },
    AT,
  );
}

function anomaly(severity: 'low' | 'medium' | 'high'): AdpilotEvent<'Anomaly Detected'> {
  const detail: EventDetail<'Anomaly Detected'> = {
    version: 1,
    id: `anomaly:acme:meta:42:2026-01-12:spend-spike:${severity}`,
    client: 'acme',
    platform: 'meta',
    accountId: 'act_1',
    adsetId: '42',
    adsetName: 'Prospecting <FR>',
    date: '2026-01-12',
    faultType: 'spend-spike',
    metric: 'spend',
    observed: 900,
    expected: { low: 100, high: 300 },
    severity,
    hint: 'check the bid cap',
  };
  return makeEvent('Anomaly Detected', detail, AT);
}

function envelopeOf(event: AdpilotEvent): EventEnvelope {
  return {
    version: '0',
    id: event.detail.id,
    'detail-type': event.detailType,
    source: 'adpilot',
    account: '000000000000',
    time: '2026-01-12T08:15:30Z',
    region: 'local',
    resources: [],
    detail: event.detail,
  };
}

describe('LocalEventBus', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adpilot-bus-'));
    file = join(dir, 'nested', 'events.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends each event as one line in the EventBridge envelope', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', file });
    await bus.publish([ingested(), anomaly('high')]);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(Object.keys(JSON.parse(lines[0] ?? '{}'))).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(await readEvents(file)).toEqual([envelopeOf(ingested()), envelopeOf(anomaly('high'))]);
    expect(bus.published).toBe(2);
    expect(bus.events).toEqual([envelopeOf(ingested()), envelopeOf(anomaly('high'))]);
  });

  it('keeps events in memory only when no file is given', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', account: '123456789012', region: 'eu-west-3' });
    await bus.publish([ingested()]);
    expect(bus.events).toEqual([{ ...envelopeOf(ingested()), account: '123456789012', region: 'eu-west-3' }]);
  });

  it('delivers each event to the subscribers whose pattern matches, rules included', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', file });
    const got: Record<string, string[]> = { detect: [], alert: [], all: [] };
    bus.subscribeRule('detectAfterIngest', (e) => void got.detect?.push(e.id));
    bus.subscribeRule('alertOnAnomaly', (e) => void got.alert?.push(e.id));
    bus.subscribe({ source: ['adpilot'] }, (e) => void got.all?.push(e.id));
    await bus.publish([ingested(), anomaly('low'), anomaly('high')]);
    expect(got).toEqual({
      detect: [ingested().detail.id],
      alert: [anomaly('high').detail.id],
      all: [ingested().detail.id, anomaly('low').detail.id, anomaly('high').detail.id],
    });
  });

  it('hands subscribers the envelope, as EventBridge hands it to a Lambda target', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme' });
    const received: EventEnvelope[] = [];
    bus.subscribeRule('detectAfterIngest', (e) => void received.push(e));
    await bus.publish([ingested()]);
    expect(received).toEqual([envelopeOf(ingested())]);
  });

  it('reports a failing subscriber without stopping delivery to the others or failing the publisher', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', clock: fixedClock('2026-01-12T09:00:00Z') });
    const delivered: string[] = [];
    bus.subscribe(
      { 'detail-type': ['Metrics Ingested'] },
      () => {
        throw new RangeError('detector crashed');
      },
      'detector',
    );
    bus.subscribe({ source: ['adpilot'] }, (e) => void delivered.push(e.id));
    const failure = {
      subscriber: 'detector',
      eventId: ingested().detail.id,
      detailType: 'Metrics Ingested',
      error: 'RangeError: detector crashed',
      at: '2026-01-12T09:00:00.000Z',
    };
    expect(await bus.publishAndDeliver([ingested(), anomaly('low')])).toEqual([failure]);
    expect(delivered).toEqual([ingested().detail.id, anomaly('low').detail.id]);
    await bus.publish([ingested('act_2')]);
    expect(bus.takeFailures()).toEqual([failure, { ...failure, eventId: ingested('act_2').detail.id }]);
    expect(bus.takeFailures()).toEqual([]);
  });

  it('names a failing rule subscriber after its rule', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', clock: fixedClock('2026-01-12T09:00:00Z') });
    bus.subscribeRule('alertOnAnomaly', async () => {
      throw new Error('topic unavailable');
    });
    await bus.publish([anomaly('high')]);
    expect(bus.takeFailures().map((f) => [f.subscriber, f.error])).toEqual([['alertOnAnomaly', 'Error: topic unavailable']]);
  });

  it('stops delivering to a subscriber once it unsubscribes', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme' });
    const got: string[] = [];
    const unsubscribe = bus.subscribe({}, (e) => void got.push(e.detail.client));
    await bus.publish([ingested()]);
    unsubscribe();
    await bus.publish([ingested('act_2')]);
    expect(got).toEqual(['acme']);
  });

  it('delivers events published by a subscriber too (a chain of rules)', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', file });
    bus.subscribeRule('detectAfterIngest', () => bus.publish([anomaly('high')]));
    const alerts: string[] = [];
    bus.subscribeRule('alertOnAnomaly', (e) => void alerts.push(e.id));
    await bus.publish([ingested()]);
    expect(alerts).toEqual([anomaly('high').detail.id]);
    expect((await readEvents(file)).map((e) => e['detail-type'])).toEqual(['Metrics Ingested', 'Anomaly Detected']);
  });

  it('rejects a batch with an invalid event before writing or delivering any of it', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', file });
    const delivered: string[] = [];
    bus.subscribe({}, (e) => void delivered.push(e.id));
    const broken = { ...anomaly('high'), detail: { ...anomaly('high').detail, severity: 'critical' } } as unknown as AdpilotEvent;
    await expect(bus.publish([ingested(), broken])).rejects.toThrow(InvalidEventError);
    await expect(bus.publish([ingested(), broken])).rejects.toThrow(/"Anomaly Detected" event:[\s\S]*severity/);
    await expect(bus.publish([{ ...ingested(), time: 'yesterday' }])).rejects.toThrow('time "yesterday" is not a date');
    await expect(bus.publish([{ ...ingested(), source: 'other' } as unknown as AdpilotEvent])).rejects.toThrow('source must be adpilot');
    expect(await readEvents(file)).toEqual([]);
    expect(delivered).toEqual([]);
    expect(bus.published).toBe(0);
  });

  it('never interleaves lines of concurrent publishers', async () => {
    const bus = new LocalEventBus({ busName: 'adpilot-acme', file });
    const accounts = Array.from({ length: 25 }, (_, i) => `act_${i}`);
    await Promise.all(accounts.map((a) => bus.publish([ingested(a), ingested(`${a}_b`)])));
    const events = await readEvents(file);
    expect(events.map((e) => e.id).sort()).toEqual(accounts.flatMap((a) => [ingested(a).detail.id, ingested(`${a}_b`).detail.id]).sort());
  });
});

describe('readEvents', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adpilot-events-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads an absent file as no events', async () => {
    expect(await readEvents(join(dir, 'missing.jsonl'))).toEqual([]);
  });

  it('names the file and line of a line that is not JSON', async () => {
    const file = join(dir, 'events.jsonl');
    const bus = new LocalEventBus({ busName: 'b', file });
    await bus.publish([ingested()]);
    await appendFile(file, '{not json\n');
    await expect(readEvents(file)).rejects.toThrow(new EventLogError(`${file}:2: not JSON`));
  });

  it('names the field of a line whose detail does not fit its schema', async () => {
    const file = join(dir, 'events.jsonl');
    const line = { ...envelopeOf(ingested()), detail: { ...ingested().detail, rowsWritten: -1 } };
    await appendFile(file, `${JSON.stringify(line)}\n`);
    await expect(readEvents(file)).rejects.toThrow(/events\.jsonl:1:[\s\S]*detail\.rowsWritten/);
  });
});
