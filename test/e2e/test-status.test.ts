/**
 * `adpilot test status` on a data dir whose tests were evaluated by the `evaluate-tests` Lambda
 * of the local runtime: a winner, a test still running, an invalid one and one not evaluated yet.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClientConfig } from '../../lib/config/load.ts';
import { startLocalRuntime } from '../../lib/local/runtime.ts';
import { addDays, dateRange } from '../../lib/model/dates.ts';
import { ManualClock } from '../../lib/runtime/clock.ts';
import { adset, dailyRows, seed } from '../integration/tests/ab-data.ts';
import { adpilot } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'adpilot-e2e-tests-'));
const dataDir = join(dir, 'data');
const evaluatedFile = join(dir, 'client.yaml');
const clientFile = join(dir, 'client-with-new-test.yaml');
const START = '2026-09-01';
const LAST = addDays(START, 16);

const header = `client: acme
timezone: Europe/Paris
currency: EUR
budget: { dailyTotal: 1500.00 }
platforms:
  meta: { accounts: [act_1000000001] }
report: { recipients: [lead@acme.example] }
tests:
  - { id: lift, arms: [{ platform: meta, adsetId: a }, { platform: meta, adsetId: b }], metric: roas, randomized: true }
  - { id: aa, arms: [{ platform: meta, adsetId: c }, { platform: meta, adsetId: d }], metric: roas }
  - { id: paused, arms: [{ platform: meta, adsetId: e }, { platform: meta, adsetId: f }], metric: cpa }
`;
writeFileSync(evaluatedFile, header);
// The same client once a new test was added after the last evaluation.
writeFileSync(
  clientFile,
  `${header}  - { id: later, arms: [{ platform: meta, adsetId: a }, { platform: meta, adsetId: c }], metric: ctr }\n`,
);

let concludedOn = '';

beforeAll(async () => {
  const clock = new ManualClock(`${LAST}T05:00:00Z`);
  const runtime = await startLocalRuntime({
    config: loadClientConfig(evaluatedFile),
    clock,
    dataDir,
    retryIntervalMs: 0,
    connector: async () => {
      throw new Error('evaluating tests reads the store only');
    },
  });
  try {
    const to = addDays(LAST, -1);
    await seed(
      runtime.ctx.store,
      [
        adset('a', 'Creative A'),
        adset('b', 'Creative B'),
        adset('c', 'Audience C'),
        adset('d', 'Audience D'),
        adset('e', 'Offer E'),
        adset('f', 'Offer F', { status: 'PAUSED' }),
      ],
      [
        ...dailyRows('a', START, to, { roas: 2, seed: 1 }),
        ...dailyRows('b', START, to, { roas: 3, seed: 2 }),
        ...dailyRows('c', START, to, { roas: 2, spread: 0.3, seed: 3 }),
        ...dailyRows('d', START, to, { roas: 2, spread: 0.3, seed: 4 }),
        ...dailyRows('e', START, to, { roas: 2, seed: 5 }),
        ...dailyRows('f', START, to, { roas: 2, seed: 6 }),
      ],
      clock.now(),
    );
    for (const date of dateRange(addDays(START, 7), LAST)) await runtime.invoke('evaluate-tests', { date, runId: `run-${date}` });
    concludedOn = (await runtime.ctx.store.testEvaluations('lift')).find((r) => r.decision === 'winner')?.date ?? '';
  } finally {
    await runtime.close();
  }
}, 300_000);

describe('adpilot test status', () => {
  it('prints the state of every test in plain words', async () => {
    expect(concludedOn).not.toBe('');
    const result = await adpilot(['test', 'status', '--client', clientFile, '--data-dir', dataDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const blocks = result.stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(4);
    const [lift, aa, paused, later] = blocks.map((b) => b.split('\n'));
    expect(lift?.[0]).toBe(`lift: winner (concluded ${concludedOn}; ROAS, sequential)`);
    expect(lift?.[1]).toMatch(/^ {2}Creative B beats Creative A on ROAS: \+\d+% \[\+\d+%, \+\d+%\], chance to win \d+\.\d%, \d+ days\.$/);
    expect(lift?.at(-1)).toBe('  Randomized: a platform split test assigns people to the arms at random.');
    expect(aa?.[0]).toBe(`aa: running (evaluated ${LAST}; ROAS, sequential)`);
    expect(aa?.[1]).toMatch(
      /^ {2}No winner yet between Audience D and Audience C on ROAS: .*, 10 days; (about \d+ more days?|more than a year more at this volume) to detect a meaningful lift\.$/,
    );
    expect(aa?.[2]).toBe('  Excluded: 6 days not yet mature for attribution (2026-09-11…2026-09-16).');
    expect(aa?.at(-1)).toMatch(/^ {2}Not randomized: /);
    expect(paused?.slice(0, 2)).toEqual([`paused: invalid (evaluated ${LAST}; CPA, sequential)`, '  Invalid: arm Offer F is paused.']);
    expect(later).toEqual([
      'later: not evaluated yet (CTR, sequential)',
      '  No evaluation is stored yet: the daily run (adpilot run-day) evaluates every test.',
    ]);
  });

  it('prints one test as JSON with its stored evaluation', async () => {
    const result = await adpilot(['test', 'status', '--client', clientFile, '--data-dir', dataDir, '--id', 'aa', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const statuses = JSON.parse(result.stdout) as {
      testId: string;
      state: string;
      date: string;
      lines: string[];
      evaluation: { testId: string; date: string; decision: string; summary: string };
    }[];
    expect(statuses).toHaveLength(1);
    const [status] = statuses;
    expect(status).toMatchObject({ testId: 'aa', metric: 'roas', method: 'sequential', randomized: false, state: 'continue', date: LAST });
    expect(status?.evaluation).toMatchObject({ testId: 'aa', date: LAST, decision: 'continue', summary: status?.lines.join(' ') });
  });

  it('names the configured tests when --id matches none', async () => {
    const result = await adpilot(['test', 'status', '--client', clientFile, '--data-dir', dataDir, '--id', 'nope']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `adpilot test: no test "nope" in ${clientFile} (configured: lift, aa, paused, later)\n`,
    });
  });
});
