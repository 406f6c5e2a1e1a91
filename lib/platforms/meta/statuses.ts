/**
 * Status writes on Meta: `POST /{node}` with `status` (PAUSED or ACTIVE), read back from `status` and
 * `effective_status` and mapped as the node's reads map them. Ad sets here; ads (ads.ts) through the same write.
 */
import type { z } from 'zod';
import type { AdSet } from '../../model/ads.ts';
import { PlatformRequestError } from '../errors.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { adSetStatus } from './adsets.ts';
import type { MetaContext } from './context.ts';
import { MetaAdSetStatusNode } from './schemas.ts';

/** The node a status write goes to: its id, what it is ("ad set", "ad") and the platform of the adpilot entity. */
export interface StatusTarget {
  readonly id: string;
  readonly what: string;
  readonly platform: string;
}

/**
 * Writes `status` to the target node (`POST /{id}`), then reads `status` and `effective_status` back and maps them
 * with `toStatus`. A target of another platform, or a read-back other than `status`, is a PlatformRequestError.
 */
export async function writeStatus(
  ctx: MetaContext,
  target: StatusTarget,
  status: WritableStatus,
  toStatus: (read: z.infer<typeof MetaAdSetStatusNode>) => AdSet['status'],
): Promise<StatusWrite> {
  const { id, what } = target;
  const context = { platform: 'meta' as const, endpoint: ctx.client.endpoint('POST', `/${id}`) };
  if (target.platform !== 'meta') throw new PlatformRequestError(`not a Meta ${what}: ${target.platform} ${id}`, context);
  await ctx.write(id, { status });
  const read = await ctx.call(() => ctx.client.get(`/${id}`, { fields: 'id,status,effective_status' }, MetaAdSetStatusNode));
  const readBack = toStatus(read);
  if (readBack !== status) {
    const effective = read.effective_status === undefined ? '' : `, effective_status ${read.effective_status}`;
    throw new PlatformRequestError(
      `Meta ${what} ${id}: wrote status ${status} but read back ${readBack} (status ${read.status}${effective})`,
      context,
    );
  }
  return { readBack };
}

/**
 * Pauses or re-activates the ad set itself (`POST /{adset_id}` with `status`, also under CBO: the status is the ad
 * set's own), then reads `status` and `effective_status` back and maps them as listAdSets does. An ad set whose
 * campaign is paused reads back PAUSED, so activating it there is a PlatformRequestError naming both statuses.
 * Meta refuses status changes of ARCHIVED and DELETED ad sets (a PlatformRequestError, code 100).
 */
export function setStatus(ctx: MetaContext, adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
  return writeStatus(ctx, { id: adset.adsetId, what: 'ad set', platform: adset.platform }, status, adSetStatus);
}
