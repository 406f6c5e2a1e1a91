/** The true response of an ad set: pure functions of spend, shared by the simulation and the oracles. */
import { MICROS_PER_UNIT } from '../model/money.ts';
import type { HillCurve } from './market-config.ts';

/** Expected conversions of a day at `spendMicros` before the weekday multiplier (Hill curve on major units). */
export function hillConversions(curve: HillCurve, spendMicros: number): number {
  if (spendMicros <= 0) return 0;
  const xa = (spendMicros / MICROS_PER_UNIT) ** curve.alpha;
  return (curve.beta * xa) / (xa + curve.kappa ** curve.alpha);
}

/** Derivative of the Hill curve: extra conversions per extra unit of currency at `spendMicros`. */
export function hillMarginalConversions(curve: HillCurve, spendMicros: number): number {
  const x = spendMicros / MICROS_PER_UNIT;
  if (x <= 0) return curve.alpha < 1 ? Number.POSITIVE_INFINITY : curve.alpha === 1 ? curve.beta / curve.kappa : 0;
  const xa = x ** curve.alpha;
  const ka = curve.kappa ** curve.alpha;
  return (curve.beta * curve.alpha * ka * xa) / (x * (xa + ka) ** 2);
}
