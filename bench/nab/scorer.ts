/**
 * The Numenta Anomaly Benchmark scoring rules (STATS_REFERENCE.md §3), written from the published
 * description: probationary period, scaled-sigmoid weighting inside and after label windows, one reward
 * per window, a corpus-wide threshold sweep and the null/perfect normalization. Pure: takes arrays.
 */

/** Weights of one application profile (config/profiles.json "CostMatrix"). */
export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** A label window as inclusive row indices of its file. */
export interface WindowSpan {
  readonly start: number;
  readonly end: number;
}

/** One series as the scorer needs it: its label windows and a detector's anomaly score per row. */
export interface ScorableFile {
  readonly name: string;
  readonly windows: readonly WindowSpan[];
  readonly anomalyScores: ArrayLike<number>;
}

/** Counts and score of one file, or of the corpus, at one threshold. */
export interface ThresholdScore {
  readonly threshold: number;
  readonly score: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
}

/** A row's role in scoring: inside window k (k ≥ 0), outside every window, or in the probationary period. */
export const OUTSIDE = -1;
export const PROBATIONARY = -2;

/** Per-row scoring weights of one file under one profile. */
export interface FileSweep {
  readonly name: string;
  readonly rows: number;
  readonly anomalyScores: Float64Array;
  /** What a detection at this row is worth (a TP weight inside a window, an FP cost outside). */
  readonly sweepScores: Float64Array;
  /** Window index of the row, or OUTSIDE / PROBATIONARY. */
  readonly windowOf: Int32Array;
  /** Windows with at least one row after the probationary period: the ones that can be missed. */
  readonly scorableWindows: readonly number[];
}

/** NAB's default share of each file that is never scored. */
export const PROBATION_PERCENT = 0.15;

/** Rows at the start of a file that are not scored: min(floor(0.15·rows), 0.15·5000). */
export function probationaryLength(rows: number, percent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** 2/(1+e^{5p}) − 1, and −1 once p is more than 3 window widths past a window. */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

/** Assigns each row its window and the weight a detection there would earn. */
export function sweepFile(file: ScorableFile, cost: CostMatrix): FileSweep {
  const rows = file.anomalyScores.length;
  const probation = probationaryLength(rows);
  const maxTp = scaledSigmoid(-1);
  const anomalyScores = Float64Array.from(file.anomalyScores);
  const sweepScores = new Float64Array(rows);
  const windowOf = new Int32Array(rows);
  const scorable = new Set<number>();
  const windows = [...file.windows].sort((a, b) => a.start - b.start);
  let next = 0;
  let previous: WindowSpan | undefined;
  for (let i = 0; i < rows; i++) {
    while (next < windows.length && (windows[next]?.end ?? 0) < i) {
      previous = windows[next];
      next++;
    }
    const current = windows[next];
    const inside = current !== undefined && current.start <= i && i <= current.end;
    if (inside) {
      const width = current.end - current.start + 1;
      sweepScores[i] = (scaledSigmoid(-(current.end - i + 1) / width) * cost.tpWeight) / maxTp;
    } else if (previous === undefined) {
      sweepScores[i] = -cost.fpWeight;
    } else {
      const width = previous.end - previous.start + 1;
      sweepScores[i] = scaledSigmoid(Math.abs(previous.end - i) / (width - 1)) * cost.fpWeight;
    }
    if (i < probation) windowOf[i] = PROBATIONARY;
    else if (inside) {
      const index = file.windows.indexOf(current);
      windowOf[i] = index;
      scorable.add(index);
    } else windowOf[i] = OUTSIDE;
  }
  return { name: file.name, rows, anomalyScores, sweepScores, windowOf, scorableWindows: [...scorable].sort((a, b) => a - b) };
}

/** The score and counts of one file when every row with anomaly score ≥ threshold is a detection. */
export function scoreAtThreshold(sweep: FileSweep, threshold: number, cost: CostMatrix): ThresholdScore {
  const best = new Map<number, number>(sweep.scorableWindows.map((w) => [w, -cost.fnWeight]));
  let fpScore = 0;
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < sweep.rows; i++) {
    const window = sweep.windowOf[i] ?? PROBATIONARY;
    if (window === PROBATIONARY) continue;
    const detected = (sweep.anomalyScores[i] ?? 0) >= threshold;
    const weight = sweep.sweepScores[i] ?? 0;
    if (window === OUTSIDE) {
      if (detected) {
        fp++;
        fpScore += weight;
      } else tn++;
    } else if (detected) {
      tp++;
      best.set(window, Math.max(best.get(window) ?? -cost.fnWeight, weight));
    } else fn++;
  }
  let score = fpScore;
  for (const value of best.values()) score += value;
  return { threshold, score, tp, tn, fp, fn };
}

