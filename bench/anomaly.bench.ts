/**
 * `npm run bench -- anomaly [suite...]`: the anomaly-detection benchmark.
 * Suites: "nab" (the generic detector on the Numenta Anomaly Benchmark). The ad-fault suite on the
 * market simulator joins by adding an AnomalyBenchSuite to SUITES; each suite prints its own table and
 * lands under its name in bench-results/anomaly.json.
 * NAB_DIR overrides where the NAB corpus is read (default: ../shared/data/nab from the project root).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nabTableRows, runNabSuite } from './nab/suite.ts';
import { printTable, writeBenchResult } from './results.ts';

/** Where a suite may read and write. */
export interface SuiteContext {
  readonly projectRoot: string;
  readonly resultsDir: string;
}

/** A suite's printed table and the JSON it contributes to bench-results/anomaly.json. */
export interface SuiteReport {
  readonly title: string;
  readonly rows: readonly Record<string, string | number>[];
  readonly notes: readonly string[];
  readonly result: unknown;
}

/** One part of the anomaly benchmark. */
export interface AnomalyBenchSuite {
  readonly name: string;
  run(context: SuiteContext): Promise<SuiteReport>;
}

const nabSuite: AnomalyBenchSuite = {
  name: 'nab',
  async run({ projectRoot, resultsDir }) {
    const nabDir = resolve(process.env.NAB_DIR ?? join(projectRoot, '..', 'shared', 'data', 'nab'));
    const result = runNabSuite(nabDir, join(resultsDir, 'nab'));
    const std = result.profiles.standard;
    return {
      title: `NAB: ${result.series} series, ${result.windows} windows, normalized scores (threshold optimized per profile)`,
      rows: nabTableRows(result),
      notes: [
        `scorer check: windowedGaussian standard raw ${result.scorerCheck.raw.toFixed(4)} (published ${result.scorerCheck.publishedRaw}), normalized ${result.scorerCheck.normalized.toFixed(2)}`,
        `adpilot-stream: ${result.detector.runtimeMs.toFixed(0)} ms over the corpus; standard threshold ${std?.threshold.toFixed(5)}, raw ${std?.raw.toFixed(4)}, ${std?.tpRows} TP rows, ${std?.fpRows} FP rows`,
        `results: ${join(resultsDir, 'nab')}/<category>/<file>.csv`,
      ],
      result,
    };
  },
};

/** Every suite, in run order; the ad-fault suite on the market simulator is added here. */
export const SUITES: readonly AnomalyBenchSuite[] = [nabSuite];

export async function run(args: string[]): Promise<void> {
  const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const resultsDir = join(process.cwd(), 'bench-results');
  const wanted = args.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length > 0)
    throw new Error(`unknown anomaly suite(s) ${unknown.join(', ')}; available: ${SUITES.map((s) => s.name).join(', ')}`);
  const selected = wanted.length === 0 ? SUITES : SUITES.filter((s) => wanted.includes(s.name));
  const report: Record<string, unknown> = {};
  for (const suite of selected) {
    const out = await suite.run({ projectRoot, resultsDir });
    console.log(`\n${out.title}`);
    printTable(out.rows);
    for (const note of out.notes) console.log(note);
    report[suite.name] = out.result;
  }
  console.log(`\nwrote ${writeBenchResult('anomaly', report)}`);
}
