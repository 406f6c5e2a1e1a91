/**
 * A generic, causal anomaly detector for one univariate stream (the one adpilot runs on NAB).
 *
 * Five channels each measure how far the newest point sits from a robust baseline, in robust-σ units
 * (σ ≈ IQR/1.349 over a trailing window, which needs no second pass as MAD would):
 *   - short shift: mean of the last few points against the trailing median (spikes and fresh level shifts);
 *   - long shift: the same over a longer run (slow level shifts that no single point reveals);
 *   - step: the newest first difference against the trailing differences (abrupt jumps on a trend);
 *   - daily: the point against the median of the same time of day over the previous days;
 *   - weekly: the point against the same time one and two weeks back.
 * Each channel's surprise is then divided by the 99.9th percentile of its own recent history, which puts
 * heavy- and light-tailed series on one scale (one global threshold must serve every series), and the
 * largest channel wins. Finally an alarm must beat every score of the recent past: a fault is reported
 * when it starts, not at every row it lasts.
 * The score at a row uses only that row and earlier ones; the parameters are global, never per series.
 */
import { AnomalyInputError } from './errors.ts';
import { median } from './robust.ts';
import { RollingQuantiles } from './rolling-quantiles.ts';

/** Tuning of the streaming detector; the defaults are the ones benchmarked on NAB. */
export interface StreamDetectorParams {
  /** Trailing rows that define "normal" level and spread. */
  readonly baselineRows: number;
  /** Rows averaged by the short and the long shift channels. */
  readonly shortShiftRows: number;
  readonly longShiftRows: number;
  /** Previous days whose same time of day forms the daily baseline. */
  readonly seasonalDays: number;
  /** Rows of each channel's own history used to calibrate it, and the quantile it is divided by. */
  readonly calibrationRows: number;
  readonly calibrationQuantile: number;
  /** A channel stays silent until it has this much history to calibrate against. */
  readonly minCalibrationRows: number;
  /** A score counts as a new alarm only if it beats every score of this many previous rows. */
  readonly suppressionRows: number;
}

/** The benchmarked defaults (bench/anomaly.bench.ts): one set for the whole NAB corpus. */
export const DEFAULT_STREAM_PARAMS: StreamDetectorParams = {
  baselineRows: 1000,
  shortShiftRows: 6,
  longShiftRows: 24,
  seasonalDays: 4,
  calibrationRows: 5000,
  calibrationQuantile: 0.999,
  minCalibrationRows: 200,
  suppressionRows: 100,
};

const DAY_MS = 86_400_000;
/** Gaps observed before the sampling interval (and so the rows per day) is fixed. */
const INTERVAL_SAMPLE = 99;
/** Minimum baseline before any channel speaks. */
const MIN_BASELINE = 20;

/** Robust centre and spread of a window, with a floor so that flat or quantized data do not divide by zero. */
function centreAndSpread(window: RollingQuantiles): { centre: number; spread: number } {
  const centre = window.quantile(0.5);
  const iqr = window.quantile(0.75) - window.quantile(0.25);
  const range = window.max() - window.min();
  return { centre, spread: Math.max(iqr / 1.349, range * 0.01, Math.abs(centre) * 1e-3, 1e-9) };
}

/** Turns raw surprises into multiples of their own recent 99.9th percentile. */
class Calibrator {
  private readonly history: RollingQuantiles;

  constructor(private readonly params: StreamDetectorParams) {
    this.history = new RollingQuantiles(params.calibrationRows);
  }

  calibrate(surprise: number): number {
    const ready = this.history.size >= this.params.minCalibrationRows;
    const ratio = ready ? surprise / (this.history.quantile(this.params.calibrationQuantile) + 1e-12) : 0;
    this.history.push(surprise);
    return ratio;
  }
}

/** Residuals of a seasonal forecast, standardized against their own trailing window. */
class SeasonalResiduals {
  private readonly residuals: RollingQuantiles;

  constructor(rows: number) {
    this.residuals = new RollingQuantiles(rows);
  }

  surprise(residual: number): number | undefined {
    let out: number | undefined;
    if (this.residuals.size >= MIN_BASELINE) {
      const { centre, spread } = centreAndSpread(this.residuals);
      out = Math.abs(residual - centre) / spread;
    }
    this.residuals.push(residual);
    return out;
  }
}

type Channel = 'short' | 'long' | 'step' | 'daily' | 'weekly';

/** Streaming detector: feed rows in time order with `update`, get a score in [0, 1) for each. */
export class StreamingAnomalyDetector {
  private readonly params: StreamDetectorParams;
  private readonly values: number[] = [];
  private dropped = 0;
  private readonly gaps: number[] = [];
  private lastTime: number | undefined;
  private rowsPerDay: number | undefined;
  private readonly level: RollingQuantiles;
  private readonly steps: RollingQuantiles;
  private readonly daily: SeasonalResiduals;
  private readonly weekly: SeasonalResiduals;
  private readonly calibrators: Record<Channel, Calibrator>;
  private readonly recentScores: number[] = [];

