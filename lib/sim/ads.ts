/**
 * Ads inside the simulated ad sets, for ad-level A/B tests. The market simulates ad sets; each ad set here
 * holds a few ads that share its day: the ad set's impressions, clicks and spend go to its active ads by their
 * delivery weight, its conversions by delivery weight times the ad's own conversion rate, each count drawn as a
 * multinomial split (seeded by ad set and date), so an ad's days are as noisy as real ones and the ads always
 * add up to the ad set. Revenue follows conversions. Pausing an ad, like any status change in the market,
 * applies from the next account-local day; a paused ad's share goes to the others.
 *
 * Each fake platform server owns one SimAds over the market and serves these ads in its own wire format.
 */
import type { Ad, AdDailyMetric, AdSet } from '../model/ads.ts';
import { addDays, type LocalDate, localDateAt } from '../model/dates.ts';
import { MICROS_PER_UNIT, minorUnitOffset } from '../model/money.ts';
import { SimulationError } from './errors.ts';
import type { MarketSimulator } from './market.ts';
import { Rng } from './random.ts';

/** How one ad performs against its ad set's other ads. */
export interface AdQuality {
  /** Relative share of the ad set's delivery (impressions, clicks, spend). */
  readonly delivery: number;
  /** Relative conversion rate per unit of delivery. */
  readonly conversionRate: number;
}

export interface SimAdsOptions {
  /** Ads per ad set (default 2). */
  readonly perAdSet?: number;
  /** Quality by ad id; others get 1 and 1 unless `randomQuality`. */
  readonly quality?: Readonly<Record<string, AdQuality>>;
  /** Seeded quality for ads not in `quality`: delivery 0.6–1.4, conversion rate log-normal σ 0.25 (default true). */
  readonly randomQuality?: boolean;
}

type Status = Ad['status'];
const LETTERS = 'ABCDEFGHIJ';

/** The ads of a market's ad sets: listing, status changes and daily rows split from the ad set's. */
export class SimAds {
  private readonly statuses = new Map<string, { from: LocalDate; value: Status }[]>();
  private readonly perAdSet: number;

  constructor(
    private readonly market: MarketSimulator,
    private readonly options: SimAdsOptions = {},
  ) {
    this.perAdSet = options.perAdSet ?? 2;
    if (!Number.isInteger(this.perAdSet) || this.perAdSet < 1 || this.perAdSet > LETTERS.length)
      throw new SimulationError(`ads per ad set must be 1–${LETTERS.length}, got ${this.perAdSet}`);
  }

  /** The id of the k-th ad (0-based) of an ad set. */
  static adIdOf(adsetId: string, k: number): string {
    return `${adsetId}0${k + 1}`;
  }

  /** Every ad of the ad sets of `accountId` (all accounts when absent), with its current status. */
  ads(accountId?: string): Ad[] {
    return this.market.adsets(accountId).flatMap((adset) => this.adsOf(adset));
  }

  /** One ad by id, or undefined. */
  ad(adId: string): Ad | undefined {
    return this.ads().find((a) => a.adId === adId);
  }

  /** Sets an ad's status at instant `at` (default: now); it applies from the next account-local day. */
  setStatus(adId: string, status: Status, at?: Date): { effectiveFrom: LocalDate } {
    const ad = this.ad(adId);
    if (!ad) throw new SimulationError(`unknown ad ${adId}`);
    const zone = this.market.account(ad.accountId).timezone;
    const effectiveFrom = addDays(at ? localDateAt(at, zone) : this.market.today(ad.accountId), 1);
    const timeline = (this.statuses.get(adId) ?? []).filter((c) => c.from < effectiveFrom);
    timeline.push({ from: effectiveFrom, value: status });
    this.statuses.set(adId, timeline);
    return { effectiveFrom };
  }

  /** The ad's status in effect on an account-local date. */
  statusOn(adId: string, date: LocalDate): Status {
    let status: Status = 'ACTIVE';
    for (const change of this.statuses.get(adId) ?? []) if (change.from <= date) status = change.value;
    return status;
  }

