/** The "freshness" suite of `npm run bench -- anomaly`: stale data (a platform account silent for too long), judged every hour. */
import { DEFAULT_STALE_AFTER_HOURS, detectStaleData } from '../../lib/anomaly/index.ts';
import { Rng } from '../../lib/sim/random.ts';
import { type AnomalyBenchSuite, formatTable, logUniform, median, pct, uniform, wholeNumberOption } from './suite.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Days in an average month: false alerts are counted per account and 30.44 days. */
const MONTH_DAYS = 30.44;

/** The freshness suite's design: every assumption of the simulation, in one place. */
export interface FreshnessDesign {
  readonly seed: number;
  /** Accounts that get one injected outage. */
  readonly faultySeries: number;
  /** Accounts with only the healthy failures (transient run failures and platform incidents). */
  readonly cleanSeries: number;
  /** The first scheduled run's hour (UTC; the schedule's time zone does not matter to a silence). */
  readonly start: string;
  /** Hours simulated before the judged period, so every account has been fetched before it is judged. */
  readonly warmupHours: number;
  /** Hours whose checks are judged: outages start in them and false alerts are counted in them. */
  readonly judgedHours: number;
  /** Hours simulated after the judged period so an outage starting in its last hour plays out in full. */
  readonly tailHours: number;
  /**
   * Runs start at :00 plus a uniform draw in [0, this) minutes (EventBridge Scheduler's flexible window,
   * INGEST_JITTER). A run (10-minute Lambda timeout) is over before the check of its hour.
   */
  readonly runWindowMinutes: number;
  /** The freshness check runs hourly at this minute. */
  readonly checkMinute: number;
  /**
   * Each account's chance that a whole run fails after the connector's own retries, drawn log-uniform in
   * [low, high): most accounts rarely fail, a few (rate-limited, flaky API) often. [0, 0]: never.
   */
  readonly runFailureProbability: readonly [low: number, high: number];
  /** Platform incidents (API down, maintenance) per account and month, a Poisson process over the runs. */
  readonly incidentsPerMonth: number;
  /** An incident fails this many consecutive runs, a uniform integer in [low, high]. */
  readonly incidentRuns: readonly [low: number, high: number];
  /**
   * The injected fault (expired token, revoked permission, broken credentials): every run fails for a
   * uniform [low, high] hours from a random run of the judged period.
   */
  readonly outageHours: readonly [low: number, high: number];
  /** The limit of the main table (production's default unless configured). */
  readonly maxAgeHours: number;
  /** Limits re-judged on the same timelines, to show the trade-off that chose the default. */
  readonly sweepLimits: readonly number[];
}

/** The design the bench runs with. */
export const FRESHNESS_DESIGN: FreshnessDesign = {
  seed: 71,
  faultySeries: 200,
  cleanSeries: 400,
  start: '2026-01-05T00:00:00Z',
  warmupHours: 24,
  judgedHours: 8 * 7 * 24,
  tailHours: 73,
  runWindowMinutes: 15,
  checkMinute: 50,
  runFailureProbability: [0.002, 0.05],
  incidentsPerMonth: 2,
  incidentRuns: [1, 2],
  outageHours: [6, 72],
  maxAgeHours: DEFAULT_STALE_AFTER_HOURS,
  sweepLimits: [2, 3, 4, 6],
};

/** How one hourly run ended: delivered, or failed and why. */
export type RunOutcome = 'ok' | 'failed' | 'incident' | 'outage';

/** One account's simulated ingestion: run i is scheduled in hour i of the simulation. */
export interface AccountTimeline {
  readonly accountId: string;
  /** The start instant (epoch ms) of each run: what a successful run writes as the watermark. */
  readonly runStartMs: readonly number[];
  readonly outcomes: readonly RunOutcome[];
  /** The account's transient whole-run failure probability. */
  readonly failureProbability: number;
  /** The injected outage: its first failed run, and when it ends (epoch ms, exclusive). */
  readonly outage?: { readonly firstRun: number; readonly endMs: number; readonly hours: number };
}

