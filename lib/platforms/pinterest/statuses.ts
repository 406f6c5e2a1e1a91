/**
 * Status writes (../shared/PLATFORM_APIS.md §7.2.4): an ad group's `status`, ACTIVE or PAUSED, with the batch
 * `PATCH /v5/ad_accounts/{id}/ad_groups` (a one-item array `[{"id":…,"status":"PAUSED"}]`), then the ad group and
 * its campaign read back and mapped as listAdSets maps them. Setting a status is idempotent, so the PATCH is
 * retried like a read (the retries, error mapping and redaction of every request, through `ctx`).
 */
import type { AdSet } from '../../model/ads.ts';
import { PlatformRequestError } from '../errors.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { adSetStatus } from './adsets.ts';
import type { PinterestContext } from './context.ts';
import { adGroupWithCampaign } from './lists.ts';
import { itemRefusal } from './patch-items.ts';
import { AdGroupPatch } from './schemas.ts';

/**
 * Writes `status` on the ad group of `adset` and reads it back. An item Pinterest refuses (an archived ad group
 * cannot change [U]) and a read-back other than `status` (its campaign is paused) are PlatformRequestErrors.
 */
export async function writeStatus(ctx: PinterestContext, adset: AdSet, status: WritableStatus, pageSize: number): Promise<StatusWrite> {
  const path = `ad_accounts/${adset.accountId}/ad_groups`;
  const endpoint = ctx.client.endpoint('PATCH', path);
  const refuse = (why: string, extra: { status?: number; code?: number } = {}) =>
    new PlatformRequestError(ctx.client.clean(`Pinterest ${endpoint}: ${why}`), { platform: 'pinterest', endpoint, ...extra });
  if (adset.platform !== 'pinterest') throw refuse(`not a Pinterest ad group: ${adset.platform} ${adset.adsetId}`);
  if (status !== 'ACTIVE' && status !== 'PAUSED') throw refuse(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`);
  const answer = await ctx.call(() => ctx.client.patch(path, [{ id: adset.adsetId, status }], AdGroupPatch));
  if (answer.items.length !== 1) throw ctx.malformed(endpoint, 'items', `holds ${answer.items.length} items for 1 sent`);
  const refusal = itemRefusal(ctx, endpoint, 0, adset.adsetId, answer.items[0]);
  if (refusal) {
    throw refuse(`ad group ${adset.adsetId} was not set to ${status}: ${refusal.why}`, {
      status: 200,
      ...(refusal.code === undefined ? {} : { code: refusal.code }),
    });
  }
  const { group, campaign } = await adGroupWithCampaign(ctx, adset.accountId, pageSize, adset.adsetId);
  const readBack = adSetStatus(group.item, campaign?.item);
  if (readBack !== status) {
    const held = campaign === undefined ? 'campaign not listed' : `campaign ${campaign.item.id} ${campaign.item.status}`;
    throw refuse(`ad group ${adset.adsetId} was set to ${status} but reads back ${readBack} (ad group ${group.item.status}, ${held})`);
  }
  return { readBack };
}
