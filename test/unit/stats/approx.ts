/** Deep "equal within tolerance" for whole result objects: numbers match within |a − e| ≤ abs + rel·|e|, everything else exactly. */
import { expect } from 'vitest';

export interface Tolerance {
  readonly abs: number;
  readonly rel?: number;
}

class Near {
  constructor(
    private readonly expected: number,
    private readonly tolerance: Tolerance,
  ) {}
  asymmetricMatch(actual: unknown): boolean {
    if (typeof actual !== 'number') return false;
    if (Number.isNaN(this.expected)) return Number.isNaN(actual);
    if (!Number.isFinite(this.expected)) return actual === this.expected;
    return Math.abs(actual - this.expected) <= this.tolerance.abs + (this.tolerance.rel ?? 0) * Math.abs(this.expected);
  }
  toString(): string {
    return `Near(${this.expected} ± ${this.tolerance.abs}${this.tolerance.rel ? ` + ${this.tolerance.rel}·|e|` : ''})`;
  }
  toAsymmetricMatcher(): string {
    return this.toString();
  }
}

/** Replaces every number inside `expected` by a tolerance matcher, for use with toEqual. */
export function approx<T>(expected: T, tolerance: Tolerance): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') return new Near(value, tolerance);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object' && !('asymmetricMatch' in value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk(expected) as T;
}

/** Matches any finite number (fields the reference does not state). */
export const anyNumber = (): number => expect.any(Number) as unknown as number;
