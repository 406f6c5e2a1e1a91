/**
 * The ad-fault suite's design and its series: the design constants, the random ad sets planned from it (with
 * adpilot-like budget moves), and the injection of each series' fault into the market simulator.
 */
import type { FaultType } from '../../lib/anomaly/index.ts';
import { addDays, type LocalDate, zonedTimeToInstant } from '../../lib/model/dates.ts';
import type { MarketSimulator } from '../../lib/sim/market.ts';
import type { SimAdSetInput } from '../../lib/sim/market-config.ts';
import { Rng } from '../../lib/sim/random.ts';
import { EUR, logUniform, uniform } from './suite.ts';

/** The faults the market simulator can inject, each judged against the detector of the same name. */
export const INJECTED_FAULTS = [
  'delivery-stop',
  'tracking-breakage',
  'overspend',
  'spend-spike',
  'cpa-step',
  'roas-step',
  'ctr-decay',
] as const satisfies readonly FaultType[];
export type InjectedFault = (typeof INJECTED_FAULTS)[number];

/**
 * The ad-fault suite's design. Account size (for false alerts per account-month) is 10 ad sets; detection
 * reads what the platform reports the morning after each day (Meta-like maturity), with the suppression,
 * history and 3-day cooldown of lib/usecases/detect.ts.
 */
export const AD_FAULT_DESIGN = {
  seed: 6,
  seriesPerFault: 200,
  cleanSeries: 600,
  /** The fault types injected (all by default; `--faults=a,b` narrows a quicker run). */
  faults: INJECTED_FAULTS as readonly InjectedFault[],
  adsetsPerAccount: 10,
  /** Days simulated before the first judged day, so the detectors have their eight weeks of history. */
  warmupDays: 63,
  judgedDays: 56,
  /** A fault counts as caught when its own type is announced within this many days of its onset. */
  detectionWindowDays: 14,
  /** As detect.ts: history read per run, cooldown per ad set × fault type, immature days (min(restatement, 3)). */
  historyDays: 56,
  cooldownDays: 3,
  immatureDays: 3,
  /** Share of a day's final conversions reported `age` days after it ended (Meta-like: most within a day). */
  maturity: [0.85, 0.93, 0.97] as readonly number[],
  /**
   * How late conversions arrive: 'binomial' (here, in the bench: each conversion is already reported with
   * probability = the share, as single purchase events arrive) or 'simulator-floor' (MarketSimulator's
   * reportedResults: floor(share·n), which reports none of 1 conversion even at 85% maturity).
   */
  lateConversions: 'binomial' as 'binomial' | 'simulator-floor',
  /**
   * Share of clean ad sets (and of faulty ones) on their own budget that adpilot moves as its optimizer does:
   * 2–6 steps of 10–20% (budget.maxChangePct) 3–7 days apart (past the 72 h cooldown), mostly in one
   * direction, starting from three weeks before the first judged day, so the budget may end up to ~3× or
   * ~0.3× where it was. CPA rises (ROAS falls) along the response curve when spend rises: not a fault.
   */
  budgetMoveShare: 0.5,
  faultyBudgetMoveShare: 0.25,
  /** Share of clean ad sets on a campaign budget (CBO): detectors see no daily budget, spend-spike applies. */
  campaignBudgetShare: 0.25,
  start: '2026-01-05',
  timezone: 'Europe/Paris',
} as const;
/** The design with its constants widened, as overrides may set them. */
export type AdFaultDesign = {
  -readonly [K in keyof typeof AD_FAULT_DESIGN]: (typeof AD_FAULT_DESIGN)[K] extends string
    ? string
    : (typeof AD_FAULT_DESIGN)[K] extends number
      ? number
      : (typeof AD_FAULT_DESIGN)[K];
};

/** One simulated ad set: its market config, whether and how it goes faulty, and the budget moves adpilot makes. */
export interface SeriesSpec {
  readonly adsetId: string;
  readonly kind: InjectedFault | 'clean';
  readonly campaignBudget: boolean;
  readonly config: SimAdSetInput;
  /** Expected conversions a day at the budget (before weekday effects): the series' volume. */
  readonly conversionsPerDay: number;
  readonly onset?: LocalDate;
  readonly magnitude?: number;
  /** adpilot's budget moves, ascending: each applied at 10:00 on `on` (after that morning's run), from the next day. */
  readonly budgetMoves: readonly { readonly on: LocalDate; readonly factor: number }[];
}

/** A random but realistic ad set: budget €30–1,500/day, CPA €12–70, order value €35–160, CPM €4–16, CTR 0.6–2.5%. */
function randomAdSet(
  rng: Rng,
  accountId: string,
  adsetId: string,
  campaignId: string,
): { config: SimAdSetInput; conversionsPerDay: number } {
  const budget = logUniform(rng, 30, 1500);
  const cpa = logUniform(rng, 12, 70);
  const alpha = uniform(rng, 0.9, 1.5);
  const kappa = budget * uniform(rng, 0.7, 3);
  const conversionsPerDay = budget / cpa;
  const beta = (conversionsPerDay * (budget ** alpha + kappa ** alpha)) / budget ** alpha;
  const config: SimAdSetInput = {
    platform: 'meta',
    accountId,
    adsetId,
    campaignId,
    name: `Ad set ${adsetId}`,
    dailyBudgetMicros: Math.round(budget) * EUR,
    curve: { beta, alpha, kappa },
    averageOrderValueMicros: Math.round(uniform(rng, 35, 160) * EUR),
    orderValueSigma: uniform(rng, 0.3, 0.7),
    cpmMicros: Math.round(uniform(rng, 4, 16) * EUR),
    ctr: uniform(rng, 0.006, 0.025),
    dayOfWeek: Array.from({ length: 7 }, () => Math.max(0.5, rng.normal(1, 0.08))),
    dispersion: uniform(rng, 10, 40),
    spendNoise: uniform(rng, 0.02, 0.06),
  };
  return { config, conversionsPerDay };
}

