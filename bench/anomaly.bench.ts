/**
 * `npm run bench -- anomaly [suite...]`: the anomaly-detection benchmark.
 * Suites: "nab" (the generic detector on the Numenta Anomaly Benchmark), "ad-faults" (bench/anomaly/ad-faults.ts),
 * "hourly" (bench/anomaly/hourly.ts) and "freshness" (stale data, bench/anomaly/freshness.ts). Each suite prints its
 * own table and lands under its name in bench-results/anomaly.json.
 * NAB_DIR overrides where the NAB corpus is read (default: ../shared/data/nab from the project root).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adFaultSuite } from './anomaly/ad-faults.ts';
import { freshnessSuite } from './anomaly/freshness.ts';
import { hourlySuite } from './anomaly/hourly.ts';
import type { AnomalyBenchSuite } from './anomaly/suite.ts';
import { nabTableRows, runNabSuite } from './nab/suite.ts';
import { printTable, writeBenchResult } from './results.ts';

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

/** Every suite, in run order. */
export const SUITES: readonly AnomalyBenchSuite[] = [nabSuite, adFaultSuite, hourlySuite, freshnessSuite];

export async function run(args: string[]): Promise<void> {
  const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const resultsDir = join(process.cwd(), 'bench-results');
  const wanted = args.filter((a) => !a.startsWith('-'));
  const options = Object.fromEntries(
    args.flatMap((a) => {
      const m = /^--([a-z-]+)=(.*)$/.exec(a);
      return m ? [[m[1] ?? '', m[2] ?? '']] : [];
    }),
  );
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length > 0)
    throw new Error(`unknown anomaly suite(s) ${unknown.join(', ')}; available: ${SUITES.map((s) => s.name).join(', ')}`);
  const selected = wanted.length === 0 ? SUITES : SUITES.filter((s) => wanted.includes(s.name));
  // Running some suites keeps the others' last results.
  const previous = join(resultsDir, 'anomaly.json');
  const report: Record<string, unknown> = existsSync(previous)
    ? (JSON.parse(readFileSync(previous, 'utf8')) as Record<string, unknown>)
    : {};
  for (const suite of selected) {
    const out = await suite.run({ projectRoot, resultsDir, options });
    console.log(`\n${out.title}`);
    printTable(out.rows);
    for (const note of out.notes) console.log(note);
    report[suite.name] = out.result;
  }
  console.log(`\nwrote ${writeBenchResult('anomaly', report)}`);
}
