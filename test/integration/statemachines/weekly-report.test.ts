/** Every path of statemachines/weekly-report.asl.json, run through the local interpreter with fake handlers. */
import { describe, expect, it } from 'vitest';
import { createLocalStateMachines } from '../../../lib/local/asl-runner.ts';
import { failFirst, fakeHandlers, namedError } from './fakes.ts';

const SENT = { week: '2026-W02', messageId: '<weekly-2026-W02@acme.example>', location: '/outbox/weekly-2026-W02.eml', alreadySent: false };

function run(input: unknown, overrides: Parameters<typeof fakeHandlers>[0] = {}) {
  const { handlers, calls } = fakeHandlers(overrides);
  const machines = createLocalStateMachines(handlers, { retryIntervalMs: 0 });
  return machines.run('weekly-report', input).then((result) => ({ result, calls }));
}

describe('weekly-report state machine', () => {
  it('success from a date: builds the report from the input, then sends it for the week built', async () => {
    const { result, calls } = await run({ date: '2026-01-12' });
    expect(result).toEqual({ status: 'SUCCEEDED', output: SENT });
    expect(calls).toEqual([
      { fn: 'build-report', event: { date: '2026-01-12' } },
      { fn: 'send-report', event: { week: '2026-W02' } },
    ]);
  });

  it('success from a week: the week input reaches BuildReport unchanged', async () => {
    const { result, calls } = await run({ week: '2025-W52' });
    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: {
        week: '2025-W52',
        messageId: '<weekly-2025-W52@acme.example>',
        location: '/outbox/weekly-2025-W52.eml',
        alreadySent: false,
      },
    });
    expect(calls).toEqual([
      { fn: 'build-report', event: { week: '2025-W52' } },
      { fn: 'send-report', event: { week: '2025-W52' } },
    ]);
  });

  it('success when the report was already sent: the send result passes through', async () => {
    const { result } = await run({ date: '2026-01-12' }, { 'send-report': (e) => ({ ...SENT, week: e.week, alreadySent: true }) });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { ...SENT, alreadySent: true } });
  });

  it('retry after a TransientError in SendReport, then success', async () => {
    const { result, calls } = await run(
      { date: '2026-01-12' },
      { 'send-report': failFirst(1, 'TransientError', (e) => ({ ...SENT, week: e.week })) },
    );
    expect(result).toEqual({ status: 'SUCCEEDED', output: SENT });
    expect(calls.map((c) => c.fn)).toEqual(['build-report', 'send-report', 'send-report']);
  });

  it('retry after a Lambda.TooManyRequestsException in BuildReport, then success', async () => {
    const { result, calls } = await run(
      { date: '2026-01-12' },
      { 'build-report': failFirst(1, 'Lambda.TooManyRequestsException', () => ({ week: '2026-W02', reportId: 'r' })) },
    );
    expect(result).toEqual({ status: 'SUCCEEDED', output: SENT });
    expect(calls.map((c) => c.fn)).toEqual(['build-report', 'build-report', 'send-report']);
  });

  it('catch → fail: an error in BuildReport fails the run with WeeklyReportFailed and sends nothing', async () => {
    const { result, calls } = await run(
      { date: 'not-a-date' },
      {
        'build-report': () => {
          throw namedError('ValidationError', 'date: expected YYYY-MM-DD');
        },
      },
    );
    expect(result).toEqual({
      status: 'FAILED',
      error: 'ValidationError',
      cause: expect.stringContaining('"errorMessage":"date: expected YYYY-MM-DD"'),
    });
    expect(calls.map((c) => c.fn)).toEqual(['build-report']);
  });

  it('catch → fail: retries exhausted in SendReport fail the run with WeeklyReportFailed', async () => {
    const { result, calls } = await run({ date: '2026-01-12' }, { 'send-report': failFirst(99, 'TransientError', () => SENT) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    expect(calls.map((c) => c.fn)).toEqual(['build-report', 'send-report', 'send-report', 'send-report', 'send-report']);
  });
});
