import { floorToBillable } from '../../model/money.ts';
import { PinterestValueError } from './errors.ts';

/** An int64 (number or digit string) as a safe integer; absent is 0 ("If a column has no value, it may not be returned"). */
export function int64(value: number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new PinterestValueError(`not a whole non-negative int64 within 2^53: ${JSON.stringify(value)}`);
  return n;
}

/** A daily budget in micros rounded DOWN to what Pinterest bills (cents, or whole units for zero-decimal currencies) ([U] granularity). */
export function billableBudget(micros: number, currency: string): number {
  if (!Number.isSafeInteger(micros) || micros < 0) throw new PinterestValueError(`a budget is whole micros >= 0, got ${micros}`);
  return floorToBillable(micros, currency);
}
