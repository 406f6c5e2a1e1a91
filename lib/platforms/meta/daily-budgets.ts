/**
 * Daily budget reads and writes of Meta ad sets: the budget lives on the ad set, or on its campaign under CBO
 * (`POST /{campaign_id}`), in minor units; a write is checked against Meta's minimum for the ad set's billing
 * event (budgets.ts), rounded down, sent, and read back.
 */
import type { AdSet } from '../../model/ads.ts';
import { assertMicros, microsToMinorFloor, minorToMicros } from '../../model/money.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite } from '../port.ts';
import { budgetMicros } from './adsets.ts';
import { minimumDailyBudgetMinor } from './budgets.ts';
import { type MetaContext, metaAccountNode } from './context.ts';
import { BudgetBelowMinimumError } from './errors.ts';
import { MetaAdSetBilling, MetaAdSetBudget, MetaCampaignBudgetNode, type MetaMinimumBudget, MetaMinimumBudgetsPage } from './schemas.ts';

/** The daily budgets of one connector, with the `minimum_budgets` it has read. */
export class MetaDailyBudgets {
  /** `minimum_budgets` per account node: they change rarely, and every budget write needs them. */
  private readonly minimums = new Map<string, MetaMinimumBudget[]>();

  constructor(private readonly ctx: MetaContext) {}

  /**
   * Writes the daily budget rounded DOWN to the currency's minor unit, then reads it back. An ad set with
   * budgetLevel 'campaign' (CBO) writes its CAMPAIGN's daily_budget (`POST /{campaign_id}`), which all the
   * campaign's ad sets share. Below Meta's minimum for the ad set's billing event: BudgetBelowMinimumError, and
   * nothing is written. `validateOnly` sends Meta's own dry run (`execution_options=["validate_only"]`).
   * Budget changes are limited to 4 per hour: the 5th is a RateLimitedError (code 17) carrying the hour's wait.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const node = this.budgetNode(adset);
    const endpoint = this.ctx.client.endpoint('POST', `/${node}`);
    const context = { platform: 'meta' as const, endpoint };
    if (adset.platform !== 'meta') throw new PlatformRequestError(`not a Meta ad set: ${adset.platform} ${adset.adsetId}`, context);
    assertMicros(dailyBudgetMicros);
    if (dailyBudgetMicros < 0) throw new PlatformRequestError(`a daily budget cannot be negative: ${dailyBudgetMicros}`, context);
    const minor = microsToMinorFloor(dailyBudgetMicros, adset.currency);
    const minimum = await this.minimumDailyBudgetMinor(adset);
    if (minor < minimum) {
      const requestedMicros = minorToMicros(minor, adset.currency);
      const minimumMicros = minorToMicros(minimum, adset.currency);
      throw new BudgetBelowMinimumError(
        `Meta ${endpoint}: daily budget ${minor} is below Meta's minimum of ${minimum} (minor units of ${adset.currency}); nothing written`,
        context,
        requestedMicros,
        minimumMicros,
      );
    }
    const body = options.validateOnly ? { daily_budget: minor, execution_options: ['validate_only'] } : { daily_budget: minor };
    await this.ctx.write(node, body, { budgetWrite: true });
    const readBack = await this.readDailyBudget(adset);
    if (readBack === undefined) {
      const readEndpoint = this.ctx.client.endpoint('GET', `/${node}`);
      throw new MalformedResponseError(
        `Meta ${readEndpoint}: daily_budget missing on read-back`,
        { platform: 'meta', endpoint: readEndpoint },
        'daily_budget',
      );
    }
    return { appliedMicros: minorToMicros(minor, adset.currency), readBackMicros: readBack };
  }

  /**
   * The daily budget that funds the ad set now: its own, or its campaign's under CBO; null when there is none
   * ("0" or absent: a lifetime budget).
   */
  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const micros = await this.readDailyBudget(adset);
    return micros === undefined || micros === 0 ? null : micros;
  }

  /** The node that holds the ad set's budget: the ad set, or its campaign under CBO. */
  private budgetNode(adset: AdSet): string {
    return adset.budgetLevel === 'campaign' ? adset.campaignId : adset.adsetId;
  }

  private async readDailyBudget(adset: AdSet): Promise<number | undefined> {
    const node = this.budgetNode(adset);
    const endpoint = this.ctx.client.endpoint('GET', `/${node}`);
    const schema = adset.budgetLevel === 'campaign' ? MetaCampaignBudgetNode : MetaAdSetBudget;
    const read = await this.ctx.call(() => this.ctx.client.get(`/${node}`, { fields: 'id,daily_budget' }, schema));
    return read.daily_budget === undefined ? undefined : budgetMicros(read.daily_budget, adset.currency, endpoint, 'daily_budget');
  }

  /**
   * Meta's minimum daily budget (minor units) for this ad set: its billing event picks the `minimum_budgets` entry.
   * For a CBO campaign the minimum of the ad set named is used **[U]** (Meta may require more of a campaign).
   */
  private async minimumDailyBudgetMinor(adset: AdSet): Promise<number> {
    const billing = await this.ctx.call(() => this.ctx.client.get(`/${adset.adsetId}`, { fields: 'id,billing_event' }, MetaAdSetBilling));
    const node = metaAccountNode(adset.accountId);
    const path = `/${node}/minimum_budgets`;
    let minimums = this.minimums.get(node);
    if (minimums === undefined) {
      minimums = (await this.ctx.collect(path, {}, MetaMinimumBudgetsPage)).flat();
      this.minimums.set(node, minimums);
    }
    const entry = minimums.find((m) => m.currency === adset.currency);
    if (!entry) {
      const endpoint = this.ctx.client.endpoint('GET', path);
      throw new MalformedResponseError(`Meta ${endpoint}: no minimum budget for ${adset.currency}`, { platform: 'meta', endpoint }, 'data');
    }
    return minimumDailyBudgetMinor(entry, billing.billing_event);
  }
}