/** A run of adpilot-like budget moves: steps of 10–20%, 3–7 days apart, 80% of them in the run's main direction. */
function plannedMoves(rng: Rng, d: AdFaultDesign): { on: LocalDate; factor: number }[] {
  const firstJudged = addDays(d.start, d.warmupDays);
  const up = rng.next() < 0.6;
  const count = 2 + Math.floor(rng.next() * 5);
  let on = addDays(firstJudged, -21 + Math.floor(rng.next() * (d.judgedDays + 7)));
  const moves: { on: LocalDate; factor: number }[] = [];
  for (let i = 0; i < count; i++) {
    const step = uniform(rng, 0.1, 0.2);
    const raise = rng.next() < 0.8 ? up : !up;
    moves.push({ on, factor: raise ? 1 + step : 1 - step });
    on = addDays(on, 3 + Math.floor(rng.next() * 5));
  }
  return moves;
}

/** Every series of the design, shuffled, grouped into accounts of `adsetsPerAccount` ad sets. */
export function planSeries(d: AdFaultDesign): SeriesSpec[][] {
  const rng = new Rng(d.seed);
  const firstJudged = addDays(d.start, d.warmupDays);
  const kinds: (InjectedFault | 'clean')[] = [
    ...d.faults.flatMap((f) => Array<InjectedFault>(d.seriesPerFault).fill(f)),
    ...Array<'clean'>(d.cleanSeries).fill('clean'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as InjectedFault | 'clean', kinds[i] as InjectedFault | 'clean'];
  }
  const accounts: SeriesSpec[][] = [];
  kinds.forEach((kind, i) => {
    const a = Math.floor(i / d.adsetsPerAccount);
    const accountId = `act_${9000 + a}`;
    const adsetId = `2385${String(i).padStart(8, '0')}`;
    const { config, conversionsPerDay } = randomAdSet(rng, accountId, adsetId, `2385c${a}${i % 2}`);
    const onset = addDays(firstJudged, Math.floor(rng.next() * (d.judgedDays - d.detectionWindowDays)));
    const campaignBudget = kind === 'spend-spike' || (kind !== 'overspend' && rng.next() < d.campaignBudgetShare);
    const magnitudes: Record<InjectedFault, () => number> = {
      'delivery-stop': () => 0,
      'tracking-breakage': () => 0,
      overspend: () => uniform(rng, 1.5, 2.5),
      'spend-spike': () => uniform(rng, 2.5, 4),
      'cpa-step': () => uniform(rng, 0.4, 0.7),
      'roas-step': () => uniform(rng, 0.4, 0.7),
      'ctr-decay': () => uniform(rng, 0.3, 0.6),
    };
    const moveShare = kind === 'clean' ? d.budgetMoveShare : d.faultyBudgetMoveShare;
    // Moves apply to ad sets on their own budget; overspend and spend spikes are judged against a fixed one.
    const movable = !campaignBudget && kind !== 'overspend';
    const budgetMoves = rng.next() < moveShare && movable ? plannedMoves(rng, d) : [];
    const spec: SeriesSpec =
      kind === 'clean'
        ? { adsetId, kind, campaignBudget, config, conversionsPerDay, budgetMoves }
        : { adsetId, kind, campaignBudget, config, conversionsPerDay, onset, magnitude: magnitudes[kind](), budgetMoves };
    const list = accounts[a] ?? [];
    list.push(spec);
    accounts[a] = list;
  });
  return accounts;
}

/** Injects a series' fault (or budget move) into the market before any day is simulated; returns a CTR decay's half-life. */
export function inject(market: MarketSimulator, spec: SeriesSpec, rng: Rng, timezone: string): number | undefined {
  const { adsetId, onset, magnitude = 1 } = spec;
  let budget = spec.config.dailyBudgetMicros;
  for (const { on, factor } of spec.budgetMoves) {
    // Changed at 10:00 on `on`, after that morning's detection run; it applies from the next day.
    budget = Math.max(EUR, Math.round((budget * factor) / EUR) * EUR);
    market.setDailyBudget(adsetId, budget, zonedTimeToInstant(on, 10, timezone));
  }
  if (onset === undefined) return undefined;
  switch (spec.kind) {
    case 'delivery-stop':
      market.stopDelivery(adsetId, onset);
      return undefined;
    case 'tracking-breakage':
      market.breakTracking(adsetId, onset);
      return undefined;
    case 'overspend':
    case 'spend-spike':
      market.overspend(adsetId, onset, { factor: magnitude });
      return undefined;
    case 'cpa-step':
      market.stepConversionRate(adsetId, onset, magnitude);
      return undefined;
    case 'roas-step':
      market.stepOrderValue(adsetId, onset, magnitude);
      return undefined;
    case 'ctr-decay': {
      const halfLifeDays = uniform(rng, 3, 10);
      market.decayCtr(adsetId, onset, { floor: magnitude, halfLifeDays });
      return halfLifeDays;
    }
    case 'clean':
      return undefined;
  }
}