/** One account's ingestion runs: transient failures, platform incidents, and on a faulty account one outage. */
export function simulateAccount(design: FreshnessDesign, index: number, faulty: boolean): AccountTimeline {
  const d = design;
  // One stream per account: the first N accounts are the same whatever the number of accounts.
  const rng = Rng.fromParts(d.seed, faulty ? 'faulty' : 'clean', index);
  const runs = d.warmupHours + d.judgedHours + d.tailHours;
  const startMs = Date.parse(d.start);
  const [pLow, pHigh] = d.runFailureProbability;
  const failureProbability = pLow === pHigh ? pLow : logUniform(rng, pLow, pHigh);
  const runStartMs = Array.from({ length: runs }, (_, i) => startMs + i * HOUR_MS + uniform(rng, 0, d.runWindowMinutes) * MINUTE_MS);
  const outcomes: RunOutcome[] = runStartMs.map(() => (rng.next() < failureProbability ? 'failed' : 'ok'));
  const incidents = rng.poisson((d.incidentsPerMonth * runs) / (24 * MONTH_DAYS));
  for (let n = 0; n < incidents; n++) {
    const first = Math.floor(rng.next() * runs);
    const length = d.incidentRuns[0] + Math.floor(rng.next() * (d.incidentRuns[1] - d.incidentRuns[0] + 1));
    for (let i = first; i < Math.min(runs, first + length); i++) outcomes[i] = 'incident';
  }
  let outage: AccountTimeline['outage'];
  if (faulty) {
    const firstRun = d.warmupHours + Math.floor(rng.next() * d.judgedHours);
    const hours = uniform(rng, d.outageHours[0], d.outageHours[1]);
    const endMs = (runStartMs[firstRun] ?? 0) + hours * HOUR_MS;
    for (let i = firstRun; i < runs && (runStartMs[i] ?? 0) < endMs; i++) outcomes[i] = 'outage';
    outage = { firstRun, endMs, hours };
  }
  const accountId = `${faulty ? 'faulty' : 'clean'}-${String(index).padStart(4, '0')}`;
  return { accountId, runStartMs, outcomes, failureProbability, ...(outage ? { outage } : {}) };
}

/** A stale verdict announced at a check: once per last successful fetch (production keys it by the local day of that fetch, so two silences from the same day are one). */
export interface Announcement {
  /** The check's hour of the simulation. */
  readonly check: number;
  readonly atMs: number;
  /** The run whose start is the announced watermark; -1 when the account was never fetched. */
  readonly lastFetchedRun: number;
  /** The verdict's severity when announced: what the alert rule (`alerts.minSeverity`) routes on. */
  readonly severity: 'high';
}

/** What the checks made of one account at one limit. */
export interface AccountVerdict {
  readonly announcements: readonly Announcement[];
  /**
   * The outage's fate: caught while it lasted ('during', delay in hours from its first failed run), already
   * announced when it began ('before': transient failures right before it started the same silence, which
   * production announces once), announced only after it ended ('late'), or never ('missed').
   */
  readonly outage: {
    readonly fate: 'during' | 'before' | 'late' | 'missed';
    readonly delayHours: number | null;
    /** The severity it was announced with (null: never announced). */
    readonly severity: 'high' | null;
  } | null;
  /** Announcements at judged checks that do not belong to the outage's silence. */
  readonly falseAlerts: number;
}

/**
 * Runs the hourly freshness check over a timeline as production does: at :50 of every hour
 * `detectStaleData` on the watermark (the start of the last successful run), announcing once per watermark.
 */
