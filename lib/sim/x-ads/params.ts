/** Query parameter readers of the fake X Ads API: id filters (≤200 ids) and booleans, refused the way X refuses them. */
import { XAdsApiError } from './errors.ts';

export type Params = ReadonlyMap<string, string>;

/** Most ids in a filter parameter. */
export const MAX_FILTER_IDS = 200;

/** A comma-separated id filter, or undefined when absent; more than 200 ids is a 400. */
export function idFilter(params: Params, name: string): string[] | undefined {
  const text = params.get(name);
  if (text === undefined) return undefined;
  const ids = text.split(',');
  if (ids.length > MAX_FILTER_IDS) throw new XAdsApiError(400, 'INVALID_PARAMETER', `${name} takes at most ${MAX_FILTER_IDS} ids`, name);
  return ids;
}

/** A `true`/`false` parameter (absent is false). */
export function booleanParam(params: Params, name: string): boolean {
  const text = params.get(name);
  if (text === undefined) return false;
  if (text !== 'true' && text !== 'false')
    throw new XAdsApiError(400, 'INVALID_PARAMETER', `Expected Boolean, got "${text}" for ${name}`, name);
  return text === 'true';
}
