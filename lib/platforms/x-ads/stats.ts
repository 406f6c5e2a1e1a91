/**
 * Folding X Ads stats answers into daily rows (../shared/PLATFORM_APIS.md §7.1.5): each answer covers one window
 * of DAY steps for one metric group; each metric is an array with one value per step, or null when nothing was
 * served, and null counts as 0. A line item gets a row for a day when any metric adpilot reads has a value there;
 * a day on which every one is null is absent (X served nothing), as other platforms omit such rows.
 */
import { addDays, type LocalDate } from '../../model/dates.ts';
import { StatsShapeError } from './errors.ts';
import type { StatsMetrics, StatsResponse } from './schemas.ts';
import { type SaleAmountUnit, type StatsWindow, saleAmountToMicros } from './values.ts';

export const METRIC_GROUPS = ['ENGAGEMENT', 'BILLING', 'WEB_CONVERSION'] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

/** The figures of one line item on one day, summed over the groups read so far. */
export interface DayFigures {
  spendMicros: number;
  revenueMicros: number;
  impressions: number;
  clicks: number;
  conversions: number;
}

type Series = readonly (number | null)[] | null | undefined;

/** The series of each figure a metric group carries. */
function seriesOf(group: MetricGroup, metrics: StatsMetrics): [keyof DayFigures, Series, string][] {
  switch (group) {
    case 'ENGAGEMENT':
      return [
        ['impressions', metrics.impressions, 'impressions'],
        ['clicks', metrics.clicks, 'clicks'],
      ];
    case 'BILLING':
      return [['spendMicros', metrics.billed_charge_local_micro, 'billed_charge_local_micro']];
    case 'WEB_CONVERSION':
      return [
        ['conversions', metrics.conversion_purchases?.metric, 'conversion_purchases.metric'],
        ['revenueMicros', metrics.conversion_purchases?.sale_amount, 'conversion_purchases.sale_amount'],
      ];
  }
}

/** Accumulates stats answers into figures per `lineItemId|date`. */
export class DailyStatsFold {
  private readonly figures = new Map<string, DayFigures>();
  private readonly folded = new Set<string>();

  constructor(
    private readonly wanted: ReadonlySet<string>,
    private readonly saleAmountUnit: SaleAmountUnit,
  ) {}

  /**
   * Folds one answer of `group` over `window` for the ids `asked`; throws StatsShapeError (and folds nothing) on
   * a step count that is not the window's, an id not asked for, an id twice, or a sale amount that cannot be
   * read exactly.
   */
  add(answer: StatsResponse, group: MetricGroup, window: StatsWindow, asked: readonly string[]): void {
    if (answer.time_series_length !== window.days) {
      throw new StatsShapeError(
        'time_series_length',
        `is ${answer.time_series_length}, expected ${window.days} DAY steps (${window.from}..${window.to})`,
      );
    }
    const askedSet = new Set(asked);
    const seenIds = new Set<string>();
    const increments: { key: string; figure: keyof DayFigures; amount: number }[] = [];
    answer.data.forEach((entity, i) => {
      if (!askedSet.has(entity.id) || !this.wanted.has(entity.id))
        throw new StatsShapeError(`data[${i}].id`, `is ${entity.id}, which was not asked for`);
      if (seenIds.has(entity.id)) throw new StatsShapeError(`data[${i}].id`, `repeats ${entity.id}`);
      seenIds.add(entity.id);
      if (entity.id_data.length > 1)
        throw new StatsShapeError(`data[${i}].id_data`, `holds ${entity.id_data.length} segments; adpilot asks for none`);
      const metrics = entity.id_data[0]?.metrics;
      if (!metrics) return;
      for (const [figure, series, name] of seriesOf(group, metrics)) {
        if (series === null || series === undefined) continue;
        const path = `data[${i}].id_data[0].metrics.${name}`;
        if (series.length !== window.days) throw new StatsShapeError(path, `holds ${series.length} values, expected ${window.days}`);
        series.forEach((value, step) => {
          if (value === null) return;
          let amount = value;
          if (figure === 'revenueMicros') {
            try {
              amount = saleAmountToMicros(value, this.saleAmountUnit);
            } catch (error) {
              throw new StatsShapeError(`${path}[${step}]`, (error as Error).message);
            }
          }
          increments.push({ key: `${entity.id}|${addDays(window.from, step)}`, figure, amount });
        });
      }
    });
    for (const id of asked) {
      const folded = `${id}|${window.from}|${group}`;
      if (this.folded.has(folded)) throw new StatsShapeError('data', `${group} of ${id} for ${window.from} was already read`);
      this.folded.add(folded);
    }
    for (const { key, figure, amount } of increments) this.day(key)[figure] += amount;
  }

  /** The rows folded so far, by date then line item id: only days where some figure had a value. */
  rows(): { lineItemId: string; date: LocalDate; figures: DayFigures }[] {
    return [...this.figures.entries()]
      .map(([key, figures]) => {
        const [lineItemId = '', date = ''] = key.split('|');
        return { lineItemId, date, figures };
      })
      .sort((a, b) => (a.date === b.date ? (a.lineItemId < b.lineItemId ? -1 : 1) : a.date < b.date ? -1 : 1));
  }

  private day(key: string): DayFigures {
    let figures = this.figures.get(key);
    if (!figures) {
      figures = { spendMicros: 0, revenueMicros: 0, impressions: 0, clicks: 0, conversions: 0 };
      this.figures.set(key, figures);
    }
    return figures;
  }
}