export function judgeAccount(timeline: AccountTimeline, design: FreshnessDesign, maxAgeHours: number): AccountVerdict {
  const d = design;
  const startMs = Date.parse(d.start);
  const monitoredSince = new Date(startMs);
  const announced = new Set<number>();
  const announcements: Announcement[] = [];
  let lastOk = -1;
  let watermark: Date | null = null;
  for (let i = 0; i < timeline.runStartMs.length; i++) {
    // Run i started at :00–:15 and is over by the :50 check.
    if (timeline.outcomes[i] === 'ok') {
      lastOk = i;
      watermark = new Date(timeline.runStartMs[i] ?? Number.NaN);
    }
    const atMs = startMs + i * HOUR_MS + d.checkMinute * MINUTE_MS;
    const verdict = detectStaleData({ lastFetchedAt: watermark, monitoredSince, now: new Date(atMs), maxAgeHours });
    if (verdict.kind === 'stale' && !announced.has(lastOk)) {
      announced.add(lastOk);
      announcements.push({ check: i, atMs, lastFetchedRun: lastOk, severity: verdict.severity });
    }
  }
  const judged = (a: Announcement) => a.check >= d.warmupHours && a.check < d.warmupHours + d.judgedHours;
  const { outage } = timeline;
  if (outage === undefined) return { announcements, outage: null, falseAlerts: announcements.filter(judged).length };
  // The outage's silence is the one whose watermark is the last success before its first failed run.
  let silenceFrom = -1;
  for (let j = outage.firstRun - 1; j >= 0; j--) {
    if (timeline.outcomes[j] === 'ok') {
      silenceFrom = j;
      break;
    }
  }
  const own = announcements.find((a) => a.lastFetchedRun === silenceFrom);
  const firstMs = timeline.runStartMs[outage.firstRun] ?? Number.NaN;
  const falseAlerts = announcements.filter((a) => a !== own && judged(a)).length;
  if (own === undefined) return { announcements, outage: { fate: 'missed', delayHours: null, severity: null }, falseAlerts };
  const { severity } = own;
  if (own.atMs < firstMs) return { announcements, outage: { fate: 'before', delayHours: 0, severity }, falseAlerts };
  if (own.atMs > outage.endMs) return { announcements, outage: { fate: 'late', delayHours: null, severity }, falseAlerts };
  // Delay counts from the outage's OWN first failed run, even when transient failures just before it had
  // already started the silence (then the announcement comes sooner than the limit alone would allow).
  return { announcements, outage: { fate: 'during', delayHours: (own.atMs - firstMs) / HOUR_MS, severity }, falseAlerts };
}

/** The p90 the other suites report: the value at rank ⌊0.9 (n − 1)⌋. */
const p90 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.9 * (xs.length - 1))] ?? Number.NaN;

/** Recall, delays and false alerts at one limit over the simulated accounts. */
function judgeAtLimit(design: FreshnessDesign, faulty: readonly AccountTimeline[], clean: readonly AccountTimeline[], maxAgeHours: number) {
  const outcomes = faulty.map((t) => ({ timeline: t, verdict: judgeAccount(t, design, maxAgeHours) }));
  const delays = outcomes.flatMap(({ verdict: v }) =>
    v.outage !== null && (v.outage.fate === 'during' || v.outage.fate === 'before') ? [v.outage.delayHours ?? 0] : [],
  );
  const falseAlerts = clean.reduce((sum, t) => sum + judgeAccount(t, design, maxAgeHours).falseAlerts, 0);
  const cleanAccountMonths = (clean.length * design.judgedHours) / (24 * MONTH_DAYS);
  const fate = (f: string) => outcomes.filter(({ verdict: v }) => v.outage?.fate === f).length;
  const caught = outcomes.filter(({ verdict: v }) => v.outage?.fate === 'during' || v.outage?.fate === 'before');
  return {
    maxAgeHours,
    recall: delays.length / faulty.length,
    medianDelayHours: median(delays),
    p90DelayHours: p90(delays),
    /** The shortest and longest delay (NaN for none). */
    delayRangeHours: delays.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...delays), Math.max(...delays)],
    falseAlerts,
    falseAlertsPerAccountMonth: falseAlerts / cleanAccountMonths,
    /** Outages whose silence transient failures had started and announced before they began (caught, delay 0). */
    announcedBeforeOutage: fate('before'),
    announcedAfterOutageEnded: fate('late'),
    /**
     * Caught outages announced as "high": the only severity the default alert rule (minSeverity high) mails.
     * An outage is announced once, at its first stale check, so a later escalation to "high" is not announced.
     */
    caughtAnnouncedHigh: caught.filter(({ verdict: v }) => v.outage?.severity === 'high').length,
    caught: caught.length,
    /** Announcements on faulty accounts outside their outage's silence (not in the per-account-month rate). */
    falseAlertsOnFaultyAccounts: outcomes.reduce((sum, { verdict: v }) => sum + v.falseAlerts, 0),
    /** The outages not announced while they lasted, with what shaped them. */
    missed: outcomes.flatMap(({ timeline: t, verdict: v }) =>
      v.outage !== null && (v.outage.fate === 'missed' || v.outage.fate === 'late') && t.outage !== undefined
        ? [{ accountId: t.accountId, firstRun: t.outage.firstRun, hours: t.outage.hours, fate: v.outage.fate }]
        : [],
    ),
  };
}

