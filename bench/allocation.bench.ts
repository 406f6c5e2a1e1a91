/**
 * `npm run bench -- allocation [--seeds N] [--scenarios a,b] [--workers N]`: adpilot's budget allocator
 * against three baselines (budgets left alone, a ±20% rule on 7-day ROAS, greedy reallocation to 7-day ROAS)
 * on the market simulator, 56 days of daily re-planning after a 28-day warm-up, seeds 1..N (default 20).
 * Every strategy faces the same guardrails (enforced in the runner: step ≤ 20%, 72 h cooldown, no edits while
 * learning, minimum budget, daily cap); violations count what a strategy asked for that had to be corrected.
 * Reports each strategy's share of the oracle's expected revenue (true curves, same total spend each day)
 * and the CPU time of planning 1,000 ad sets. Jobs run in one child process per core.
 * Writes bench-results/allocation.json.
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { planAllocation } from '../lib/allocation/allocator.ts';
import { mmResponse } from '../lib/allocation/curves.ts';
import { SeededRandom } from '../lib/allocation/random.ts';
import type { AllocationAdSet } from '../lib/allocation/types.ts';
import { addDays } from '../lib/model/dates.ts';
import { PLAN_DAYS, type RunResult, WARMUP_DAYS } from './allocation/run.ts';
import { SCENARIOS } from './allocation/scenarios.ts';
import { STRATEGIES } from './allocation/strategies.ts';
import { type Job, type JobResult, runJob } from './allocation/worker.ts';
import { printTable, writeBenchResult } from './results.ts';

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** CPU milliseconds of planning a synthetic 1,000-ad-set portfolio with 56 days of history: first (cold) call and median of 5 warm calls. */
function timeThousand(): { coldMs: number; warmMedianMs: number; changes: number } {
  const rng = new SeededRandom('bench-1000');
  const date = '2026-03-01';
  const adsets: AllocationAdSet[] = Array.from({ length: 1000 }, (_, i) => {
    const kappa = 50 + 400 * rng.uniform();
    const beta = kappa * (1 + 4 * rng.uniform());
    const budget = 50 + 150 * rng.uniform();
    return {
      id: `as${i}`,
      platform: 'meta',
      currency: 'EUR',
      campaignId: `c${i}`,
      budgetLevel: 'adset',
      currentBudgetMicros: Math.round(budget) * 1_000_000,
      minMicros: 5_000_000,
      frozen: i % 50 === 0,
      learning: i % 37 === 0,
      coolingDown: i % 3 === 0,
      history: Array.from({ length: 56 }, (_, t) => {
        const spend = budget * (0.8 + 0.4 * rng.uniform());
        const revenue = mmResponse(spend, { beta, kappa }) * (0.7 + 0.6 * rng.uniform());
        return {
          date: addDays(date, t - 56),
          spendMicros: Math.round(spend * 1e6),
          revenueMicros: Math.round(revenue * 1e6),
          conversions: Math.round(revenue / 60),
          maturity: t >= 49 ? 0.5 + (t - 49) / 14 : 1,
        };
      }),
    };
  });
  const total = adsets.reduce((s, a) => s + a.currentBudgetMicros, 0);
  const cpu = () => {
    const start = process.cpuUsage();
    const plan = planAllocation({ date, adsets, objective: 'revenue', dailyTotalMicros: total, seed: 'bench' });
    const used = process.cpuUsage(start);
    return { ms: (used.user + used.system) / 1000, changes: plan.budgets.filter((b) => b.decision.kind === 'change').length };
  };
  const cold = cpu();
  const warm = Array.from({ length: 5 }, () => cpu().ms).sort((a, b) => a - b);
  return { coldMs: cold.ms, warmMedianMs: warm[2] ?? Number.NaN, changes: cold.changes };
}

/** Runs the jobs on `workers` child processes (in this process when 1), results in job order. */
async function runJobs(jobs: readonly Job[], workers: number): Promise<JobResult[]> {
  if (workers <= 1) return jobs.map(runJob);
  const file = fileURLToPath(new URL('./allocation/worker.ts', import.meta.url));
  const out = new Array<JobResult>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, jobs.length) }, async () => {
      const child = fork(file, [], { execArgv: ['--import', 'tsx'] });
      try {
        while (next < jobs.length) {
          const i = next++;
          const job = jobs[i] as Job;
          out[i] = await new Promise<JobResult>((resolve, reject) => {
            const onError = (e: Error) => reject(e);
            const onExit = (code: number | null) => reject(new Error(`worker exited (${code}) on ${job.scenario} seed ${job.seed}`));
            child.once('error', onError);
            child.once('exit', onExit);
            child.once('message', (m) => {
              child.off('error', onError);
              child.off('exit', onExit);
              const answer = m as JobResult | { error: string };
              if ('error' in answer) reject(new Error(`${job.scenario} seed ${job.seed}: ${answer.error}`));
              else resolve(answer);
            });
            child.send(job);
          });
        }
      } finally {
        child.send('exit');
      }
    }),
  );
  return out;
}

