/**
 * The NAB part of `npm run bench -- anomaly`: checks the scorer on the bundled windowed-Gaussian results,
 * runs adpilot's streaming detector over all 58 series, writes NAB-format results and scores them per profile.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_STREAM_PARAMS, scoreSeries } from '../../lib/anomaly/stream.ts';
import { formatResultsCsv, loadNabCorpus, type NabCorpus, readAnomalyScores, readPublishedScores, resultsPath } from './corpus.ts';
import { NabDataError } from './errors.ts';
import { type ProfileScore, type ScorableFile, scoreProfile } from './scorer.ts';

/** The profiles NAB reports, in its order. */
export const NAB_PROFILES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;
/** Published detectors shown next to adpilot's (results/final_results.json). */
export const PUBLISHED_DETECTORS = [
  'ARTime',
  'numenta',
  'knncad',
  'relativeEntropy',
  'randomCutForest',
  'twitterADVec',
  'windowedGaussian',
] as const;

const FinalResults = z.record(z.string(), z.record(z.string(), z.number()));

/** A profile's score as the bench reports it. */
export interface ProfileSummary {
  readonly threshold: number;
  readonly raw: number;
  readonly normalized: number;
  readonly tpRows: number;
  readonly fpRows: number;
}

/** What the NAB suite found. */
export interface NabSuiteResult {
  readonly scorerCheck: {
    readonly detector: 'windowedGaussian';
    readonly raw: number;
    readonly publishedRaw: number;
    readonly normalized: number;
  };
  readonly detector: { readonly name: 'adpilot-stream'; readonly params: typeof DEFAULT_STREAM_PARAMS; readonly runtimeMs: number };
  readonly series: number;
  readonly windows: number;
  readonly profiles: Readonly<Record<string, ProfileSummary>>;
  readonly published: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly perFile: readonly { readonly file: string; readonly score: number; readonly tp: number; readonly fp: number }[];
}

function summarize(score: ProfileScore): ProfileSummary {
  return { threshold: score.threshold, raw: score.raw, normalized: score.normalized, tpRows: score.tp, fpRows: score.fp };
}

function costOf(corpus: NabCorpus, profile: string) {
  const cost = corpus.profiles[profile];
  if (cost === undefined) throw new NabDataError(`no profile "${profile}"`, join(corpus.dir, 'config', 'profiles.json'));
  return cost;
}

/** Refuses to judge a detector unless the scorer reproduces the published windowed-Gaussian total. */
export function checkScorer(corpus: NabCorpus): NabSuiteResult['scorerCheck'] {
  const dir = join(corpus.dir, 'results', 'windowedGaussian');
  const files = corpus.series.map((s) => ({
    name: s.relativePath,
    windows: s.windows,
    anomalyScores: readAnomalyScores(resultsPath(dir, 'windowedGaussian', s), s),
  }));
  const published = readPublishedScores(join(dir, 'windowedGaussian_standard_scores.csv')).find((r) => r.file === 'Totals');
  const ours = scoreProfile(files, 'standard', costOf(corpus, 'standard'), corpus.windowCount, 1.0);
  if (published === undefined || Math.abs(ours.raw - published.score) > 1e-6) {
    throw new NabDataError(`scorer gives ${ours.raw}, published total is ${published?.score}`, dir);
  }
  return { detector: 'windowedGaussian', raw: ours.raw, publishedRaw: published.score, normalized: ours.normalized };
}

/** Runs the detector over the corpus, writes `<outDir>/<category>/<file>.csv`, and scores what it wrote. */
export function runNabSuite(nabDir: string, outDir: string): NabSuiteResult {
  const corpus = loadNabCorpus(nabDir);
  const scorerCheck = checkScorer(corpus);
  const started = performance.now();
  const scores = corpus.series.map((s) => scoreSeries({ times: s.times, values: s.values }));
  const runtimeMs = performance.now() - started;
  const files: ScorableFile[] = corpus.series.map((s, i) => {
    const file = join(outDir, s.category, s.fileName);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, formatResultsCsv(s, scores[i] ?? new Float64Array()));
    // Score the files as written, so the NAB-format output is what gets judged.
    return { name: s.relativePath, windows: s.windows, anomalyScores: readAnomalyScores(file, s) };
  });
  const results = NAB_PROFILES.map((p) => scoreProfile(files, p, costOf(corpus, p), corpus.windowCount));
  const finalResults = FinalResults.parse(JSON.parse(readFileSync(join(nabDir, 'results', 'final_results.json'), 'utf8')));
  const published = Object.fromEntries(PUBLISHED_DETECTORS.map((d) => [d, finalResults[d] ?? {}]));
  const standard = results[0];
  return {
    scorerCheck,
    detector: { name: 'adpilot-stream', params: DEFAULT_STREAM_PARAMS, runtimeMs },
    series: corpus.series.length,
    windows: corpus.windowCount,
    profiles: Object.fromEntries(results.map((r) => [r.profile, summarize(r)])),
    published,
    perFile: (standard?.files ?? []).map((f) => ({ file: f.file, score: f.score, tp: f.tp, fp: f.fp })),
  };
}

/** Table rows: adpilot's normalized scores per profile above the published detectors'. */
export function nabTableRows(result: NabSuiteResult): Record<string, string | number>[] {
  const row = (detector: string, scores: Readonly<Record<string, number>>) => ({
    detector,
    ...Object.fromEntries(NAB_PROFILES.map((p) => [p, (scores[p] ?? Number.NaN).toFixed(2)])),
  });
  const ours = Object.fromEntries(Object.entries(result.profiles).map(([p, s]) => [p, s.normalized]));
  return [row('adpilot-stream (this run)', ours), ...Object.entries(result.published).map(([d, s]) => row(`${d} (published)`, s))];
}
