import { describe, expect, it } from 'vitest';
import { everyNth, type FaultRequest, onlyAt } from '../../../lib/sim/faults.ts';

const request = (index: number, path = '/v25.0/act_1/insights'): FaultRequest => ({ method: 'GET', path, query: {}, index });

describe('fault hooks', () => {
  it('everyNth faults the n-th, 2n-th… request', () => {
    const hook = everyNth(3, 'throttle');
    expect(Array.from({ length: 7 }, (_, i) => hook(request(i + 1))?.kind ?? null)).toEqual([
      null,
      null,
      'throttle',
      null,
      null,
      'throttle',
      null,
    ]);
  });

  it('everyNth counts only the requests that match', () => {
    const hook = everyNth(2, { kind: 'server-error', status: 503 }, (r) => r.path.endsWith('/insights'));
    const paths = ['/v25.0/act_1', '/v25.0/act_1/insights', '/v25.0/act_1', '/v25.0/act_1/insights', '/v25.0/act_1/insights'];
    expect(paths.map((p, i) => hook(request(i + 1, p)) ?? null)).toEqual([null, null, null, { kind: 'server-error', status: 503 }, null]);
  });

  it('onlyAt faults exactly the listed occurrences', () => {
    const hook = onlyAt([1, 2], 'malformed');
    expect([1, 2, 3, 4].map((i) => hook(request(i))?.kind ?? null)).toEqual(['malformed', 'malformed', null, null]);
  });

  it('fills defaults for a bare kind and rejects n < 1', () => {
    expect(everyNth(1, 'timeout')(request(1))).toEqual({ kind: 'timeout', ms: 30_000 });
    expect(() => everyNth(0, 'throttle')).toThrow(RangeError);
  });
});
