/**
 * Pausing and re-activating LinkedIn campaigns: a Rest.li PARTIAL_UPDATE of `status` with LinkedIn's own values
 * (`{"status":"PAUSED"}` / `{"status":"ACTIVE"}`), then the campaign's status read back. The checks on the
 * status written and read back serve the creative status write (ads.ts) too.
 */
import type { AdSet } from '../../model/ads.ts';
import { PlatformRequestError } from '../errors.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { getCampaign, STATUS, update, writeTarget } from './campaigns.ts';
import type { LinkedInContext } from './context.ts';

/** The platform and endpoint a write's errors name. */
export interface WriteContext {
  readonly platform: 'linkedin';
  readonly endpoint: string;
}

/**
 * Sets the campaign's `status` to ACTIVE or PAUSED (LinkedIn's own values) with a Rest.li PARTIAL_UPDATE
 * `{"patch":{"$set":{"status":…}}}`, then reads the campaign back. Setting a status is idempotent, so the update
 * is retried like a read, and writing the status the campaign already has is fine. A campaign LinkedIn will not
 * change (e.g. REMOVED) is LinkedIn's 4xx, a PlatformRequestError; so is a read-back that is not `status`.
 */
export async function setStatus(ctx: LinkedInContext, adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
  const { path, context } = writeTarget(ctx, adset);
  requireWritable(status, context);
  await update(ctx, path, { status });
  const { campaign } = await getCampaign(ctx, adset);
  return checkReadBack(context, `campaign ${adset.adsetId}`, status, campaign.status, STATUS[campaign.status]);
}

/** Refuses, before anything is sent, a status adpilot does not write: only ACTIVE and PAUSED. */
export function requireWritable(status: WritableStatus, context: WriteContext): void {
  if (status !== 'ACTIVE' && status !== 'PAUSED')
    throw new PlatformRequestError(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`, context);
}

/** The status `what` reads back after a write (LinkedIn's `raw`, adpilot's `readBack`); one other than `status` is a PlatformRequestError. */
export function checkReadBack(
  context: WriteContext,
  what: string,
  status: WritableStatus,
  raw: string,
  readBack: AdSet['status'],
): StatusWrite {
  if (readBack !== status) {
    throw new PlatformRequestError(
      `LinkedIn ${context.endpoint}: ${what} was set to ${status} but reads back ${raw}${raw === readBack ? '' : ` (${readBack})`}`,
      context,
    );
  }
  return { readBack };
}
