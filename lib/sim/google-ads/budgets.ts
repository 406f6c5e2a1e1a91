/**
 * Campaign budgets of the fake Google Ads API: every campaign (a google-ads "ad set" of the market) has its own
 * CampaignBudget, unless `sharedBudgets` puts several under one explicitly shared budget; and the
 * `campaignBudgets:mutate` route that writes amounts into the market (../shared/PLATFORM_APIS.md §2).
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { MICROS_PER_UNIT, minorUnitOffset } from '../../model/money.ts';
import { SimulationError } from '../errors.ts';
import type { MarketSimulator } from '../market.ts';
import { hashSeed } from '../random.ts';
import type { FieldValue } from './fields.ts';
import { type MutateCall, resourceNotFound, runMutate, type UpdateOperation } from './mutate.ts';
import { badJsonPayload, invalidArgument } from './wire.ts';

/** An explicitly shared budget over several campaigns of one customer. */
export interface SharedBudgetConfig {
  readonly budgetId: string;
  readonly name?: string;
  readonly campaignIds: readonly string[];
}

export interface CampaignBudgetOptions {
  readonly sharedBudgets?: readonly SharedBudgetConfig[];
  /** billable_unit_micros per currency [U]; default one minor unit (10,000 micros, or 1,000,000 for JPY and the like). */
  readonly billableUnitMicros?: Readonly<Record<string, number>>;
  /** Smallest daily budget accepted (default one unit of the currency). */
  readonly minDailyBudgetMicros?: number;
}

/** A budget as the API shows it. */
export interface BudgetView {
  readonly id: string;
  readonly resourceName: string;
  readonly name: string;
  readonly amountMicros: number;
  readonly shared: boolean;
  readonly campaigns: readonly AdSet[];
}

const BUDGET_FIELDS = new Set([
  'amountMicros',
  'name',
  'deliveryMethod',
  'explicitlyShared',
  'period',
  'totalAmountMicros',
  'resourceName',
]);
const WRITABLE_BUDGET_FIELDS: ReadonlySet<string> = new Set(['amountMicros']);

/** The Google status of a market ad set's status (ARCHIVED has no Google equivalent: REMOVED). */
export function campaignStatus(status: AdSet['status']): string {
  return status === 'ACTIVE' ? 'ENABLED' : status === 'PAUSED' ? 'PAUSED' : 'REMOVED';
}

/** The id of a campaign's own (not shared) budget: stable, 10 digits, never a campaign id of the sample configs. */
export function ownBudgetId(campaignId: string): string {
  return String(8_000_000_000 + hashSeed('google-ads-budget', campaignId));
}

/** The campaign_budget.* values of a budget. */
export function budgetValues(budget: BudgetView): Record<string, FieldValue> {
  return {
    'campaign_budget.resource_name': budget.resourceName,
    'campaign_budget.id': budget.id,
    'campaign_budget.name': budget.name,
    'campaign_budget.amount_micros': String(budget.amountMicros),
    'campaign_budget.explicitly_shared': budget.shared,
    'campaign_budget.reference_count': String(budget.campaigns.filter((c) => campaignStatus(c.status) !== 'REMOVED').length),
    'campaign_budget.period': 'DAILY',
    'campaign_budget.status': 'ENABLED',
    'campaign_budget.delivery_method': 'STANDARD',
    'campaign_budget.type': 'STANDARD',
  };
}

/** The budgets of the market's Google Ads campaigns, and the writes to them. */
export class CampaignBudgets {
  constructor(
    private readonly market: MarketSimulator,
    private readonly options: CampaignBudgetOptions,
  ) {
    this.validate();
  }

  /** billable_unit_micros of a currency. */
  billableUnit(currency: string): number {
    return this.options.billableUnitMicros?.[currency] ?? MICROS_PER_UNIT / minorUnitOffset(currency);
  }

  // ---- budgets ----------------------------------------------------------------------------------------

  /** The budgets of a customer: by campaign id and by budget id. */
  views(account: AdAccount): { byCampaign: Map<string, BudgetView>; byId: Map<string, BudgetView> } {
    const byCampaign = new Map<string, BudgetView>();
    const byId = new Map<string, BudgetView>();
    const campaigns = this.market.adsets(account.accountId);
    for (const shared of this.options.sharedBudgets ?? []) {
      const members = campaigns.filter((c) => shared.campaignIds.includes(c.adsetId));
      if (members.length === 0) continue;
      const view: BudgetView = {
        id: shared.budgetId,
        resourceName: `customers/${account.accountId}/campaignBudgets/${shared.budgetId}`,
        name: shared.name ?? `Shared budget ${shared.budgetId}`,
        amountMicros: members.reduce((sum, c) => sum + (c.dailyBudgetMicros ?? 0), 0),
        shared: true,
        campaigns: members,
      };
      byId.set(view.id, view);
      for (const c of members) byCampaign.set(c.adsetId, view);
    }
    for (const c of campaigns) {
      if (byCampaign.has(c.adsetId)) continue;
      const id = ownBudgetId(c.adsetId);
      const view: BudgetView = {
        id,
        resourceName: `customers/${account.accountId}/campaignBudgets/${id}`,
        name: `Budget ${c.adsetId}`,
        amountMicros: c.dailyBudgetMicros ?? 0,
        shared: false,
        campaigns: [c],
      };
      byId.set(id, view);
      byCampaign.set(c.adsetId, view);
    }
    return { byCampaign, byId };
  }

