/**
 * `adpilot test status --client <file> --data-dir <dir> [--id <test>] [--json]`: the current state
 * of each A/B test of the client config in plain words, from its latest stored evaluation.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadClientConfig } from '../config/load.ts';
import type { TestConfig } from '../config/schema.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { systemClock } from '../runtime/clock.ts';
import { METRICS } from '../stats/index.ts';
import type { TestEvaluationRecord } from '../store/records.ts';
import { parseOptions, requireString } from './args.ts';
import { CliUsageError } from './errors.ts';

const HELP = `usage: adpilot test status --client <file> --data-dir <dir> [--id <test>] [--json]`;

/** The current state of a test: its latest decision, or not evaluated yet. */
export type TestState = TestEvaluationRecord['decision'] | 'not-evaluated';

/** One test's status, as `--json` prints it. */
export interface TestStatus {
  readonly testId: string;
  readonly metric: TestConfig['metric'];
  readonly method: TestConfig['method'];
  readonly randomized: boolean;
  readonly state: TestState;
  /** The date of the latest evaluation (null when not evaluated yet). */
  readonly date: string | null;
  readonly lines: readonly string[];
  readonly evaluation: TestEvaluationRecord | null;
}

const STATE_WORDS: Record<TestState, string> = {
  continue: 'running',
  winner: 'winner',
  futility: 'no meaningful difference',
  invalid: 'invalid',
  'not-evaluated': 'not evaluated yet',
};

// Only the plain-words lines are read back; a record without them falls back to its summary.
const StoredLines = z.object({ lines: z.array(z.string()) });

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { client: { type: 'string' }, 'data-dir': { type: 'string' }, id: { type: 'string' }, json: { type: 'boolean' } },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals[0] !== 'status' || positionals.length > 1)
    throw new CliUsageError(`what about the tests? only "status" exists\n\n${HELP}`);
  const clientFile = requireString(values.client, 'client', HELP);
  const config = loadClientConfig(clientFile);
  const tests = values.id === undefined ? config.tests : config.tests.filter((t) => t.id === values.id);
  if (values.id !== undefined && tests.length === 0) {
    const known = config.tests.map((t) => t.id).join(', ') || 'none';
    throw new CliUsageError(`no test "${values.id}" in ${clientFile} (configured: ${known})`);
  }
  const runtime = await startLocalRuntime({
    config,
    clock: systemClock,
    dataDir: resolve(requireString(values['data-dir'], 'data-dir', HELP)),
    connector: async () => {
      throw new CliUsageError('test status reads the store only');
    },
  });
  const statuses: TestStatus[] = [];
  try {
    for (const test of tests) statuses.push(statusOf(test, await runtime.ctx.store.testEvaluations(test.id)));
  } finally {
    await runtime.close();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    return 0;
  }
  if (statuses.length === 0) {
    console.log(`no A/B tests are configured in ${clientFile}`);
    return 0;
  }
  process.stdout.write(`${statuses.map(formatStatus).join('\n\n')}\n`);
  return 0;
}

/** A test's status from its stored evaluations: the latest one decides. */
export function statusOf(test: TestConfig, evaluations: readonly TestEvaluationRecord[]): TestStatus {
  const latest = [...evaluations].sort((a, b) => a.date.localeCompare(b.date)).at(-1);
  const stored = latest ? StoredLines.safeParse(latest.result) : undefined;
  return {
    testId: test.id,
    metric: test.metric,
    method: test.method,
    randomized: test.randomized,
    state: latest?.decision ?? 'not-evaluated',
    date: latest?.date ?? null,
    lines: latest
      ? stored?.success
        ? stored.data.lines
        : [latest.summary]
      : ['No evaluation is stored yet: the daily run (adpilot run-day) evaluates every test.'],
    evaluation: latest ?? null,
  };
}

/** The plain-words block of one test: a heading with its state, then the evaluation's lines. */
export function formatStatus(status: TestStatus): string {
  const when =
    status.date === null
      ? ''
      : status.state === 'winner' || status.state === 'futility'
        ? `concluded ${status.date}; `
        : `evaluated ${status.date}; `;
  const heading = `${status.testId}: ${STATE_WORDS[status.state]} (${when}${METRICS[status.metric].label}, ${status.method})`;
  return [heading, ...status.lines.map((line) => `  ${line}`)].join('\n');
}