  /** What the platform reports now for these ads over [from, to]: rows with delivery, by date then ad id. */
  reportedResults(accountId: string, adIds: readonly string[], from: LocalDate, to: LocalDate): AdDailyMetric[] {
    const wanted = new Set(adIds);
    const truth = this.market.dailyResults(accountId, from, to);
    const reported = new Map(this.market.reportedResults(accountId, from, to).map((r) => [`${r.adsetId}\u0000${r.date}`, r]));
    const unit = MICROS_PER_UNIT / minorUnitOffset(this.market.account(accountId).currency);
    const out: AdDailyMetric[] = [];
    for (const row of truth) {
      const adset = this.market.adset(row.adsetId);
      const ads = this.adsOf(adset).filter((a) => this.statusOn(a.adId, row.date) === 'ACTIVE');
      if (ads.length === 0 || !ads.some((a) => wanted.has(a.adId))) continue;
      const rng = Rng.fromParts('ads', row.adsetId, row.date);
      const delivery = ads.map((a) => this.quality(a.adId).delivery);
      const converting = ads.map((a, i) => (delivery[i] ?? 0) * this.quality(a.adId).conversionRate);
      const impressions = multinomial(rng, row.impressions, delivery);
      const clicks = multinomial(rng, row.clicks, delivery);
      const spendUnits = multinomial(rng, Math.round(row.spendMicros / unit), delivery);
      const conversions = multinomial(rng, row.conversions, converting);
      // Immature days: each ad reports the share of its conversions the ad set reports so far.
      const shown = reported.get(`${row.adsetId}\u0000${row.date}`)?.conversions ?? row.conversions;
      const share = row.conversions === 0 ? 1 : shown / row.conversions;
      ads.forEach((ad, i) => {
        if (!wanted.has(ad.adId)) return;
        const own = conversions[i] ?? 0;
        const reportedConversions = share >= 1 ? own : Math.floor(own * share);
        const revenue = row.conversions === 0 ? 0 : Math.round((row.revenueMicros * reportedConversions) / row.conversions / unit) * unit;
        const spendMicros = (spendUnits[i] ?? 0) * unit;
        if (spendMicros === 0 && (impressions[i] ?? 0) === 0) return;
        out.push({
          ...row,
          adId: ad.adId,
          spendMicros,
          impressions: impressions[i] ?? 0,
          clicks: Math.min(clicks[i] ?? 0, impressions[i] ?? 0),
          conversions: reportedConversions,
          revenueMicros: revenue,
        });
      });
    }
    return out.sort((a, b) => a.date.localeCompare(b.date) || a.adId.localeCompare(b.adId));
  }

  private adsOf(adset: AdSet): Ad[] {
    const today = this.market.today(adset.accountId);
    return Array.from({ length: this.perAdSet }, (_, k) => {
      const adId = SimAds.adIdOf(adset.adsetId, k);
      const pending = this.statuses.get(adId)?.at(-1);
      return {
        platform: adset.platform,
        accountId: adset.accountId,
        adId,
        adsetId: adset.adsetId,
        campaignId: adset.campaignId,
        name: `${adset.name} – Creative ${LETTERS[k] ?? k + 1}`,
        // Like ad sets, a change shows at once in listings although it applies from the next day.
        status: pending && pending.from > today ? pending.value : this.statusOn(adId, today),
      };
    });
  }

  private quality(adId: string): AdQuality {
    const given = this.options.quality?.[adId];
    if (given) return given;
    if (this.options.randomQuality === false) return { delivery: 1, conversionRate: 1 };
    const rng = Rng.fromParts('ad-quality', adId);
    return { delivery: 0.6 + 0.8 * rng.next(), conversionRate: rng.logNormal(0, 0.25) };
  }
}

/** Splits `n` into counts drawn with probabilities proportional to `weights` (sequential binomials). */
function multinomial(rng: Rng, n: number, weights: readonly number[]): number[] {
  let left = n;
  let rest = weights.reduce((s, w) => s + w, 0);
  return weights.map((w, i) => {
    if (i === weights.length - 1) return left;
    const k = rest > 0 ? binomial(rng, left, w / rest) : 0;
    left -= k;
    rest -= w;
    return k;
  });
}

/** A binomial draw: exact for small n, a rounded and clamped normal approximation above. */
function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n < 64) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.next() < p) k += 1;
    return k;
  }
  const draw = Math.round(rng.normal(n * p, Math.sqrt(n * p * (1 - p))));
  return Math.min(n, Math.max(0, draw));
}