  /** Answers `campaignBudgets:mutate` (updates of amountMicros), with validateOnly and partialFailure. */
  mutate(account: AdAccount, call: MutateCall): Record<string, unknown> {
    const budgets = this.views(account).byId;
    return runMutate<{ budget: BudgetView; amount: number }>(
      {
        collection: 'campaignBudgets',
        fields: BUDGET_FIELDS,
        writable: WRITABLE_BUDGET_FIELDS,
        check: (customer, operation) => this.checkAmount(customer, budgets, operation),
        apply: ({ budget, amount }) => {
          this.applyBudget(budget, amount);
          return budget.resourceName;
        },
      },
      account,
      call,
    );
  }

  /** Checks the budget and amount of one update operation; returns the budget and amount to write. */
  private checkAmount(
    account: AdAccount,
    budgets: Map<string, BudgetView>,
    operation: UpdateOperation,
  ): { budget: BudgetView; amount: number } {
    const budget = budgets.get(operation.id);
    if (!budget) throw resourceNotFound(operation.at('resource_name'));
    const raw = operation.update.amountMicros;
    const field = `operations[${operation.index}].update.amount_micros`;
    if ((typeof raw !== 'string' || !/^-?\d+$/.test(raw)) && !(typeof raw === 'number' && Number.isInteger(raw))) {
      throw badJsonPayload(`Invalid value at '${field}' (TYPE_INT64), ${JSON.stringify(raw ?? null)}`, field);
    }
    const amount = Number(raw);
    const location = operation.at('amount_micros');
    const money = (code: string, message: string, details?: Record<string, unknown>) =>
      invalidArgument({ errorCode: { campaignBudgetError: code }, message, location, ...(details ? { details } : {}) });
    if (amount < 0) throw money('NEGATIVE_MONEY_AMOUNT', 'A money amount was negative.');
    if (!Number.isSafeInteger(amount) || amount > 1e15)
      throw money('MONEY_AMOUNT_TOO_LARGE', 'A money amount was greater than the maximum allowed.');
    const unit = this.billableUnit(account.currency);
    if (amount % unit !== 0) throw money('NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT', 'A money amount was not a multiple of a minimum unit.');
    const minimum = this.options.minDailyBudgetMicros ?? MICROS_PER_UNIT;
    if (amount < minimum) {
      throw money('BUDGET_BELOW_PER_DAY_MINIMUM', "Budget amount or total amount must be above this campaign's per-day minimum.", {
        budgetPerDayMinimumErrorDetails: {
          currencyCode: account.currency,
          budgetPerDayMinimumMicros: String(minimum),
          minimumBudgetAmountMicros: String(minimum),
          failedBudgetAmountMicros: String(amount),
        },
      });
    }
    return { budget, amount };
  }

  /** Writes a budget to the market; a shared budget is split over its campaigns in proportion to their current share. */
  private applyBudget(budget: BudgetView, amount: number): void {
    const now = this.market.now();
    const [first, ...rest] = budget.campaigns;
    if (!first) return;
    if (!budget.shared) {
      this.market.setDailyBudget(first.adsetId, amount, now);
      return;
    }
    const unit = this.billableUnit(first.currency);
    const total = budget.campaigns.reduce((sum, c) => sum + (c.dailyBudgetMicros ?? 0), 0);
    let assigned = 0;
    for (const c of rest) {
      const share = total > 0 ? (c.dailyBudgetMicros ?? 0) / total : 1 / budget.campaigns.length;
      const micros = Math.floor((amount * share) / unit) * unit;
      this.market.setDailyBudget(c.adsetId, micros, now);
      assigned += micros;
    }
    this.market.setDailyBudget(first.adsetId, amount - assigned, now);
  }

  /** Checks the shared budgets against the market's campaigns (ids, one budget per campaign, one customer each). */
  private validate(): void {
    const campaigns = this.market.adsets().filter((a) => a.platform === 'google-ads');
    const seen = new Map<string, SharedBudgetConfig>();
    const byId = new Map(campaigns.map((c) => [c.adsetId, c]));
    const ownIds = new Set(campaigns.map((c) => ownBudgetId(c.adsetId)));
    for (const shared of this.options.sharedBudgets ?? []) {
      if (!/^\d{1,19}$/.test(shared.budgetId) || ownIds.has(shared.budgetId))
        throw new SimulationError(`bad shared budget id ${shared.budgetId}`);
      const accounts = new Set<string>();
      for (const id of shared.campaignIds) {
        const campaign = byId.get(id);
        if (!campaign) throw new SimulationError(`shared budget ${shared.budgetId} names unknown Google Ads campaign ${id}`);
        if (seen.has(id)) throw new SimulationError(`campaign ${id} is in two shared budgets`);
        seen.set(id, shared);
        accounts.add(campaign.accountId);
      }
      if (accounts.size > 1) throw new SimulationError(`shared budget ${shared.budgetId} spans several customers`);
    }
  }
}
