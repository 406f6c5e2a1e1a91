/**
 * The `adpilot` command: dispatches to one module per sub-command. Returns the exit code;
 * errors print as one clear message (with the fields at fault), never as a stack trace.
 */
import { ConfigError } from '../config/errors.ts';
import { CliUsageError } from './errors.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  demo: { summary: 'simulate a sample client over several weeks on the bundled fake platforms', load: () => import('./demo.ts') },
  'run-day': { summary: 'run one daily cycle: ingest, detect, test, plan, apply, report', load: () => import('./run-day.ts') },
  approve: { summary: 'apply a budget plan that approval mode left pending', load: () => import('./approve.ts') },
  revert: { summary: 'undo a budget change, or every change of a plan', load: () => import('./revert.ts') },
  export: { summary: 'export normalized daily metrics (jsonl or csv)', load: () => import('./export.ts') },
  report: { summary: 'preview or send the weekly ROI email of one week', load: () => import('./report.ts') },
  test: { summary: 'show the state of each A/B test in plain words (test status)', load: () => import('./test-status.ts') },
  backfill: { summary: 'ingest a past date range in chunks (idempotent; re-run to resume)', load: () => import('./backfill.ts') },
};

const USAGE = `usage: adpilot <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

run "adpilot <command> --help" for its options`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    console.error(`adpilot: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`adpilot ${command}: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(`adpilot ${command}: ${error.message}`);
      return 2;
    }
    console.error(`adpilot ${command}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    if (process.env.ADPILOT_DEBUG) console.error(error);
    return 1;
  }
}