/** Stale data judged every hour on simulated ingestion timelines: recall, delay in hours, false alerts per account-month. */
export function runFreshnessSuite(overrides: Partial<FreshnessDesign> = {}) {
  const d: FreshnessDesign = { ...FRESHNESS_DESIGN, ...overrides };
  const started = performance.now();
  const faulty = Array.from({ length: d.faultySeries }, (_, i) => simulateAccount(d, i, true));
  const clean = Array.from({ length: d.cleanSeries }, (_, i) => simulateAccount(d, i, false));
  const limits = [...new Set([d.maxAgeHours, ...d.sweepLimits])].sort((a, b) => a - b);
  const byLimit = new Map(limits.map((limit) => [limit, judgeAtLimit(d, faulty, clean, limit)]));
  const main = byLimit.get(d.maxAgeHours);
  if (main === undefined) throw new Error('unreachable: the main limit is judged');
  const all = [...faulty, ...clean];
  const runs = all.reduce((n, t) => n + t.outcomes.length, 0);
  const count = (o: RunOutcome) => all.reduce((n, t) => n + t.outcomes.filter((x) => x === o).length, 0);
  return {
    design: d,
    series: all.length,
    runtimeMs: performance.now() - started,
    targets: TARGETS,
    /** Shares of all simulated runs by outcome: what the healthy failure model amounts to. */
    runShares: { failed: count('failed') / runs, incident: count('incident') / runs, outage: count('outage') / runs },
    ...main,
    sweep: limits.map((limit) => {
      const { missed: _, ...rest } = byLimit.get(limit) ?? main;
      return rest;
    }),
  };
}

/** The design overrides of the bench's options: --series-per-fault=N, --clean-series=N, --max-age-hours=H. */
function designOptions(options: Readonly<Record<string, string>>): Partial<FreshnessDesign> {
  const out: { -readonly [K in keyof FreshnessDesign]?: FreshnessDesign[K] } = {};
  const count = (name: string) => wholeNumberOption(options, name);
  const perFault = count('series-per-fault');
  if (perFault !== undefined) out.faultySeries = perFault;
  const clean = count('clean-series');
  if (clean !== undefined) out.cleanSeries = clean;
  const limit = options['max-age-hours'];
  if (limit !== undefined) {
    const h = Number(limit);
    if (!(h > 0) || !Number.isFinite(h)) throw new Error(`--max-age-hours must be a positive number, got ${limit}`);
    out.maxAgeHours = h;
  }
  return out;
}

const hours = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));
const TARGETS = { recall: 0.95, medianDelayHours: 3, falseAlertsPerAccountMonth: 1 } as const;
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

