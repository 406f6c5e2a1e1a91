/**
 * Root cause up the hierarchy: when most ad sets of an account (or of one campaign) show the same fault on a
 * day, the cause is almost never in each ad set — a broken pixel, a failed payment method, a site release —
 * so one account- or campaign-level anomaly is raised and the ad-set ones are marked as explained by it.
 * Alerts go to the lowest level that explains them: a campaign when the affected ad sets sit in one campaign,
 * the account when they span several.
 */
import type { LocalDate } from '../model/dates.ts';
import { AnomalyInputError } from './errors.ts';
import type { AdAnomaly, FaultType, Severity } from './types.ts';

/** One judged ad set of the account on the day, with the anomalies its detectors found (possibly none). */
export interface JudgedAdSet {
  readonly adsetId: string;
  readonly campaignId: string;
  readonly campaignName?: string;
  readonly anomalies: readonly AdAnomaly[];
}

/** Input of `rollUpAnomalies`: every ad set judged that day, not only those with anomalies (they set the majority). */
export interface RollupInput {
  readonly accountId: string;
  readonly accountName?: string;
  readonly date: LocalDate;
  readonly adsets: readonly JudgedAdSet[];
  /** "Most" means strictly more than this share of the judged ad sets. @default 0.5 */
  readonly minShare?: number;
  /** A group needs at least this many affected ad sets; one ad set on its own is never a hierarchy fault. @default 2 */
  readonly minAdsets?: number;
}

/** A fault raised for an account or a campaign, explaining the ad-set anomalies it lists. */
export interface HierarchyAnomaly {
  /** `account:<accountId>:<faultType>` or `campaign:<campaignId>:<faultType>`: what ad-set anomalies point to. */
  readonly id: string;
  readonly level: 'account' | 'campaign';
  readonly accountId: string;
  /** Set for a campaign-level anomaly. */
  readonly campaignId?: string;
  readonly faultType: FaultType;
  readonly metric: 'adsetsWithFault';
  /** Ad sets showing the fault, against the majority line: more than `high` of them is "most". */
  readonly observed: number;
  readonly expected: { readonly low: 0; readonly high: number };
  readonly judgedAdsets: number;
  readonly severity: Severity;
  readonly hint: string;
  readonly date: LocalDate;
  /** Ad sets whose anomaly of this fault type it explains, sorted. */
  readonly adsetIds: readonly string[];
}

/** An ad-set anomaly with the hierarchy anomaly that explains it, if any. */
export interface ExplainedAnomaly {
  readonly adsetId: string;
  readonly campaignId: string;
  readonly anomaly: AdAnomaly;
  /** The `id` of the account- or campaign-level anomaly that explains this one; null when it stands on its own. */
  readonly explainedBy: string | null;
}

/** What `rollUpAnomalies` decided. */
export interface RollupResult {
  readonly hierarchy: readonly HierarchyAnomaly[];
  readonly adsetAnomalies: readonly ExplainedAnomaly[];
}

const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high'];

/** What a fault most likely is when it hits most of an account, or of one campaign. */
const CAUSES: Readonly<Record<FaultType, { readonly account: string; readonly campaign: string }>> = {
  'tracking-breakage': {
    account:
      'Conversions collapsed while clicks held across the account: the pixel or conversion tracking of the account probably broke ' +
      '(the pixel or Conversions API events, or the purchase event on the site), not the ad sets. Check recent site releases, tag ' +
      "manager changes and the platform's event diagnostics, and fix it once at the source.",
    campaign:
      "Conversions collapsed while clicks held in most of this campaign's ad sets: the conversion event it optimizes for, or the " +
      'landing page its ads send people to, probably broke. Check that page and its purchase event first.',
  },
  'delivery-stop': {
    account:
      'Most ad sets of the account stopped delivering on the same day: the cause is probably the account, not the ad sets. ' +
      'Check the payment method, the account spending limit, and whether the account has been restricted.',
    campaign:
      "Most of this campaign's ad sets stopped delivering on the same day: check the campaign's budget, schedule or end date, " +
      'and whether its ads were rejected.',
  },
  overspend: {
    account:
      'Most ad sets of the account spent past their daily budget plus the allowed overdelivery on the same day: a bulk budget ' +
      'edit or a platform pacing problem. Check the change history, and raise it with the platform if the invoice shows it.',
    campaign:
      "Most of this campaign's ad sets overspent on the same day: check for a campaign budget that also feeds them, and for a " +
      'budget edit on the campaign that day.',
  },
  'budget-exhausted-early': {
    account:
      'Most ad sets of the account are spending their daily budgets hours early today: look for a bulk bid, bid-cap or ' +
      'delivery-setting change, or a traffic surge across the account, before looking at single ad sets.',
    campaign:
      "Most of this campaign's ad sets are running out of budget early today: check the campaign's bid strategy and any recent " +
      'change to it.',
  },
  'spend-spike': {
    account:
      'Spend jumped in most ad sets of the account on the same day: look for a bulk bid or budget change, or a lifetime ' +
      'budget ending, before looking at single ad sets.',
    campaign:
      "Spend jumped in most of this campaign's ad sets on the same day: check the campaign budget and its end date (a lifetime " +
      'budget speeds up near the end).',
  },
  'cpa-step': {
    account:
      'Cost per conversion stepped up in most ad sets of the account at once: the cause is likely on the site (checkout, prices, ' +
      'stock, a release) or in the conversion event, not in the ads.',
    campaign:
      "Cost per conversion stepped up in most of this campaign's ad sets at once: check the campaign's offer and landing page " +
      'before the ad sets.',
  },
  'roas-step': {
    account:
      'Return on ad spend stepped down in most ad sets of the account at once: check order values and the value sent with the ' +
      'purchase event, prices, discounts and stock, site-wide.',
    campaign:
      "Return on ad spend stepped down in most of this campaign's ad sets at once: check the campaign's offer, discounts and " +
      'landing page before the ad sets.',
  },
  'ctr-decay': {
    account:
      'Click-through rate slid in most ad sets of the account: creatives shared across the account are wearing out, or the ' +
      'market is less attentive (season); refresh creatives broadly.',
    campaign:
      "Click-through rate slid in most of this campaign's ad sets: its creatives are wearing out. Rotate in fresh ones for " +
      'the whole campaign.',
  },
  'stale-data': {
    account: 'Data for most ad sets of the account is stale: the account connection is failing (token, permissions, rate limits).',
    campaign: "Data for most of this campaign's ad sets is stale: check the connection and the campaign's access.",
  },
};

