/**
 * Reads the NAB corpus as bundled in shared/data/nab (numenta/NAB at ea702d7): the 58 series, their label
 * windows mapped to row indices, the cost profiles, and a detector's published per-row anomaly scores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NabDataError } from './errors.ts';
import type { CostMatrix, WindowSpan } from './scorer.ts';

/** One labelled series: `relativePath` is NAB's key, e.g. "realKnownCause/nyc_taxi.csv". */
export interface NabSeries {
  readonly relativePath: string;
  readonly category: string;
  readonly fileName: string;
  /** Timestamps as written in the file ("YYYY-MM-DD HH:MM:SS"). */
  readonly timestamps: readonly string[];
  /** The same instants in milliseconds, read as UTC wall-clock time (NAB timestamps carry no zone). */
  readonly times: Float64Array;
  readonly values: Float64Array;
  readonly windows: readonly WindowSpan[];
}

/** The labelled corpus with its profiles. */
export interface NabCorpus {
  readonly dir: string;
  readonly series: readonly NabSeries[];
  readonly profiles: Readonly<Record<string, CostMatrix>>;
  /** All label windows of the corpus (116), the base of the normalization. */
  readonly windowCount: number;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/** Milliseconds of a NAB timestamp read as UTC wall-clock time. */
export function parseNabTimestamp(text: string, file: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) throw new NabDataError(`not a NAB timestamp: ${JSON.stringify(text)}`, file);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + Math.round(fraction);
}

/** Parses a headed CSV without quoting (NAB's files have none) into its header and rows of cells. */
export function parseSimpleCsv(text: string, file: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const [head, ...body] = lines;
  if (head === undefined) throw new NabDataError('empty file', file);
  return { header: head.split(','), rows: body.map((line) => line.split(',')) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new NabDataError('unreadable JSON', file, { cause });
  }
}

function column(header: readonly string[], name: string, file: string): number {
  const index = header.indexOf(name);
  if (index < 0) throw new NabDataError(`no "${name}" column in ${header.join(',')}`, file);
  return index;
}

function readSeries(dir: string, relativePath: string, limits: readonly (readonly [string, string])[]): NabSeries {
  const file = join(dir, 'data', relativePath);
  const { header, rows } = parseSimpleCsv(readFileSync(file, 'utf8'), file);
  const ts = column(header, 'timestamp', file);
  const val = column(header, 'value', file);
  const timestamps = rows.map((r) => r[ts] ?? '');
  const times = Float64Array.from(timestamps, (t) => parseNabTimestamp(t, file));
  const values = Float64Array.from(rows, (r, i) => {
    const v = Number(r[val]);
    if (!Number.isFinite(v)) throw new NabDataError(`row ${i + 2}: value is not a number`, file);
    return v;
  });
  const rowOf = new Map<number, number>();
  // Some series repeat a timestamp; like NAB, a label edge maps to its first occurrence.
  times.forEach((t, i) => {
    if (!rowOf.has(t)) rowOf.set(t, i);
  });
  const windows = limits.map(([from, to]) => {
    const start = rowOf.get(parseNabTimestamp(from, file));
    const end = rowOf.get(parseNabTimestamp(to, file));
    // NAB enters and leaves a window only on exact timestamp matches: a label edge must be a row.
    if (start === undefined || end === undefined || end < start) {
      throw new NabDataError(`window [${from}, ${to}] does not start and end on rows of the series`, file);
    }
    return { start, end };
  });
  const [category = '', fileName = ''] = relativePath.split('/');
  return { relativePath, category, fileName, timestamps, times, values, windows };
}

const ProfilesFile = z.record(
  z.string(),
  z.object({ CostMatrix: z.object({ tpWeight: z.number(), fpWeight: z.number(), fnWeight: z.number() }) }),
);
const WindowsFile = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, file: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new NabDataError(z.prettifyError(parsed.error), file);
  return parsed.data;
}