/** One judged limit's columns: recall, delays, false alerts, and how they stand against the targets. */
function row(s: {
  readonly recall: number;
  readonly medianDelayHours: number;
  readonly p90DelayHours: number;
  readonly falseAlerts: number;
  readonly falseAlertsPerAccountMonth: number;
}): Record<string, string | number> {
  return {
    recall: pct(s.recall),
    'median delay (h)': hours(s.medianDelayHours),
    'p90 delay (h)': hours(s.p90DelayHours),
    'false alerts': s.falseAlerts,
    'false / acct-month': s.falseAlertsPerAccountMonth.toFixed(3),
    'vs targets (≥95%, ≤3 h, ≤1)': [
      mark(s.recall >= TARGETS.recall),
      mark(s.medianDelayHours <= TARGETS.medianDelayHours),
      mark(s.falseAlertsPerAccountMonth <= TARGETS.falseAlertsPerAccountMonth),
    ].join(' / '),
  };
}

export const freshnessSuite: AnomalyBenchSuite = {
  name: 'freshness',
  async run({ options }) {
    const r = runFreshnessSuite(designOptions(options));
    const d = r.design;
    const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
    return {
      title: `Stale data on simulated hourly ingestion: ${r.series} accounts, ${d.judgedHours / 24} judged days, checked every hour at :${d.checkMinute} with a ${d.maxAgeHours} h limit (targets: recall ≥ 95%, median delay ≤ 3 h, ≤ 1 false alert per account-month)`,
      rows: [{ fault: 'stale-data', series: d.faultySeries, ...row(r) }],
      notes: [
        `schedule: each account's ingestion starts hourly at :00 + a uniform 0–${d.runWindowMinutes} min (flexible window) and, when it succeeds, sets the watermark to its start; the check at :${d.checkMinute} calls detectStaleData on that watermark and announces once per watermark`,
        `healthy failures (not faults): whole runs fail with a per-account probability log-uniform in [${d.runFailureProbability.map(percent).join(', ')}), plus platform incidents (Poisson, ${d.incidentsPerMonth} per account-month) failing ${d.incidentRuns.join('–')} runs in a row; over all runs ${percent(r.runShares.failed)} failed and ${percent(r.runShares.incident)} fell in incidents`,
        `fault: an outage (expired token, revoked permission) from a random run of the judged period, lasting a uniform ${d.outageHours.join('–')} h, every run failing; caught if announced between its first failed run and its end (${r.announcedBeforeOutage} were already announced when they began: transient failures right before had started the same silence; counted caught, delay 0)`,
        `delay = hours from the start of the outage's own first failed run to the announcing check; with no transient failure just before, a whole-hour limit of L h announces at :${d.checkMinute} of the L-th failed run's hour, i.e. ${hours(d.maxAgeHours - 1 + (d.checkMinute - d.runWindowMinutes) / 60)}–${hours(d.maxAgeHours - 1 + d.checkMinute / 60)} h at ${d.maxAgeHours} h`,
        `severity: ${r.caughtAnnouncedHigh} of ${r.caught} caught outages were announced "high", what the default alert rule (alerts.minSeverity high) mails; stale data is announced once per outage, so it must be "high" the first time`,
        `false alerts: announcements at judged checks on the ${d.cleanSeries} clean accounts, per ONE account and ${MONTH_DAYS} days (${d.judgedHours / 24} judged days after a ${d.warmupHours} h warm-up); on faulty accounts outside their outage: ${r.falseAlertsOnFaultyAccounts}`,
        '',
        'The limit re-judged on the same timelines (the trade-off behind the default):',
        ...formatTable(r.sweep.map((s) => ({ 'limit (h)': s.maxAgeHours, ...row(s) }))),
        `runtime ${(r.runtimeMs / 1000).toFixed(1)} s`,
      ],
      result: r,
    };
  },
};
