/**
 * The backtest `peakline forecast` prints beside its forecast: how well the forecast's machinery predicts
 * last season itself, with the WAPE each figure would have from random arrival alone (docs/forecasting.md).
 */
import {
  expectedFrom,
  isoWeek,
  ordinarySameWeekdays,
  plusDays,
  type Season,
  SHAPE_WEEKS,
  specialDaysOver,
} from './forecast.js';
import type { SpecialDayOverride } from './peak-days.js';
import type { PlanningChannel } from './types.js';

/**
 * The mean absolute deviation of a Poisson count with mean λ, E|X − λ| = 2λ·P(X = ⌊λ⌋) (Johnson, Kemp and
 * Kotz, Univariate Discrete Distributions, 3rd ed., 2005, §4.3): the error even a perfect forecast of the
 * mean makes when contacts arrive at random.
 */
const poissonMad = (mean: number): number => {
  if (mean <= 0) return 0;
  const k = Math.floor(mean);
  // ln k! by Stirling's series beyond 20, where it is exact to double precision; by the sum below.
  let lnFactorial = 0;
  if (k > 20)
    lnFactorial = k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3);
  else for (let i = 2; i <= k; i++) lnFactorial += Math.log(i);
  return 2 * mean * Math.exp(k * Math.log(mean) - mean - lnFactorial);
};

export interface WapeFigures {
  /** Σ|actual − forecast| / Σ actual over the intervals, the days and the weeks; null with no actual contacts. */
  readonly interval: number | null;
  readonly day: number | null;
  readonly week: number | null;
}

/** The figures of one channel (or all together): the WAPE, and the WAPE random arrival alone would give. */
export interface BacktestFigures {
  readonly actual: number;
  readonly wape: WapeFigures;
  /**
   * The WAPE a forecast that knew each interval's (day's, week's) true mean would still have if contacts
   * arrive as a Poisson process, taking the backtest's forecast as that mean: the part of the WAPE no
   * method can remove.
   */
  readonly noiseFloor: WapeFigures;
}

export interface Backtest {
  /** The days forecast (ordinary days with an ordinary source a week or two earlier). */
  readonly days: number;
  readonly from?: string;
  readonly to?: string;
  /** Special days, not backtested: a season holds one of each, nothing to forecast them from. */
  readonly skipped: string[];
  readonly byChannel: ({ readonly channel: PlanningChannel } & BacktestFigures)[];
  readonly total: BacktestFigures;
  /** Per ISO week (Monday first): the interval WAPE of all channels together. */
  readonly byWeek: {
    readonly week: string;
    readonly from: string;
    readonly actual: number;
    readonly intervalWape: number | null;
  }[];
}

/** Sums of actual and forecast contacts for one channel or all: per interval, and per day and week. */
class Scope {
  private readonly interval = { abs: 0, floor: 0, actual: 0 };
  private readonly days = new Map<string, { a: number; f: number }>();
  readonly weeks = new Map<string, { a: number; f: number; abs: number }>();

  add(date: string, week: string, actual: number, forecast: number): void {
    const abs = Math.abs(actual - forecast);
    this.interval.abs += abs;
    this.interval.floor += poissonMad(forecast);
    this.interval.actual += actual;
    const day = this.days.get(date) ?? { a: 0, f: 0 };
    day.a += actual;
    day.f += forecast;
    this.days.set(date, day);
    const w = this.weeks.get(week) ?? { a: 0, f: 0, abs: 0 };
    w.a += actual;
    w.f += forecast;
    w.abs += abs;
    this.weeks.set(week, w);
  }

  figures(): BacktestFigures {
    const actual = this.interval.actual;
    const ratio = (n: number): number | null => (actual > 0 ? n / actual : null);
    const sum = (values: Iterable<{ a: number; f: number }>, term: (v: { a: number; f: number }) => number) =>
      [...values].reduce((n, v) => n + term(v), 0);
    return {
      actual,
      wape: {
        interval: ratio(this.interval.abs),
        day: ratio(sum(this.days.values(), (v) => Math.abs(v.a - v.f))),
        week: ratio(sum(this.weeks.values(), (v) => Math.abs(v.a - v.f))),
      },
      noiseFloor: {
        interval: ratio(this.interval.floor),
        day: ratio(sum(this.days.values(), (v) => poissonMad(v.f))),
        week: ratio(sum(this.weeks.values(), (v) => poissonMad(v.f))),
      },
    };
  }
}

/**
 * How well the method forecasts last season itself, one week ahead: each ordinary day is forecast from
 * the ordinary same weekday a week before (two weeks if that one is special), its shape from the other
 * weeks within two weeks of that source (never the day's own week). The same machinery as the forecast,
 * with a lag of 7 days instead of 364 and no growth. Special days are left out (see Backtest.skipped).
 */
export const backtest = (season: Season, overrides: readonly SpecialDayOverride[] = []): Backtest => {
  const first = season.dates[0] ?? '';
  const last = season.dates.at(-1) ?? '';
  const inRange = (d: string) => d >= first && d <= last;
  const special = specialDaysOver(season.dates, overrides);
  const slots = 1440 / season.minutes;
  const scopes = new Map(season.channels.map((channel) => [channel, new Scope()]));
  const all = new Scope();
  const weekStarts = new Map<string, string>();
  const skipped: string[] = [];
  let tested = 0;
  let from: string | undefined;
  let to: string | undefined;
  for (const date of season.dates) {
    if (special.has(date)) {
      skipped.push(date);
      continue;
    }
    const source = [plusDays(date, -7), plusDays(date, -14)].find((d) => inRange(d) && !special.has(d));
    if (source === undefined) continue;
    const pool = ordinarySameWeekdays(source, SHAPE_WEEKS, inRange, special).filter((d) => d !== date);
    tested += 1;
    from ??= date;
    to = date;
    const week = isoWeek(date);
    if (!weekStarts.has(week)) weekStarts.set(week, date);
    for (const channel of season.channels) {
      const expected = expectedFrom(season, channel, source, pool);
      const actual = season.curves.get(channel)?.get(date);
      const scope = scopes.get(channel) as Scope;
      for (let s = 0; s < slots; s++) {
        const a = actual?.contacts[s] ?? 0;
        const f = expected.contacts[s] ?? 0;
        if (a === 0 && f === 0) continue;
        scope.add(date, week, a, f);
        all.add(date, week, a, f);
      }
    }
  }
  return {
    days: tested,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    skipped,
    byChannel: season.channels.map((channel) => ({ channel, ...(scopes.get(channel) as Scope).figures() })),
    total: all.figures(),
    byWeek: [...all.weeks].map(([week, w]) => ({
      week,
      from: weekStarts.get(week) ?? '',
      actual: w.a,
      intervalWape: w.a > 0 ? w.abs / w.a : null,
    })),
  };
};
