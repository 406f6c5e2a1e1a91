/**
 * The budget and status writes of the fake Graph API (`POST /{adset_id}`, `POST /{campaign_id}`) and what Meta checks
 * on them: accepted params, minimum daily budgets (also served by `GET /act_{id}/minimum_budgets`), the budget-change
 * limit per hour, archived/deleted objects, CBO vs ad-set budgets, and the significant edits that restart learning.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { microsToDecimal, minorToMicros, minorUnitOffset } from '../../model/money.ts';
import { GraphApiError } from '../errors.ts';
import type { MarketSimulator } from '../market.ts';
import type { FakeGraphApiOptions, GraphRequest } from './api.ts';
import { type FakeCampaign, splitBudget } from './campaigns.ts';
import { invalidParam, stringParam } from './fields.ts';
import { isSignificantBudgetChange } from './learning.ts';

/** Minimum daily budgets in minor units, as `minimum_budgets` names them. */
export interface MinimumBudgets {
  readonly imp: number;
  readonly high_freq: number;
  readonly low_freq: number;
  readonly video_views: number;
}

/** The options the writes read. */
export type WriteOptions = Pick<
  FakeGraphApiOptions,
  'minDailyBudgetMinor' | 'minimumBudgetsMinor' | 'billingEvent' | 'budgetChangesPerHour' | 'learning'
>;

/** The billing-event family of each minimum (the same grouping the connector reads; [U] in PLATFORM_APIS.md). */
const MINIMUM_FAMILY: Readonly<Record<string, keyof MinimumBudgets>> = {
  IMPRESSIONS: 'imp',
  THRUPLAY: 'video_views',
  VIDEO_VIEWS: 'video_views',
  CLICKS: 'high_freq',
  LINK_CLICKS: 'high_freq',
  POST_ENGAGEMENT: 'high_freq',
  APP_INSTALLS: 'low_freq',
};

const HOUR_MS = 3_600_000;
const ADSET_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'] as const;

/** Budget/status writes to ad sets and CBO campaigns, with the budget changes and significant edits they leave behind. */
export class FakeMetaWrites {
  /** Instants (ms) of accepted budget changes, per ad set or CBO campaign. */
  private readonly budgetChanges = new Map<string, number[]>();
  /** Last significant edit of each ad set made through the fake (restarts its learning phase). */
  private readonly significantEdits = new Map<string, Date>();

  constructor(
    private readonly market: MarketSimulator,
    private readonly options: WriteOptions,
  ) {}

  /** The last significant edit of an ad set made through the fake, if any. */
  significantEdit(adsetId: string): Date | undefined {
    return this.significantEdits.get(adsetId);
  }