export async function run(args: string[]): Promise<void> {
  const seeds = Number(option(args, '--seeds') ?? 20);
  const workers = Number(option(args, '--workers') ?? availableParallelism());
  const only = option(args, '--scenarios')?.split(',');
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.name));
  const started = process.hrtime.bigint();
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  const jobs = scenarios.flatMap((s) => Array.from({ length: seeds }, (_, i) => ({ scenario: s.name, seed: i + 1 })));
  const done = await runJobs(jobs, workers);
  for (const scenario of scenarios) {
    for (const [k, strategy] of STRATEGIES.entries()) {
      const runs: RunResult[] = done.filter((j) => j.scenario === scenario.name).flatMap((j) => (j.results[k] ? [j.results[k]] : []));
      const shares = runs.map((r) => r.expectedRevenue / r.oracleRevenue);
      const violations = runs.reduce(
        (v, r) => ({
          step: v.step + r.violations.step,
          cooldown: v.cooldown + r.violations.cooldown,
          learning: v.learning + r.violations.learning,
          minimum: v.minimum + r.violations.minimum,
          total: v.total + r.violations.total,
        }),
        { step: 0, cooldown: 0, learning: 0, minimum: 0, total: 0 },
      );
      const violationCount = violations.step + violations.cooldown + violations.learning + violations.minimum + violations.total;
      const row = {
        scenario: scenario.name,
        strategy: strategy.name,
        'oracle share': `${(mean(shares) * 100).toFixed(1)}%`,
        'worst seed': `${(Math.min(...shares) * 100).toFixed(1)}%`,
        'reported ROAS': (mean(runs.map((r) => r.reportedRevenue)) / mean(runs.map((r) => r.spend))).toFixed(2),
        'spend/day': (mean(runs.map((r) => r.spend)) / PLAN_DAYS).toFixed(0),
        'changes/run': mean(runs.map((r) => r.changes)).toFixed(1),
        violations: violationCount,
      };
      rows.push(row);
      results.push({ ...row, shareMean: mean(shares), shareMin: Math.min(...shares), shares, violations });
    }
  }
  const shareOf = (scenario: string, strategy: string) =>
    Number((results.find((r) => r.scenario === scenario && r.strategy === strategy)?.shareMean as number | undefined) ?? Number.NaN);
  const adpilotShares = scenarios.map((s) => shareOf(s.name, 'adpilot'));
  const behind = scenarios.filter((s) =>
    STRATEGIES.some((b) => b.name !== 'adpilot' && shareOf(s.name, b.name) >= shareOf(s.name, 'adpilot')),
  );
  const adpilotViolations = results
    .filter((r) => r.strategy === 'adpilot')
    .reduce(
      (n, r) =>
        n +
        Number(
          r.violations === undefined
            ? 0
            : (r.violations as Record<string, number>) && Object.values(r.violations as Record<string, number>).reduce((a, b) => a + b, 0),
        ),
      0,
    );
  const summary = {
    adpilotMeanShare: mean(adpilotShares),
    adpilotWorstScenarioShare: Math.min(...adpilotShares),
    scenariosBehindABaseline: behind.map((s) => s.name),
    adpilotViolations,
  };
  const thousand = timeThousand();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `\nallocation: ${scenarios.length} scenarios × ${seeds} seeds × ${PLAN_DAYS} days (after ${WARMUP_DAYS} warm-up days); share of the oracle's expected revenue at the same daily spend\n`,
  );
  printTable(rows);
  console.log(
    `\nadpilot: ${(summary.adpilotMeanShare * 100).toFixed(1)}% of the oracle on average, ${(summary.adpilotWorstScenarioShare * 100).toFixed(1)}% in the worst scenario; behind a baseline in: ${summary.scenariosBehindABaseline.join(', ') || 'none'}; guardrail violations: ${adpilotViolations}`,
  );
  console.log(
    `\nplanning 1,000 ad sets × 56 days: ${thousand.coldMs.toFixed(0)} ms CPU cold, ${thousand.warmMedianMs.toFixed(0)} ms warm (median of 5); ${thousand.changes} changes`,
  );
  console.log(`run time ${seconds.toFixed(1)} s`);
  const file = writeBenchResult('allocation', {
    seeds,
    planDays: PLAN_DAYS,
    warmupDays: WARMUP_DAYS,
    results,
    summary,
    planning1000: thousand,
    seconds,
  });
  console.log(`wrote ${file}`);
}
