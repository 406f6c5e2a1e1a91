/** Child process of the allocation benchmark: runs every strategy on the (scenario, seed) jobs it is sent. */
import { type RunResult, runStrategy } from './run.ts';
import { SCENARIOS } from './scenarios.ts';
import { STRATEGIES } from './strategies.ts';

/** A job: one scenario and seed, all strategies. */
export interface Job {
  readonly scenario: string;
  readonly seed: number;
}

/** A job's answer: one result per strategy, in STRATEGIES order. */
export interface JobResult extends Job {
  readonly results: readonly RunResult[];
}

/** Runs one job in this process. */
export function runJob(job: Job): JobResult {
  const scenario = SCENARIOS.find((s) => s.name === job.scenario);
  if (!scenario) throw new Error(`unknown scenario ${job.scenario}`);
  return { ...job, results: STRATEGIES.map((strategy) => runStrategy(scenario, job.seed, strategy)) };
}

if (process.send) {
  process.on('message', (job: Job | 'exit') => {
    if (job === 'exit') process.exit(0);
    try {
      process.send?.(runJob(job));
    } catch (error) {
      process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}