  /** `POST /{adset_id}` with `daily_budget` and/or `status`. */
  updateAdSet(adset: AdSet, request: GraphRequest): Record<string, unknown> {
    const { validateOnly, minor, status } = this.budgetWriteParams(request, adset.currency);
    assertEditable(adset, minor, status);
    if (minor !== undefined) {
      if (adset.budgetLevel !== 'adset') {
        // [U] Meta refuses ad-set budgets under campaign budget optimization; the subcode is not documented here.
        throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
          userTitle: "Can't Set Ad Set Budget",
          userMessage: 'This ad set is in a campaign that uses campaign budget optimization, so its budget is set on the campaign.',
        });
      }
      this.assertBudgetChangeAllowed(adset.adsetId, 'ad set');
    }
    if (validateOnly) return { success: true };
    const now = this.market.now();
    if (minor !== undefined) {
      const before = adset.dailyBudgetMicros ?? 0;
      const after = minorToMicros(minor, adset.currency);
      this.market.setDailyBudget(adset.adsetId, after, now);
      this.noteBudgetChange(adset.adsetId, [adset.adsetId], before, after, now);
    }
    if (status !== undefined) this.market.setStatus(adset.adsetId, status, now);
    return { success: true };
  }

  /**
   * `POST /{campaign_id}` with `daily_budget`: only a CBO campaign holds one. The new budget is split over its ad sets
   * in proportion to their current shares (equally when all are 0), exactly, so the campaign reads back what was written.
   */
  updateCampaign(campaign: FakeCampaign, request: GraphRequest): Record<string, unknown> {
    const { validateOnly, minor, status } = this.budgetWriteParams(request, campaign.currency);
    const funded = campaign.adsets.filter((a) => a.budgetLevel === 'campaign');
    if (minor !== undefined) {
      if (!campaign.cbo) {
        // [U] the wording; Meta refuses a campaign budget where the ad sets hold theirs.
        throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
          userTitle: "Can't Set Campaign Budget",
          userMessage: 'This campaign does not use campaign budget optimization: set budgets on its ad sets.',
        });
      }
      this.assertBudgetChangeAllowed(campaign.campaignId, 'campaign');
    }
    if (validateOnly) return { success: true };
    const now = this.market.now();
    if (minor !== undefined) {
      const before = funded.reduce((sum, a) => sum + (a.dailyBudgetMicros ?? 0), 0);
      const after = minorToMicros(minor, campaign.currency);
      const shares = splitBudget(
        after,
        funded.map((a) => a.dailyBudgetMicros ?? 0),
      );
      for (const [i, adset] of funded.entries()) this.market.setDailyBudget(adset.adsetId, shares[i] ?? 0, now);
      this.noteBudgetChange(
        campaign.campaignId,
        funded.map((a) => a.adsetId),
        before,
        after,
        now,
      );
    }
    if (status !== undefined) for (const adset of campaign.adsets) this.market.setStatus(adset.adsetId, status, now);
    return { success: true };
  }

  /** The one row of `GET /act_{id}/minimum_budgets`, in the account's currency (int32 minor units). */
  minimumBudgets(account: AdAccount): Record<string, unknown> {
    const m = this.minimums();
    return {
      currency: account.currency,
      min_daily_budget_imp: m.imp,
      min_daily_budget_high_freq: m.high_freq,
      min_daily_budget_low_freq: m.low_freq,
      min_daily_budget_video_views: m.video_views,
    };
  }

  private minimums(): MinimumBudgets {
    const base = this.options.minDailyBudgetMinor ?? 100;
    return { imp: base, high_freq: base, low_freq: base, video_views: base, ...this.options.minimumBudgetsMinor };
  }

  /** The minimum (minor units) for the fake's billing event; an unknown one takes the largest, like the connector. */
  private minimumMinor(): number {
    const m = this.minimums();
    const family = MINIMUM_FAMILY[this.options.billingEvent ?? 'IMPRESSIONS'];
    return family ? m[family] : Math.max(m.imp, m.high_freq, m.low_freq, m.video_views);
  }

  /** The params of a budget/status write, validated as Graph does (unknown params, integer budget, minimum, status enum). */
  private budgetWriteParams(
    request: GraphRequest,
    currency: string,
  ): { validateOnly: boolean; minor: number | undefined; status: AdSet['status'] | undefined } {
    const allowed = new Set(['access_token', 'appsecret_proof', 'daily_budget', 'status', 'execution_options']);
    for (const name of Object.keys(request.params)) {
      if (!allowed.has(name)) throw invalidParam(`Invalid parameter`, `The parameter ${name} is not supported by the fake Graph API.`);
    }
    const validateOnly = isValidateOnly(request.params.execution_options);
    const budgetRaw = stringParam(request.params, 'daily_budget');
    const statusRaw = stringParam(request.params, 'status');
    let minor: number | undefined;
    if (budgetRaw !== undefined) {
      if (!/^\d+$/.test(budgetRaw) || !Number.isSafeInteger(Number(budgetRaw))) throw invalidParam('Param daily_budget must be an integer');
      minor = Number(budgetRaw);
      const minimum = this.minimumMinor();
      if (minor < minimum) {
        const shown = microsToDecimal(minorToMicros(minimum, currency), minorUnitOffset(currency) === 1 ? 0 : 2);
        throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
          userTitle: 'Your Budget Is Too Low',
          userMessage: `The minimum daily budget for this ad set is ${shown} ${currency}.`,
        });
      }
    }
    const status = statusRaw === undefined ? undefined : ADSET_STATUSES.find((s) => s === statusRaw);
    if (statusRaw !== undefined && status === undefined) throw invalidParam(`Param status must be one of {${ADSET_STATUSES.join(', ')}}`);
    return { validateOnly, minor, status };
  }

  /** Counts a budget change against the node's hourly limit; a significant one restarts the learning of `adsetIds`. */
  private noteBudgetChange(node: string, adsetIds: readonly string[], beforeMicros: number, afterMicros: number, now: Date): void {
    this.budgetChanges.set(node, [...(this.budgetChanges.get(node) ?? []), now.getTime()]);
    if (isSignificantBudgetChange(beforeMicros, afterMicros, this.options.learning)) {
      for (const id of adsetIds) this.significantEdits.set(id, now);
    }
  }

  /** Meta: an ad set's budget may change 4 times per hour; the 5th change is refused with code 17 ([U] the same for a CBO campaign). */
  private assertBudgetChangeAllowed(node: string, kind: 'ad set' | 'campaign'): void {
    const nowMs = this.market.now().getTime();
    const recent = (this.budgetChanges.get(node) ?? []).filter((t) => t > nowMs - HOUR_MS);
    this.budgetChanges.set(node, recent);
    const perHour = this.options.budgetChangesPerHour ?? 4;
    if (recent.length < perHour) return;
    const oldest = recent[0] ?? nowMs;
    throw new GraphApiError(400, 17, '(#17) User request limit reached', {
      subcode: 2446079,
      userTitle: kind === 'ad set' ? 'Ad Set Budget Change Limit Reached' : 'Campaign Budget Change Limit Reached',
      userMessage: `This ${kind}'s budget was changed ${recent.length} times in the last hour. Please try again later.`,
      retryMinutes: Math.max(1, Math.ceil((oldest + HOUR_MS - nowMs) / 60_000)),
    });
  }
}

