import { describe, expect, it } from 'vitest';
import { learningSafeStepPct } from '../../../lib/allocation/learning-step.ts';

const step = (adsetId: string, date: string, before: number, after: number) => ({
  adsetId,
  date,
  beforeMicros: before,
  afterMicros: after,
});

describe('learningSafeStepPct', () => {
  const changes = [
    step('a', '2026-03-01', 100_000_000, 120_000_000), // +20%, a is learning now
    step('b', '2026-03-02', 100_000_000, 84_000_000), // −16%, b is learning now
    step('c', '2026-03-02', 100_000_000, 110_000_000), // +10%, c is not learning
    step('d', '2026-02-10', 100_000_000, 105_000_000), // old: cannot explain d's learning now
  ];

  it('keeps to the largest recent step not followed by learning, below the smallest one that was', () => {
    // b's −16% restarted learning and c's +10% did not: the threshold lies between, and 10% is known to be safe.
    const pct = learningSafeStepPct({ maxChangePct: 20, changes, learningAdsetIds: new Set(['a', 'b', 'd']), since: '2026-02-25' });
    expect(pct).toBe(10);
  });

  it('keeps just under the smallest resetting step (10% margin) when no safe step above the floor is known', () => {
    const noSafe = changes.filter((c) => c.adsetId !== 'c');
    const tiny = [...noSafe, step('e', '2026-03-02', 100_000_000, 103_000_000)]; // +3%, under the 5% floor
    for (const log of [noSafe, tiny])
      expect(
        learningSafeStepPct({ maxChangePct: 20, changes: log, learningAdsetIds: new Set(['a', 'b', 'd']), since: '2026-02-25' }),
      ).toBeCloseTo(16 * 0.9, 9);
  });

  it('takes as safe only steps inside the learning window and below the smallest resetting step', () => {
    const log = [
      ...changes,
      step('e', '2026-02-20', 100_000_000, 115_000_000), // +15%, before the window: says nothing now
      step('f', '2026-03-02', 100_000_000, 118_000_000), // +18% without learning, above b's resetting −16%: inconsistent, ignored
    ];
    expect(learningSafeStepPct({ maxChangePct: 20, changes: log, learningAdsetIds: new Set(['a', 'b']), since: '2026-02-25' })).toBe(10);
  });

  it('keeps the configured limit when no edit was followed by learning, and remembers an earlier lesson', () => {
    expect(learningSafeStepPct({ maxChangePct: 20, changes, learningAdsetIds: new Set(['c']), since: '2026-03-03' })).toBe(20);
    expect(learningSafeStepPct({ maxChangePct: 20, changes, learningAdsetIds: new Set(), since: '2026-02-25', previousPct: 13.5 })).toBe(
      13.5,
    );
    expect(learningSafeStepPct({ maxChangePct: 10, changes, learningAdsetIds: new Set(), since: '2026-02-25', previousPct: 13.5 })).toBe(
      10,
    );
  });

  it('looks only at the last change of each ad set and never goes below the floor', () => {
    const later = [...changes, step('a', '2026-03-03', 120_000_000, 121_000_000)];
    // a's last change (+0.8%) is what put it in learning as far as the log tells: floored at 5%.
    expect(learningSafeStepPct({ maxChangePct: 20, changes: later, learningAdsetIds: new Set(['a']), since: '2026-02-25' })).toBe(5);
  });
});
