import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, graphJson, graphRatio, parseFields, UsageTracker } from '../../../../lib/sim/meta/wire.ts';

describe('fake Meta wire helpers', () => {
  it('writes JSON as Graph does: \\uXXXX for non-ASCII, \\/ for slashes, still valid JSON', () => {
    const value = { name: 'Prospecting – Broad 🚀', url: 'https://x/y' };
    const text = graphJson(value);
    expect(text).toBe('{"name":"Prospecting \\u2013 Broad \\ud83d\\ude80","url":"https:\\/\\/x\\/y"}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('parses fields with expansions', () => {
    expect(parseFields('id,name,campaign{id,name}, status')).toEqual([
      { name: 'id', sub: [] },
      { name: 'name', sub: [] },
      { name: 'campaign', sub: ['id', 'name'] },
      { name: 'status', sub: [] },
    ]);
    expect(parseFields(undefined)).toEqual([]);
    expect(() => parseFields('campaign{id')).toThrow(SyntaxError);
  });

  it('round-trips cursors and rejects foreign ones', () => {
    expect(decodeCursor(encodeCursor(41))).toBe(41);
    expect(decodeCursor('MAZDZD')).toBeUndefined();
  });

  it('formats ratios with at most 6 decimals', () => {
    expect([graphRatio(10.8181818), graphRatio(2.5), graphRatio(3), graphRatio(Number.NaN)]).toEqual(['10.818182', '2.5', '3', '0']);
  });

  it('reports usage per account and a regain time when throttled', () => {
    const usage = new UsageTracker();
    usage.record('1', 'ads_insights', 0);
    const headers = usage.record('1', 'ads_insights', 1000, 5);
    expect(JSON.parse(headers['x-business-use-case-usage'] ?? '')).toEqual({
      '1': [
        {
          type: 'ads_insights',
          call_count: 100,
          total_cputime: 34,
          total_time: 50,
          estimated_time_to_regain_access: 5,
          ads_api_access_tier: 'standard_access',
        },
      ],
    });
    expect(Object.keys(headers).sort()).toEqual(['x-ad-account-usage', 'x-app-usage', 'x-business-use-case-usage']);
  });
});
