import { describe, expect, it } from 'vitest';
import { budgetHolderKey, budgetHolders } from '../../../lib/model/ads.ts';

const adset = (adsetId: string, campaignId: string, budgetLevel: 'adset' | 'campaign', platform: 'meta' | 'tiktok' = 'meta') => ({
  platform,
  adsetId,
  campaignId,
  budgetLevel,
});

describe('budget holders', () => {
  it('keeps every ad-set budget and one ad set per campaign budget, per platform', () => {
    const list = [
      adset('a1', 'c1', 'campaign'),
      adset('a2', 'c1', 'campaign'),
      adset('a3', 'c1', 'adset'),
      adset('a4', 'c2', 'campaign'),
      adset('a5', 'c1', 'campaign', 'tiktok'),
    ];
    expect(budgetHolders(list).map((a) => a.adsetId)).toEqual(['a1', 'a3', 'a4', 'a5']);
    expect(budgetHolderKey(adset('a2', 'c1', 'campaign'))).toBe('meta/campaign/c1');
    expect(budgetHolderKey(adset('a3', 'c1', 'adset'))).toBe('meta/adset/a3');
  });
});
