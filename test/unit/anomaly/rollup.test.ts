import { describe, expect, it } from 'vitest';
import { AnomalyInputError } from '../../../lib/anomaly/errors.ts';
import { type JudgedAdSet, rollUpAnomalies } from '../../../lib/anomaly/rollup.ts';
import type { AdAnomaly, FaultType, Severity } from '../../../lib/anomaly/types.ts';

const DATE = '2026-03-10';

function anomaly(faultType: FaultType, severity: Severity = 'medium'): AdAnomaly {
  return { faultType, metric: 'conversions', observed: 0, expected: { low: 4, high: 19 }, severity, hint: `${faultType} here`, date: DATE };
}

/** Six ad sets: a1–a3 in Prospecting (c1), b1–b3 in Retargeting (c2). */
function account(faults: Readonly<Record<string, readonly AdAnomaly[]>>): JudgedAdSet[] {
  return ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((adsetId) => ({
    adsetId,
    campaignId: adsetId.startsWith('a') ? 'c1' : 'c2',
    campaignName: adsetId.startsWith('a') ? 'Prospecting' : 'Retargeting',
    anomalies: faults[adsetId] ?? [],
  }));
}

describe('rollUpAnomalies', () => {
  it('raises one account-level tracking breakage when most ad sets across campaigns show it, and marks them explained', () => {
    const adsets = account({
      a1: [anomaly('tracking-breakage')],
      a2: [anomaly('tracking-breakage', 'high')],
      b1: [anomaly('tracking-breakage'), anomaly('ctr-decay', 'low')],
      b3: [anomaly('tracking-breakage')],
    });
    const result = rollUpAnomalies({ accountId: 'act_1', accountName: 'Acme Outdoor', date: DATE, adsets });
    expect(result.hierarchy).toEqual([
      {
        id: 'account:act_1:tracking-breakage',
        level: 'account',
        accountId: 'act_1',
        faultType: 'tracking-breakage',
        metric: 'adsetsWithFault',
        observed: 4,
        expected: { low: 0, high: 3 },
        judgedAdsets: 6,
        severity: 'high',
        hint:
          'Account "Acme Outdoor": 4 of 6 ad sets in 2 campaigns on 2026-03-10. Conversions collapsed while clicks held across the ' +
          'account: the pixel or conversion tracking of the account probably broke (the pixel or Conversions API events, or the ' +
          "purchase event on the site), not the ad sets. Check recent site releases, tag manager changes and the platform's event " +
          'diagnostics, and fix it once at the source.',
        date: DATE,
        adsetIds: ['a1', 'a2', 'b1', 'b3'],
      },
    ]);
    const explained = 'account:act_1:tracking-breakage';
    expect(result.adsetAnomalies.map((a) => [a.adsetId, a.anomaly.faultType, a.explainedBy])).toEqual([
      ['a1', 'tracking-breakage', explained],
      ['a2', 'tracking-breakage', explained],
      ['b1', 'tracking-breakage', explained],
      ['b1', 'ctr-decay', null],
      ['b3', 'tracking-breakage', explained],
    ]);
  });

  it('alerts at the campaign when the affected ad sets sit in one campaign, even if they are most of the account', () => {
    const adsets = account({
      a1: [anomaly('delivery-stop', 'high')],
      a2: [anomaly('delivery-stop', 'high')],
      a3: [anomaly('delivery-stop')],
    });
    const small = adsets.slice(0, 4); // a1–a3 and b1: three of four ad sets, all in Prospecting
    for (const list of [adsets, small]) {
      const { hierarchy, adsetAnomalies } = rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets: list });
      expect(hierarchy.map((h) => [h.id, h.level, h.campaignId, h.observed, h.judgedAdsets, h.severity, h.adsetIds])).toEqual([
        ['campaign:c1:delivery-stop', 'campaign', 'c1', 3, 3, 'high', ['a1', 'a2', 'a3']],
      ]);
      expect(hierarchy[0]?.hint).toMatch(/^Campaign "Prospecting": 3 of 3 ad sets on 2026-03-10\. Most of this campaign's ad sets stopped/);
      expect(adsetAnomalies.every((a) => a.explainedBy === 'campaign:c1:delivery-stop')).toBe(true);
    }
  });

  it('needs strictly more than half, and at least two ad sets: half the account or a lone ad set stays at ad-set level', () => {
    const half = account({ a1: [anomaly('cpa-step')], a3: [anomaly('cpa-step')], b2: [anomaly('cpa-step')] });
    // 3 of 6 is not most; within campaigns, 2 of 3 in c1 is, 1 of 3 in c2 is not.
    const { hierarchy, adsetAnomalies } = rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets: half });
    expect(hierarchy.map((h) => [h.id, h.adsetIds])).toEqual([['campaign:c1:cpa-step', ['a1', 'a3']]]);
    expect(adsetAnomalies.map((a) => [a.adsetId, a.explainedBy])).toEqual([
      ['a1', 'campaign:c1:cpa-step'],
      ['a3', 'campaign:c1:cpa-step'],
      ['b2', null],
    ]);
    const lone = rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets: account({ a1: [anomaly('overspend')] }).slice(0, 1) });
    expect(lone).toEqual({
      hierarchy: [],
      adsetAnomalies: [{ adsetId: 'a1', campaignId: 'c1', anomaly: anomaly('overspend'), explainedBy: null }],
    });
  });

  it('rolls up each fault type on its own', () => {
    const adsets = account({
      a1: [anomaly('overspend')],
      a2: [anomaly('overspend')],
      b1: [anomaly('roas-step')],
      b2: [anomaly('roas-step')],
      b3: [anomaly('roas-step'), anomaly('overspend')],
    });
    const { hierarchy } = rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets });
    expect(hierarchy.map((h) => [h.id, h.observed])).toEqual([
      ['campaign:c1:overspend', 2],
      ['campaign:c2:roas-step', 3],
    ]);
  });

  it('rejects an ad set listed twice and bad thresholds', () => {
    const adsets = account({});
    expect(() => rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets: [...adsets, adsets[0] as JudgedAdSet] })).toThrow(
      AnomalyInputError,
    );
    expect(() => rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets, minShare: 1 })).toThrow(AnomalyInputError);
    expect(() => rollUpAnomalies({ accountId: 'act_1', date: DATE, adsets, minAdsets: 1 })).toThrow(AnomalyInputError);
  });
});
