import { describe, expect, it } from 'vitest';
import { everyNth, type FaultRequest, type FaultResponse, onlyAt, randomFaults, TRANSIENT_FAULT_KINDS } from '../../../lib/sim/faults.ts';

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

describe('randomFaults', () => {
  const draw = (hook: (r: FaultRequest) => FaultResponse | undefined, n: number, path?: string) =>
    Array.from({ length: n }, (_, i) => hook(request(i + 1, path)) ?? null);

  it('fails each request with probability `rate`, within tolerance over 10,000 draws', () => {
    for (const rate of [0.02, 0.1, 0.5]) {
      const faults = draw(randomFaults({ rate, seed: 11 }), 10_000).filter((f) => f !== null).length;
      // Binomial(10,000, rate): 4.5 standard deviations either side.
      const tolerance = 4.5 * Math.sqrt(10_000 * rate * (1 - rate));
      expect(Math.abs(faults - 10_000 * rate), `rate ${rate}: ${faults} faults`).toBeLessThan(tolerance);
    }
  });

  it('draws every kind and variant, about equally often', () => {
    const hook = randomFaults({ rate: 1, seed: 3, malformed: ['cut', { field: 'spend', value: 'x' }] });
    const answers = draw(hook, 10_000);
    const count = (predicate: (f: FaultResponse) => boolean) => answers.filter((f) => f !== null && predicate(f)).length;
    for (const kind of TRANSIENT_FAULT_KINDS) {
      expect(Math.abs(count((f) => f.kind === kind) - 2_500), kind).toBeLessThan(200);
    }
    expect(hook.injected).toEqual({
      throttle: count((f) => f.kind === 'throttle'),
      'server-error': count((f) => f.kind === 'server-error'),
      malformed: count((f) => f.kind === 'malformed'),
      timeout: count((f) => f.kind === 'timeout'),
      'expired-token': 0,
    });
    const malformed = answers.filter((f) => f?.kind === 'malformed');
    expect(new Set(malformed.map((f) => JSON.stringify(f)))).toEqual(
      new Set([JSON.stringify({ kind: 'malformed' }), JSON.stringify({ kind: 'malformed', corrupt: { field: 'spend', value: 'x' } })]),
    );
    const statuses = new Set(answers.flatMap((f) => (f?.kind === 'server-error' ? [f.status] : [])));
    expect(statuses).toEqual(new Set([500, 502, 503]));
    expect(answers.find((f) => f?.kind === 'timeout')).toEqual({ kind: 'timeout', ms: 5_000 });
  });

  it('is deterministic per seed, and differs between seeds', () => {
    const options = { rate: 0.1, timeoutMs: 50, kinds: ['throttle', 'timeout', 'expired-token'] as const };
    const a = draw(randomFaults({ ...options, seed: 42 }), 2_000);
    expect(draw(randomFaults({ ...options, seed: 42 }), 2_000)).toEqual(a);
    expect(draw(randomFaults({ ...options, seed: 43 }), 2_000)).not.toEqual(a);
    expect(new Set(a.map((f) => f?.kind ?? null))).toEqual(new Set([null, 'throttle', 'timeout', 'expired-token']));
    expect(a.find((f) => f?.kind === 'timeout')).toEqual({ kind: 'timeout', ms: 50 });
  });

  it('only matching requests fail, and only they consume draws', () => {
    const insights = (r: FaultRequest) => r.path.endsWith('/insights');
    const mixed = randomFaults({ rate: 0.3, seed: 5, matches: insights });
    const only = randomFaults({ rate: 0.3, seed: 5, matches: insights });
    const answers = Array.from(
      { length: 400 },
      (_, i) => mixed(request(i + 1, i % 2 === 0 ? '/v25.0/act_1' : '/v25.0/act_1/insights')) ?? null,
    );
    expect(answers.filter((_, i) => i % 2 === 0).every((f) => f === null)).toBe(true);
    expect(answers.filter((_, i) => i % 2 === 1)).toEqual(draw(only, 200));
  });

  it('rejects a rate outside [0, 1] and empty choices; rate 0 never fails', () => {
    expect(() => randomFaults({ rate: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => randomFaults({ rate: Number.NaN, seed: 1 })).toThrow(RangeError);
    expect(() => randomFaults({ rate: 0.1, seed: 1, kinds: [] })).toThrow(RangeError);
    expect(draw(randomFaults({ rate: 0, seed: 1 }), 1_000).every((f) => f === null)).toBe(true);
  });
});
