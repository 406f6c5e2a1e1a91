import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNabCorpus, type NabCorpus, readAnomalyScores, readPublishedScores, resultsPath } from '../../../bench/nab/corpus.ts';
import {
  type CostMatrix,
  normalizeScore,
  OUTSIDE,
  optimizeThreshold,
  PROBATIONARY,
  probationaryLength,
  type ScorableFile,
  scaledSigmoid,
  scoreAtThreshold,
  scoreProfile,
  scoresByThreshold,
  sweepFile,
} from '../../../bench/nab/scorer.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const nabDir = join(projectRoot, '..', 'shared', 'data', 'nab');
const standard: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

describe('NAB scoring primitives', () => {
  it('scaledSigmoid gives the values NAB documents', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3)).toBeCloseTo(2 / (1 + Math.exp(15)) - 1, 12);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });

  it('probation is 15% of the rows, capped at 750', () => {
    expect([probationaryLength(1000), probationaryLength(4032), probationaryLength(5000), probationaryLength(22695)]).toEqual([
      150, 604, 750, 750,
    ]);
  });

  // 40 rows: probation 6, one window over rows 10..19 (width 10).
  const file = (scores: number[]): ScorableFile => ({ name: 'toy', windows: [{ start: 10, end: 19 }], anomalyScores: scores });
  const at = (rows: number[], value = 1) => Array.from({ length: 40 }, (_, i) => (rows.includes(i) ? value : 0));

  it('weights rows: early in a window is worth most, a false positive after it costs less the closer it is', () => {
    const sweep = sweepFile(file(at([])), standard);
    const maxTp = scaledSigmoid(-1);
    expect(sweep.sweepScores[10]).toBeCloseTo(1, 12);
    expect(sweep.sweepScores[19]).toBeCloseTo(scaledSigmoid(-0.1) / maxTp, 12);
    expect(sweep.sweepScores[5]).toBeCloseTo(-0.11, 12);
    expect(sweep.sweepScores[20]).toBeCloseTo(0.11 * scaledSigmoid(1 / 9), 12);
    expect(sweep.sweepScores[39]).toBeCloseTo(0.11 * scaledSigmoid(20 / 9), 12);
    expect([sweep.windowOf[5], sweep.windowOf[6], sweep.windowOf[10], sweep.windowOf[20]]).toEqual([PROBATIONARY, OUTSIDE, 0, OUTSIDE]);
  });

  it('counts one reward per window, every false positive, and a miss as −fnWeight', () => {
    const cost = standard;
    const hit = scoreAtThreshold(sweepFile(file(at([12, 15, 30, 2])), cost), 0.5, cost);
    const first = scaledSigmoid(-(19 - 12 + 1) / 10) / scaledSigmoid(-1);
    expect(hit).toEqual({ threshold: 0.5, score: expect.any(Number), tp: 2, tn: 23, fp: 1, fn: 8 });
    expect(hit.score).toBeCloseTo(first + 0.11 * scaledSigmoid(11 / 9), 12);
    const miss = scoreAtThreshold(sweepFile(file(at([8])), cost), 0.5, cost);
    expect(miss).toEqual({ threshold: 0.5, score: -1 - 0.11, tp: 0, tn: 23, fp: 1, fn: 10 });
  });

  it('the threshold sweep agrees with scoring at each threshold', () => {
    const scores = Array.from({ length: 40 }, (_, i) => ((i * 7919) % 13) / 13);
    const sweep = sweepFile(file(scores), standard);
    const table = scoresByThreshold([sweep], standard);
    expect(table[0]).toEqual({ threshold: Number.POSITIVE_INFINITY, score: -1, tp: 0, tn: 24, fp: 0, fn: 10 });
    for (const row of table.slice(1)) {
      const direct = scoreAtThreshold(sweep, row.threshold, standard);
      expect({ ...row, score: 0 }).toEqual({ ...direct, score: 0 });
      expect(row.score).toBeCloseTo(direct.score, 10);
    }
    const best = optimizeThreshold([sweep], standard);
    expect(best.score).toBe(Math.max(...table.map((r) => r.score)));
  });

  it('normalizes between the null detector (0) and a perfect one (100)', () => {
    expect(normalizeScore(-116, 116, standard)).toBe(0);
    expect(normalizeScore(116, 116, standard)).toBe(100);
    expect(normalizeScore(-232, 116, { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 })).toBe(0);
  });
});

describe('NAB scorer against the published windowed-Gaussian results', () => {
  let corpus: NabCorpus;
  let files: ScorableFile[];
  beforeAll(() => {
    corpus = loadNabCorpus(nabDir);
    const resultsDir = join(nabDir, 'results', 'windowedGaussian');
    files = corpus.series.map((s) => ({
      name: s.relativePath,
      windows: s.windows,
      anomalyScores: readAnomalyScores(resultsPath(resultsDir, 'windowedGaussian', s), s),
    }));
    // Reads 22 MB of CSV: allow for a busy machine.
  }, 60_000);

  it('loads 58 series and 116 windows', () => {
    expect([corpus.series.length, corpus.windowCount]).toEqual([58, 116]);
  });

  it('reproduces the standard profile: raw −24.0131 at threshold 1.0, 521 TP and 409 FP rows, normalized 39.65', () => {
    const cost = corpus.profiles.standard ?? standard;
    const result = scoreProfile(files, 'standard', cost, corpus.windowCount, 1.0);
    expect(result.raw).toBeCloseTo(-24.0131054891, 8);
    expect([result.tp, result.fp]).toEqual([521, 409]);
    expect(result.normalized).toBeCloseTo(39.649523496077585, 6);
  });

  it.each([
    ['standard', 39.649523496077585],
    ['reward_low_FP_rate', 20.86798582474138],
    ['reward_low_FN_rate', 47.4100271583046],
  ])('matches every per-file row of windowedGaussian_%s_scores.csv and the final score %f', (profile, published) => {
    const cost = corpus.profiles[profile];
    if (cost === undefined) throw new Error(`profile ${profile} missing`);
    const ours = scoreProfile(files, profile, cost, corpus.windowCount, 1.0);
    const table = readPublishedScores(join(nabDir, 'results', 'windowedGaussian', `windowedGaussian_${profile}_scores.csv`));
    const perFile = table.filter((r) => r.file !== 'Totals');
    expect(perFile).toHaveLength(58);
    const round = (x: number) => Math.round(x * 1e8) / 1e8;
    expect(
      ours.files.map((f) => ({ file: f.file, score: round(f.score), tp: f.tp, tn: f.tn, fp: f.fp, fn: f.fn, totalCount: f.rows })),
    ).toEqual(
      perFile
        .map((r) => ({ file: r.file, score: round(r.score), tp: r.tp, tn: r.tn, fp: r.fp, fn: r.fn, totalCount: r.totalCount }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    );
    const totals = table.find((r) => r.file === 'Totals');
    expect(ours.raw).toBeCloseTo(totals?.score ?? Number.NaN, 8);
    expect(ours.normalized).toBeCloseTo(published, 6);
  });

  it('optimizing the threshold per profile picks 1.0, the threshold in config/thresholds.json', () => {
    const chosen = Object.entries(corpus.profiles).map(([name, cost]) => [
      name,
      optimizeThreshold(
        files.map((f) => sweepFile(f, cost)),
        cost,
      ).threshold,
    ]);
    expect(Object.fromEntries(chosen)).toEqual({ standard: 1, reward_low_FP_rate: 1, reward_low_FN_rate: 1 });
  });
});