  constructor(params: Partial<StreamDetectorParams> = {}) {
    this.params = { ...DEFAULT_STREAM_PARAMS, ...params };
    for (const [key, value] of Object.entries(this.params)) {
      if (!(value > 0)) throw new AnomalyInputError(key, `must be positive, got ${value}`);
    }
    this.level = new RollingQuantiles(this.params.baselineRows);
    this.steps = new RollingQuantiles(this.params.baselineRows);
    this.daily = new SeasonalResiduals(this.params.baselineRows);
    this.weekly = new SeasonalResiduals(this.params.baselineRows);
    this.calibrators = {
      short: new Calibrator(this.params),
      long: new Calibrator(this.params),
      step: new Calibrator(this.params),
      daily: new Calibrator(this.params),
      weekly: new Calibrator(this.params),
    };
  }

  /** Scores the row at `timeMs` (epoch milliseconds) given every row fed before it. */
  update(timeMs: number, value: number): number {
    if (!Number.isFinite(value)) throw new AnomalyInputError('value', `must be finite, got ${value}`);
    this.learnInterval(timeMs);
    this.values.push(value);
    const t = this.dropped + this.values.length - 1;
    const surprises = this.surprises(value, t);
    if (t > 0) this.steps.push(value - this.lag(1));
    this.level.push(value);
    this.trimHistory();

    let strongest = 0;
    for (const [channel, surprise] of surprises) strongest = Math.max(strongest, this.calibrators[channel].calibrate(surprise));
    return this.suppressRepeats(strongest > 0 ? strongest / (1 + strongest) : 0);
  }

  /** Each channel's raw surprise at row t (only channels with enough history speak). */
  private surprises(value: number, t: number): [Channel, number][] {
    const surprises: [Channel, number][] = [];
    if (this.level.size >= MIN_BASELINE) {
      const { centre, spread } = centreAndSpread(this.level);
      if (t >= this.params.shortShiftRows)
        surprises.push(['short', Math.abs(this.meanOfLast(this.params.shortShiftRows) - centre) / spread]);
      if (t >= this.params.longShiftRows) surprises.push(['long', Math.abs(this.meanOfLast(this.params.longShiftRows) - centre) / spread]);
      if (this.steps.size >= MIN_BASELINE) {
        const s = centreAndSpread(this.steps);
        surprises.push(['step', Math.abs(value - this.lag(1) - s.centre) / s.spread]);
      }
      const day = this.rowsPerDay;
      if (day !== undefined && day > 1) {
        if (t >= this.params.seasonalDays * day) {
          const sameTime = Array.from({ length: this.params.seasonalDays }, (_, j) => this.lag((j + 1) * day));
          const s = this.daily.surprise(value - median(sameTime));
          if (s !== undefined) surprises.push(['daily', s]);
        }
        if (t >= 14 * day) {
          const s = this.weekly.surprise(value - (this.lag(7 * day) + this.lag(14 * day)) / 2);
          if (s !== undefined) surprises.push(['weekly', s]);
        }
      }
    }
    return surprises;
  }

  /** Halves a score that does not beat the recent ones, so a lasting fault alarms once, at its start. */
  private suppressRepeats(score: number): number {
    let recentMax = 0;
    for (const s of this.recentScores) recentMax = Math.max(recentMax, s);
    this.recentScores.push(score);
    if (this.recentScores.length > this.params.suppressionRows) this.recentScores.shift();
    return score <= recentMax ? score * 0.5 : score;
  }

  /** Fixes rows-per-day from the median gap of the first rows, once, so the seasonal channels can start. */
  private learnInterval(timeMs: number): void {
    // Real feeds repeat or step back a timestamp now and then (NAB has both): such gaps say nothing.
    if (this.lastTime !== undefined && timeMs > this.lastTime) {
      if (this.rowsPerDay === undefined) {
        this.gaps.push(timeMs - this.lastTime);
        if (this.gaps.length >= INTERVAL_SAMPLE) {
          const gap = median(this.gaps);
          this.rowsPerDay = Math.round(DAY_MS / gap);
        }
      }
    }
    this.lastTime = Math.max(timeMs, this.lastTime ?? timeMs);
  }

  /** The value `k` rows before the newest one. */
  private lag(k: number): number {
    return this.values[this.values.length - 1 - k] ?? Number.NaN;
  }

  private meanOfLast(rows: number): number {
    let sum = 0;
    for (let k = 0; k < rows; k++) sum += this.lag(k);
    return sum / rows;
  }

  /** Keeps only the rows the longest look-back (two weeks, or more seasonal days) can reach. */
  private trimHistory(): void {
    const day = this.rowsPerDay ?? Number.POSITIVE_INFINITY;
    const keep = Math.max(this.params.longShiftRows, Math.max(14, this.params.seasonalDays) * day + 1, INTERVAL_SAMPLE + 1);
    if (this.values.length > 2 * keep) {
      const drop = this.values.length - keep;
      this.values.splice(0, drop);
      this.dropped += drop;
    }
  }
}

/** Scores a whole series row by row with a fresh detector (still causal: row t sees rows ≤ t only). */
export function scoreSeries(
  series: { readonly times: ArrayLike<number>; readonly values: ArrayLike<number> },
  params: Partial<StreamDetectorParams> = {},
): Float64Array {
  if (series.times.length !== series.values.length) throw new AnomalyInputError('series', 'times and values differ in length');
  const detector = new StreamingAnomalyDetector(params);
  const out = new Float64Array(series.values.length);
  for (let i = 0; i < out.length; i++) out[i] = detector.update(series.times[i] ?? 0, series.values[i] ?? 0);
  return out;
}