/** `execution_options` (a JSON list or one bare value): true when it asks for `validate_only`. */
function isValidateOnly(raw: unknown): boolean {
  if (raw === undefined) return false;
  let options: unknown = raw;
  if (typeof raw === 'string') {
    try {
      options = JSON.parse(raw);
    } catch {
      options = [raw];
    }
  }
  if (!Array.isArray(options) || options.some((o) => !['validate_only', 'include_recommendations'].includes(String(o)))) {
    throw invalidParam('Param execution_options must be an array of {validate_only, include_recommendations}');
  }
  return options.includes('validate_only');
}

/**
 * Meta's rules for archived and deleted objects: an ARCHIVED ad set can only change its status to DELETED (and its
 * name), a DELETED one cannot change at all. Writing the status it already has is accepted. [U] the code and wording
 * of the refusal: an invalid-parameter error (code 100) is assumed.
 */
function assertEditable(adset: AdSet, minor: number | undefined, status: AdSet['status'] | undefined): void {
  if (adset.status !== 'ARCHIVED' && adset.status !== 'DELETED') return;
  const allowed: readonly AdSet['status'][] = adset.status === 'ARCHIVED' ? ['ARCHIVED', 'DELETED'] : ['DELETED'];
  if (minor === undefined && (status === undefined || allowed.includes(status))) return;
  const what = minor === undefined ? `its status to ${status}` : 'its budget';
  throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
    userTitle: adset.status === 'ARCHIVED' ? "Can't Edit Archived Ad Set" : "Can't Edit Deleted Ad Set",
    userMessage: `This ad set is ${adset.status.toLowerCase()}, so you can't change ${what}.`,
  });
}