/**
 * Scores of the whole corpus at every distinct anomaly score, highest threshold first: the first entry
 * (threshold +∞) detects nothing. Windows of different files are kept apart.
 */
export function scoresByThreshold(sweeps: readonly FileSweep[], cost: CostMatrix): ThresholdScore[] {
  const scores: number[] = [];
  const weights: number[] = [];
  const windows: number[] = [];
  const windowBest: number[] = [];
  let tn = 0;
  let fn = 0;
  for (const sweep of sweeps) {
    const offset = windowBest.length;
    const local = new Map<number, number>();
    for (const w of sweep.scorableWindows) {
      local.set(w, windowBest.length);
      windowBest.push(-cost.fnWeight);
    }
    for (let i = 0; i < sweep.rows; i++) {
      const window = sweep.windowOf[i] ?? PROBATIONARY;
      if (window === PROBATIONARY) continue;
      scores.push(sweep.anomalyScores[i] ?? 0);
      weights.push(sweep.sweepScores[i] ?? 0);
      if (window === OUTSIDE) {
        windows.push(OUTSIDE);
        tn++;
      } else {
        windows.push(local.get(window) ?? offset);
        fn++;
      }
    }
  }
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  let total = windowBest.reduce((sum, value) => sum + value, 0);
  let tp = 0;
  let fp = 0;
  let threshold = Number.POSITIVE_INFINITY;
  const out: ThresholdScore[] = [];
  for (const row of order) {
    const value = scores[row] ?? 0;
    // Entering a lower score: the state so far is the result of detecting everything ≥ the previous one.
    if (value !== threshold) {
      out.push({ threshold, score: total, tp, tn, fp, fn });
      threshold = value;
    }
    const window = windows[row] ?? OUTSIDE;
    const weight = weights[row] ?? 0;
    if (window === OUTSIDE) {
      fp++;
      tn--;
      total += weight;
    } else {
      tp++;
      fn--;
      const previous = windowBest[window] ?? 0;
      if (weight > previous) {
        windowBest[window] = weight;
        total += weight - previous;
      }
    }
  }
  out.push({ threshold, score: total, tp, tn, fp, fn });
  return out;
}

/** NAB's threshold choice: the one threshold with the highest corpus total (the highest such threshold on ties). */
export function optimizeThreshold(sweeps: readonly FileSweep[], cost: CostMatrix): ThresholdScore {
  let best: ThresholdScore | undefined;
  for (const candidate of scoresByThreshold(sweeps, cost)) if (best === undefined || candidate.score > best.score) best = candidate;
  if (best === undefined) throw new RangeError('no rows to score');
  return best;
}

/** 100·(S − S_null)/(S_perfect − S_null) with S_null = −fnWeight·windows and S_perfect = tpWeight·windows. */
export function normalizeScore(raw: number, windowCount: number, cost: CostMatrix): number {
  const nullScore = -cost.fnWeight * windowCount;
  const perfect = cost.tpWeight * windowCount;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/** One file's row in a NAB scores table. */
export interface FileScore extends ThresholdScore {
  readonly file: string;
  readonly rows: number;
}

/** The result of scoring a detector under one profile. */
export interface ProfileScore {
  readonly profile: string;
  readonly threshold: number;
  readonly raw: number;
  readonly normalized: number;
  readonly tp: number;
  readonly fp: number;
  readonly files: readonly FileScore[];
}

/** Scores a corpus under one profile at a given threshold, or at NAB's optimized one when none is given. */
export function scoreProfile(
  files: readonly ScorableFile[],
  profile: string,
  cost: CostMatrix,
  totalWindows: number,
  threshold?: number,
): ProfileScore {
  const sweeps = files.map((f) => sweepFile(f, cost));
  const chosen = threshold ?? optimizeThreshold(sweeps, cost).threshold;
  const perFile = sweeps.map((s) => ({ file: s.name, rows: s.rows, ...scoreAtThreshold(s, chosen, cost) }));
  const raw = perFile.reduce((sum, f) => sum + f.score, 0);
  return {
    profile,
    threshold: chosen,
    raw,
    normalized: normalizeScore(raw, totalWindows, cost),
    tp: perFile.reduce((sum, f) => sum + f.tp, 0),
    fp: perFile.reduce((sum, f) => sum + f.fp, 0),
    files: perFile,
  };
}