/** Loads the labelled corpus from a NAB folder (data/, labels/combined_windows.json, config/profiles.json). */
export function loadNabCorpus(dir: string): NabCorpus {
  const windowsFile = join(dir, 'labels', 'combined_windows.json');
  const profilesFile = join(dir, 'config', 'profiles.json');
  const windows = new Map(Object.entries(parseWith(WindowsFile, readJson(windowsFile), windowsFile)));
  const profiles = Object.fromEntries(
    Object.entries(parseWith(ProfilesFile, readJson(profilesFile), profilesFile)).map(([name, p]) => [name, p.CostMatrix]),
  );
  const onDisk = readdirSync(join(dir, 'data'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, 'data', d.name))
        .filter((f) => f.endsWith('.csv'))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
  for (const path of onDisk) if (!windows.has(path)) throw new NabDataError(`${path} has no entry`, windowsFile);
  const series = [...windows.keys()].sort().map((path) => readSeries(dir, path, windows.get(path) ?? []));
  const windowCount = series.reduce((sum, s) => sum + s.windows.length, 0);
  return { dir, series, profiles, windowCount };
}

/** NAB's results layout: <resultsDir>/<category>/<detector>_<file>. */
export function resultsPath(resultsDir: string, detector: string, series: Pick<NabSeries, 'category' | 'fileName'>): string {
  return join(resultsDir, series.category, `${detector}_${series.fileName}`);
}

/** Reads a detector's `timestamp,anomaly_score` results for one series, checking they line up with its rows. */
export function readAnomalyScores(file: string, series: NabSeries): Float64Array {
  const { header, rows } = parseSimpleCsv(readFileSync(file, 'utf8'), file);
  const ts = column(header, 'timestamp', file);
  const sc = column(header, 'anomaly_score', file);
  if (rows.length !== series.values.length) {
    throw new NabDataError(`${rows.length} rows, but ${series.relativePath} has ${series.values.length}`, file);
  }
  return Float64Array.from(rows, (r, i) => {
    const stamp = r[ts] ?? '';
    // Same text is the common case; only differently written stamps need parsing to compare.
    if (stamp !== series.timestamps[i] && parseNabTimestamp(stamp, file) !== series.times[i]) {
      throw new NabDataError(`row ${i + 2}: timestamp differs from the data`, file);
    }
    const v = Number(r[sc]);
    if (!Number.isFinite(v)) throw new NabDataError(`row ${i + 2}: anomaly_score is not a number`, file);
    return v;
  });
}

/** One row of a published NAB `<detector>_<profile>_scores.csv` table. */
export interface PublishedFileScore {
  readonly file: string;
  readonly threshold: number;
  readonly score: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  readonly totalCount: number;
}

/** Reads a published per-file scores table; the "Totals" row comes back under file "Totals". */
export function readPublishedScores(file: string): PublishedFileScore[] {
  const { header, rows } = parseSimpleCsv(readFileSync(file, 'utf8'), file);
  const at = (name: string) => column(header, name, file);
  const idx = { file: at('File'), threshold: at('Threshold'), score: at('Score'), tp: at('TP'), tn: at('TN'), fp: at('FP'), fn: at('FN') };
  const total = at('Total_Count');
  // The Totals row carries its label in the Detector column and leaves File empty.
  return rows.map((r) => ({
    file: r[idx.file] || r[0] || '',
    threshold: Number(r[idx.threshold]),
    score: Number(r[idx.score]),
    tp: Number(r[idx.tp]),
    tn: Number(r[idx.tn]),
    fp: Number(r[idx.fp]),
    fn: Number(r[idx.fn]),
    totalCount: Number(r[total]),
  }));
}

/** Formats a series' scores as NAB's `timestamp,anomaly_score` CSV text. */
export function formatResultsCsv(series: Pick<NabSeries, 'timestamps'>, scores: ArrayLike<number>): string {
  const lines = ['timestamp,anomaly_score'];
  for (let i = 0; i < series.timestamps.length; i++) lines.push(`${series.timestamps[i]},${scores[i] ?? 0}`);
  return `${lines.join('\n')}\n`;
}