function maxSeverity(anomalies: readonly AdAnomaly[]): Severity {
  let best = 0;
  for (const a of anomalies) best = Math.max(best, SEVERITY_ORDER.indexOf(a.severity));
  return SEVERITY_ORDER[best] ?? 'low';
}

/** Whether `affected` of `judged` ad sets is "most" of them. */
function isMost(affected: number, judged: number, minShare: number, minAdsets: number): boolean {
  return affected >= minAdsets && affected > minShare * judged;
}

/**
 * Raises one account- or campaign-level anomaly per fault type that most ad sets under it show on the day,
 * and marks the ad-set anomalies it explains. Pure: the caller decides what to announce (typically the
 * hierarchy anomalies and only the ad-set ones with `explainedBy === null`).
 */
export function rollUpAnomalies(input: RollupInput): RollupResult {
  const { accountId, date, adsets, minShare = 0.5, minAdsets = 2 } = input;
  if (!(minShare >= 0 && minShare < 1)) throw new AnomalyInputError('minShare', `must be in [0, 1), got ${minShare}`);
  if (!(Number.isInteger(minAdsets) && minAdsets >= 2))
    throw new AnomalyInputError('minAdsets', `must be a whole number >= 2, got ${minAdsets}`);
  const seen = new Set<string>();
  for (const [i, a] of adsets.entries()) {
    if (seen.has(a.adsetId)) throw new AnomalyInputError(`adsets[${i}].adsetId`, `ad set ${a.adsetId} is listed twice`);
    seen.add(a.adsetId);
  }
  const campaigns = new Map<string, JudgedAdSet[]>();
  for (const a of adsets) campaigns.set(a.campaignId, [...(campaigns.get(a.campaignId) ?? []), a]);
  const faultTypes = [...new Set(adsets.flatMap((a) => a.anomalies.map((x) => x.faultType)))].sort();

  const hierarchy: HierarchyAnomaly[] = [];
  const explainedBy = new Map<string, string>();
  const raise = (level: 'account' | 'campaign', faultType: FaultType, group: readonly JudgedAdSet[], campaignId?: string) => {
    const affected = group.filter((a) => a.anomalies.some((x) => x.faultType === faultType));
    const id = level === 'account' ? `account:${accountId}:${faultType}` : `campaign:${campaignId}:${faultType}`;
    const adsetIds = affected.map((a) => a.adsetId).sort();
    for (const adsetId of adsetIds) explainedBy.set(`${adsetId}\u0000${faultType}`, id);
    const where =
      level === 'account'
        ? `${input.accountName === undefined ? 'Account' : `Account "${input.accountName}"`}: ${affected.length} of ${group.length} ad sets in ${new Set(affected.map((a) => a.campaignId)).size} campaigns on ${date}. `
        : `Campaign "${group[0]?.campaignName ?? campaignId}": ${affected.length} of ${group.length} ad sets on ${date}. `;
    hierarchy.push({
      id,
      level,
      accountId,
      ...(campaignId === undefined ? {} : { campaignId }),
      faultType,
      metric: 'adsetsWithFault',
      observed: affected.length,
      expected: { low: 0, high: Math.max(minAdsets - 1, Math.floor(minShare * group.length)) },
      judgedAdsets: group.length,
      severity: maxSeverity(affected.flatMap((a) => a.anomalies.filter((x) => x.faultType === faultType))),
      hint: where + CAUSES[faultType][level],
      date,
      adsetIds,
    });
  };

  for (const faultType of faultTypes) {
    const hit = (a: JudgedAdSet) => a.anomalies.some((x) => x.faultType === faultType);
    const affected = adsets.filter(hit);
    const spansCampaigns = new Set(affected.map((a) => a.campaignId)).size > 1;
    if (spansCampaigns && isMost(affected.length, adsets.length, minShare, minAdsets)) {
      raise('account', faultType, adsets);
      continue;
    }
    for (const [campaignId, group] of [...campaigns.entries()].sort(([x], [y]) => x.localeCompare(y))) {
      if (isMost(group.filter(hit).length, group.length, minShare, minAdsets)) raise('campaign', faultType, group, campaignId);
    }
  }

  const adsetAnomalies = adsets.flatMap((a) =>
    a.anomalies.map((anomaly) => ({
      adsetId: a.adsetId,
      campaignId: a.campaignId,
      anomaly,
      explainedBy: explainedBy.get(`${a.adsetId}\u0000${anomaly.faultType}`) ?? null,
    })),
  );
  return { hierarchy, adsetAnomalies };
}
