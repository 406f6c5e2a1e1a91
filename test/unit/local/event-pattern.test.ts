import { describe, expect, it } from 'vitest';
import { RULES } from '../../../lib/events/rules.ts';
import { type MatchableEvent, matchesPattern, type NestedPattern, UnsupportedPatternError } from '../../../lib/local/event-pattern.ts';

function event(detailType: string, detail: Record<string, unknown>, source = 'adpilot'): MatchableEvent {
  return { source, 'detail-type': detailType, detail };
}

describe('matchesPattern: the deployed RULES', () => {
  const cases: [keyof typeof RULES, MatchableEvent, boolean][] = [
    ['detectAfterIngest', event('Metrics Ingested', { platform: 'meta' }), true],
    ['detectAfterIngest', event('Ingestion Failed', { platform: 'meta' }), false],
    ['detectAfterIngest', event('Metrics Ingested', { platform: 'meta' }, 'someone.else'), false],
    ['alertOnAnomaly', event('Anomaly Detected', { severity: 'high' }), true],
    ['alertOnAnomaly', event('Anomaly Detected', { severity: 'medium' }), false],
    ['alertOnAnomaly', event('Anomaly Detected', {}), false],
    ['alertOnAnomaly', event('Budget Changed', { severity: 'high' }), false],
    ['alertOnFailure', event('Budget Change Failed', {}), true],
    ['alertOnFailure', event('Ingestion Failed', { retryable: false }), false],
    ['alertOnFailure', event('Budget Changed', {}), false],
    ['alertOnIngestionFailure', event('Ingestion Failed', { retryable: false }), true],
    ['alertOnIngestionFailure', event('Ingestion Failed', { retryable: true }), false],
    ['alertOnIngestionFailure', event('Ingestion Failed', {}), false],
    ['alertOnIngestionFailure', event('Budget Change Failed', { retryable: false }), false],
  ];
  it.each(cases)('%s on %o → %s', (rule, e, expected) => {
    expect(matchesPattern(RULES[rule].pattern, e)).toBe(expected);
  });
});

describe('matchesPattern: EventBridge semantics', () => {
  const ingested = event('Metrics Ingested', {
    platform: 'google-ads',
    accountId: 'act_123',
    rowsWritten: 5,
    tags: ['prod', 'eu'],
    window: { from: '2026-01-01', days: 28 },
    adsets: [
      { id: 'a1', state: 'active' },
      { id: 'a2', state: 'paused' },
    ],
    note: null,
  });

  const cases: [string, NestedPattern, boolean][] = [
    ['an empty pattern matches everything', {}, true],
    ['exact values are ORed within a field', { 'detail-type': ['Anomaly Detected', 'Metrics Ingested'] }, true],
    ['fields are ANDed', { source: ['adpilot'], 'detail-type': ['Anomaly Detected'] }, false],
    ['numbers match numerically', { detail: { rowsWritten: [5] } }, true],
    ['matching is type-sensitive', { detail: { rowsWritten: ['5'] } }, false],
    ['null matches null', { detail: { note: [null] } }, true],
    ['a missing field never matches an exact value', { detail: { missing: ['x'] } }, false],
    ['prefix', { detail: { accountId: [{ prefix: 'act_' }] } }, true],
    ['prefix that does not match', { detail: { platform: [{ prefix: 'meta' }] } }, false],
    ['prefix ignores numbers', { detail: { rowsWritten: [{ prefix: '5' }] } }, false],
    ['suffix', { detail: { platform: [{ suffix: '-ads' }] } }, true],
    ['anything-but a list', { detail: { platform: [{ 'anything-but': ['meta', 'tiktok'] }] } }, true],
    ['anything-but a listed value', { detail: { platform: [{ 'anything-but': ['google-ads'] }] } }, false],
    ['anything-but a single value', { detail: { platform: [{ 'anything-but': 'google-ads' }] } }, false],
    ['anything-but a number', { detail: { rowsWritten: [{ 'anything-but': [0] }] } }, true],
    ['anything-but a prefix', { detail: { accountId: [{ 'anything-but': { prefix: 'act_' } }] } }, false],
    ['anything-but never matches a missing field', { detail: { missing: [{ 'anything-but': ['x'] }] } }, false],
    ['nested detail objects', { detail: { window: { days: [28], from: [{ prefix: '2026-' }] } } }, true],
    ['nested detail objects that differ', { detail: { window: { days: [7] } } }, false],
    ['a pattern object never matches a scalar', { detail: { platform: { id: ['x'] } } }, false],
    ['an array in the event matches if any element does', { detail: { tags: ['eu'] } }, true],
    ['an array in the event with no matching element', { detail: { tags: ['us'] } }, false],
    ['prefix on an array in the event', { detail: { tags: [{ prefix: 'pr' }] } }, true],
    ['anything-but on an array: some element is not excluded', { detail: { tags: [{ 'anything-but': ['prod'] }] } }, true],
    ['anything-but on an array: every element excluded', { detail: { tags: [{ 'anything-but': ['prod', 'eu'] }] } }, false],
    ['arrays of objects match if one object does', { detail: { adsets: { id: ['a2'], state: ['paused'] } } }, true],
    ['arrays of objects with no matching object', { detail: { adsets: { id: ['a3'] } } }, false],
    ['exists: true on a present field', { detail: { accountId: [{ exists: true }] } }, true],
    ['exists: true on a missing field', { detail: { missing: [{ exists: true }] } }, false],
    ['exists: false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
    ['exists: false on a present field', { detail: { accountId: [{ exists: false }] } }, false],
    ['envelope fields beyond source and detail-type', { region: ['local'] }, false],
  ];
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, ingested)).toBe(expected);
  });

  it('matches envelope fields such as account and region when the event has them', () => {
    const envelope = { ...ingested, account: '000000000000', region: 'local' };
    expect(matchesPattern({ account: ['000000000000'], region: ['local'] }, envelope)).toBe(true);
    expect(matchesPattern({ region: ['eu-west-1'] }, envelope)).toBe(false);
  });

  it('refuses operators it does not implement instead of guessing', () => {
    expect(() => matchesPattern({ detail: { rowsWritten: [{ numeric: ['>', 0] }] } }, ingested)).toThrow(UnsupportedPatternError);
    expect(() => matchesPattern({ detail: { accountId: [{ prefix: 'a', suffix: 'b' }] } }, ingested)).toThrow(UnsupportedPatternError);
    expect(() => matchesPattern({ detail: { accountId: [{ 'anything-but': { wildcard: '*' } }] } }, ingested)).toThrow(
      UnsupportedPatternError,
    );
  });
});
