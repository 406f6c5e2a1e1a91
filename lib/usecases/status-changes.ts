/**
 * Status changes: a concluded test's losing ad set or ad paused (and that pause undone). Shared by the apply step
 * and by revert: the write on the right level, and the `Status Changed` event.
 */
import { makeEvent } from '../events/publisher.ts';
import type { AdpilotEvent } from '../events/schemas.ts';
import type { AdSet } from '../model/ads.ts';
import { hasAdLevel } from '../platforms/ads.ts';
import type { PlatformConnector, WritableStatus } from '../platforms/port.ts';
import type { AppContext } from '../runtime/context.ts';
import type { PlannedChange } from '../store/records.ts';
import { UseCaseError } from './errors.ts';

/** Writes `status` on what the change names (one ad when it has an `adId`, else the ad set) and returns the status read back. */
export async function writeStatus(
  ctx: AppContext,
  change: PlannedChange,
  adset: AdSet,
  connector: PlatformConnector,
  status: WritableStatus,
): Promise<AdSet['status']> {
  if (change.adId === undefined) return (await connector.setStatus(adset, status)).readBack;
  if (!hasAdLevel(connector)) throw new UseCaseError(`the ${change.platform} connector cannot pause single ads`);
  const ad = await ctx.store.getAd(change.platform, change.adId);
  if (!ad) throw new UseCaseError(`unknown ad ${change.platform} ${change.adId}`);
  return (await connector.setAdStatus(ad, status)).readBack;
}

/** The `Status Changed` event of a status change; an undo names the change it reverts. */
export function statusChangedEvent(
  ctx: AppContext,
  planId: string,
  change: PlannedChange,
  statusAfter: WritableStatus,
  revertedChangeId: string | null,
  now: Date,
): AdpilotEvent<'Status Changed'> {
  return makeEvent(
    'Status Changed',
    {
      version: 1,
      id: `status-changed:${change.changeId}`,
      client: ctx.config.client,
      platform: change.platform,
      accountId: change.accountId,
      adsetId: change.adsetId,
      adsetName: change.adsetName,
      level: change.adId === undefined ? 'adset' : 'ad',
      ...(change.adId === undefined ? {} : { adId: change.adId, adName: change.adName ?? change.adId }),
      planId,
      changeId: change.changeId,
      statusBefore: statusAfter === 'PAUSED' ? 'ACTIVE' : 'PAUSED',
      statusAfter,
      reason: change.reason,
      revertedChangeId,
    },
    now,
  );
}
