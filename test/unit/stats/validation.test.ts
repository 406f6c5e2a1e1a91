/** Malformed input throws typed errors; data that cannot support an estimate yet is a result, not an error. */
import { describe, expect, it } from 'vitest';
import {
  adjustPValues,
  bayesianTest,
  InsufficientDataError,
  InvalidStatsInputError,
  meanStats,
  proportionStats,
  ratioStats,
  requireOk,
  sequentialTest,
  srmTest,
  welchTest,
} from '../../../lib/stats/index.ts';
import { approx } from './approx.ts';

const arm = meanStats([1, 2, 3, 4]);

describe('insufficient data is a result', () => {
  it.each([
    {
      name: 'one day',
      control: meanStats([1]),
      treatment: arm,
      reason: 'too-few-units',
      message: 'each arm needs at least 2 units (days), got 1 and 4',
    },
    {
      name: 'no variance',
      control: meanStats([2, 2]),
      treatment: meanStats([3, 3]),
      reason: 'zero-variance',
      message: 'both arms have zero variance, so the effect has no standard error',
    },
    {
      name: 'zero control mean',
      control: meanStats([-1, 1]),
      treatment: arm,
      reason: 'zero-control-mean',
      message: 'the control mean is 0, so a relative effect is undefined',
    },
    {
      name: 'no spend',
      control: ratioStats([
        { num: 0, den: 0 },
        { num: 0, den: 0 },
      ]),
      treatment: ratioStats([
        { num: 5, den: 2 },
        { num: 3, den: 1 },
      ]),
      reason: 'zero-denominator',
      message: 'an arm has a zero denominator sum (no spend, clicks or conversions)',
    },
  ])('$name', ({ control, treatment, reason, message }) => {
    const expected = { kind: 'insufficient-data', reason, message };
    expect(welchTest(control, treatment)).toEqual(expected);
    expect(bayesianTest(control, treatment)).toEqual(expected);
    expect(sequentialTest(control, treatment)).toEqual(expected);
  });

  it('SRM with no units at all', () => {
    expect(srmTest([0, 0], [1, 1])).toEqual({
      kind: 'insufficient-data',
      reason: 'no-observations',
      message: 'no units observed in any arm',
    });
  });

  it('requireOk returns the result or throws InsufficientDataError with the reason', () => {
    const ok = welchTest(arm, meanStats([2, 3, 4, 5]), { relative: false });
    expect(requireOk(ok)).toBe(ok);
    expect(() => requireOk(welchTest(meanStats([1]), arm))).toThrowError(
      expect.objectContaining({ name: 'InsufficientDataError', reason: 'too-few-units' }) as Error,
    );
    expect(() => requireOk(welchTest(meanStats([1]), arm))).toThrow(InsufficientDataError);
  });
});

describe('malformed input throws InvalidStatsInputError naming the field', () => {
  it.each([
    { name: 'alpha out of range', run: () => welchTest(arm, arm, { alpha: 1.5 }), field: 'alpha' },
    { name: 'negative n', run: () => welchTest({ n: -1, sum: 0, sumSquares: 0 }, arm), field: 'n' },
    { name: 'non-finite sum', run: () => welchTest({ n: 3, sum: Number.NaN, sumSquares: 1 }, arm), field: 'sum' },
    { name: 'proportion above n', run: () => welchTest({ n: 3, sum: 4 }, arm), field: 'sum' },
    { name: 'successes above n', run: () => proportionStats(5, 4), field: 'successes' },
    { name: 'non-finite day', run: () => ratioStats([{ num: 1, den: Number.POSITIVE_INFINITY }]), field: 'days[0].den' },
    { name: 'p-value above 1', run: () => adjustPValues([0.2, 1.2], 'bh'), field: 'pValues[1]' },
    { name: 'SRM weights of another length', run: () => srmTest([1, 2], [1]), field: 'weights' },
    { name: 'SRM zero weight', run: () => srmTest([1, 2], [1, 0]), field: 'weights[1]' },
    {
      name: 'improper normal prior',
      run: () => bayesianTest(arm, arm, { prior: { kind: 'normal', mean: 0, variance: 0 } }),
      field: 'prior',
    },
    {
      name: 'history p-value out of range',
      run: () => sequentialTest(arm, arm, { previousPValues: [0.5, -0.1] }),
      field: 'previousPValues[1]',
    },
    { name: 'zero tuning', run: () => sequentialTest(arm, arm, { tuning: 0 }), field: 'tuning' },
  ])('$name', ({ run, field }) => {
    expect(run).toThrowError(expect.objectContaining({ name: 'InvalidStatsInputError', field }) as Error);
    expect(run).toThrow(InvalidStatsInputError);
  });
});

describe('the approx helper used by these tests', () => {
  it('rejects values outside the tolerance (so the vector tests can fail)', () => {
    expect({ a: [1.00001] }).toEqual(approx({ a: [1] }, { abs: 1e-4 }));
    expect({ a: [1.001] }).not.toEqual(approx({ a: [1] }, { abs: 1e-4 }));
    expect({ a: 1, b: 2 }).not.toEqual(approx({ a: 1 }, { abs: 1 }));
    expect('1').not.toEqual(approx(1, { abs: 1 }));
  });
});
