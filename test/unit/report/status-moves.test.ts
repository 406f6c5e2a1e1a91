import { describe, expect, it } from 'vitest';
import { makeConverter } from '../../../lib/report/currency.ts';
import { moveAmounts } from '../../../lib/report/format.ts';
import { weekMoves } from '../../../lib/report/moves.ts';
import type { BudgetChangeRecord } from '../../../lib/store/records.ts';

const EUR = 1_000_000;

function record(changeId: string, action: 'pause' | 'activate', appliedAt: string, revertsChangeId: string | null): BudgetChangeRecord {
  return {
    changeId,
    planId: 'acme-2026-03-03',
    platform: 'meta',
    accountId: 'act_1',
    adsetId: 'A1',
    adsetName: 'Video Views → Shop',
    campaignId: 'C1',
    budgetLevel: 'adset',
    currency: 'USD',
    beforeMicros: 200 * EUR,
    afterMicros: 200 * EUR,
    reason: 'paused: test creatives concluded: Broad won; this arm lost',
    action,
    appliedAt,
    outcome: 'applied',
    readBackMicros: null,
    error: null,
    revertsChangeId,
  };
}

describe('status changes in the weekly email', () => {
  it('shows a pause and its undo in words, moving no budget', () => {
    const { convert } = makeConverter('EUR', { USD: 0.9 }, ['EUR', 'USD']);
    const out = weekMoves(
      [record('pause', 'pause', '2026-03-03T07:05:00.000Z', null), record('revert-pause', 'activate', '2026-03-04T09:00:00.000Z', 'pause')],
      convert,
    );
    expect(out.moves.map((m) => [m.changeId, m.action, m.deltaMicros, m.deltaReportingMicros])).toEqual([
      ['pause', 'pause', 0, 0],
      ['revert-pause', 'activate', 0, 0],
    ]);
    expect(out.moves.map(moveAmounts)).toEqual(['Paused (its $200.00 a day stops spending)', 'Active again at $200.00 per day']);
    expect(out.summary).toEqual({ applied: 2, reverted: 0, failed: 0, skipped: 0, increaseMicros: 0, decreaseMicros: 0, netMicros: 0 });
  });
});
