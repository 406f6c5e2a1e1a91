/**
 * `campaigns:mutate` of the fake Google Ads API: pausing and enabling campaigns (a google-ads "ad set" of the
 * market) with `{"updateMask":"status","update":{"resourceName":"customers/…/campaigns/…","status":"PAUSED"}}`
 * (../shared/PLATFORM_APIS.md §2). Like a budget write it shows at once and applies from the next account day.
 * A removed campaign cannot be changed (ContextError OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE), and REMOVED is
 * reached with a `remove` operation, not an update ([U] the exact error of an update to REMOVED).
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import type { MarketSimulator } from '../market.ts';
import { campaignStatus } from './budgets.ts';
import { type MutateCall, resourceNotFound, runMutate, statusUpdate, type UpdateOperation } from './mutate.ts';

/** Campaign fields an update mask may name (a subset of Google's; nested paths are not simulated). */
const CAMPAIGN_FIELDS: ReadonlySet<string> = new Set([
  'resourceName',
  'name',
  'status',
  'campaignBudget',
  'startDate',
  'endDate',
  'biddingStrategyType',
  'advertisingChannelType',
  'servingStatus',
  'networkSettings',
]);
const WRITABLE_CAMPAIGN_FIELDS: ReadonlySet<string> = new Set(['status']);

/** The market's status for a Google campaign status that an update may write. */
const MARKET_STATUS: Readonly<Record<'ENABLED' | 'PAUSED', AdSet['status']>> = { ENABLED: 'ACTIVE', PAUSED: 'PAUSED' };

interface StatusPlan {
  readonly campaign: AdSet;
  readonly status: AdSet['status'];
  readonly resourceName: string;
}

/** Answers `campaigns:mutate` (updates of status), with validateOnly and partialFailure. */
export function mutateCampaigns(market: MarketSimulator, account: AdAccount, call: MutateCall): Record<string, unknown> {
  const campaigns = new Map(market.adsets(account.accountId).map((c) => [c.adsetId, c]));
  return runMutate<StatusPlan>(
    {
      collection: 'campaigns',
      fields: CAMPAIGN_FIELDS,
      writable: WRITABLE_CAMPAIGN_FIELDS,
      check: (customer, operation) => checkStatus(customer, campaigns, operation, call.apiVersion),
      apply: ({ campaign, status, resourceName }) => {
        market.setStatus(campaign.adsetId, status, market.now());
        return resourceName;
      },
    },
    account,
    call,
  );
}

function checkStatus(account: AdAccount, campaigns: Map<string, AdSet>, operation: UpdateOperation, apiVersion: string): StatusPlan {
  const campaign = campaigns.get(operation.id);
  if (!campaign) throw resourceNotFound(operation.at('resource_name'));
  const status = statusUpdate(operation, {
    currentStatus: campaignStatus(campaign.status),
    enumType: 'CampaignStatusEnum.CampaignStatus',
    noun: 'A campaign',
    apiVersion,
  });
  return { campaign, status: MARKET_STATUS[status], resourceName: `customers/${account.accountId}/campaigns/${campaign.adsetId}` };
}
