/** Properties of the local runner itself (the machines' paths are in test/integration/statemachines). */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createLocalStateMachines } from '../../../lib/local/asl-runner.ts';
import { failFirst, fakeHandlers } from '../statemachines/fakes.ts';

const SENT = { week: '2026-W02', messageId: 'm', location: 'l', alreadySent: false };

describe('createLocalStateMachines', () => {
  it('waits retryIntervalMs before a retry instead of IntervalSeconds (2 s)', async () => {
    const { handlers } = fakeHandlers({ 'send-report': failFirst(1, 'TransientError', () => SENT) });
    const machines = createLocalStateMachines(handlers, { retryIntervalMs: 150 });
    const started = performance.now();
    const result = await machines.run('weekly-report', { date: '2026-01-12' });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ status: 'SUCCEEDED', output: SENT });
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1900);
  });

  it('waits about 1 ms per retry by default', async () => {
    const { handlers, calls } = fakeHandlers({ 'send-report': failFirst(99, 'TransientError', () => SENT) });
    const machines = createLocalStateMachines(handlers);
    const started = performance.now();
    const result = await machines.run('weekly-report', { date: '2026-01-12' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    expect(calls).toHaveLength(5);
    // Step Functions would wait 2 + 4 + 8 s here.
    expect(performance.now() - started).toBeLessThan(1900);
  });

  it('passes results through JSON, as Lambda does: a Date becomes its ISO string', async () => {
    const { handlers } = fakeHandlers({ 'send-report': () => ({ ...SENT, sentAt: new Date('2026-01-12T08:00:00Z') }) });
    const machines = createLocalStateMachines(handlers, { retryIntervalMs: 0 });
    const result = await machines.run('weekly-report', { week: '2026-W02' });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { ...SENT, sentAt: '2026-01-12T08:00:00.000Z' } });
  });

  it('runs executions of one machine concurrently without sharing state', async () => {
    const { handlers } = fakeHandlers();
    const machines = createLocalStateMachines(handlers, { retryIntervalMs: 0 });
    const results = await Promise.all(['2026-W01', '2026-W02', '2026-W03'].map((week) => machines.run('weekly-report', { week })));
    expect(results.map((r) => (r.output as { week: string }).week)).toEqual(['2026-W01', '2026-W02', '2026-W03']);
  });
});
