/**
 * The forecast from last season's curve (docs/forecasting.md explains the method for users).
 *
 * Every day of the target season takes its curve from one source day of last season:
 * - weekday-aligned: 364 days (52 weeks) earlier, so a Tuesday is forecast from a Tuesday;
 * - a special day (Black Friday, Christmas Eve, …; see peak-days.ts) from the same special day of last
 *   season, wherever the calendar put it;
 * - an ordinary day whose aligned source is a special day (or lies outside the history) from the nearest
 *   ordinary same weekday instead, one week earlier or later.
 * The day's volume is the source day's; its intraday shape is the mean shape of the ordinary same
 * weekdays within two weeks of the source (one day's 15-minute counts are too noisy to copy), or the
 * special day's own. Growth multiplies contacts; AHT is carried over per interval.
 *
 * All of it runs on the contact centre's wall clock (luxon zones), so the October DST change moves no
 * part of the intraday shape: 10:00 is forecast from 10:00. On the day the clocks go back, the repeated
 * hour's intervals each get that hour's curve.
 */
import { DateTime, IANAZone } from 'luxon';
import { type HistoryRow } from './history-file.js';
import { type SpecialDayName, type SpecialDayOverride, specialDays } from './peak-days.js';
import { type ForecastInterval, type PlanningChannel, PLANNING_CHANNELS } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How far around a source day the intraday shape is averaged: the same weekday up to two weeks away. */
export const SHAPE_WEEKS = 2;
/** How far an ordinary day may look for an ordinary source of its weekday before giving up. */
const SEARCH_WEEKS = 8;

/** One channel's day of history on the wall clock: per slot, contacts and work (contacts × AHT). */
interface DayCurve {
  readonly contacts: Float64Array;
  readonly work: Float64Array;
  readonly present: Uint8Array;
  readonly total: number;
}

/** Last season, read onto the contact centre's wall clock. */
export interface Season {
  readonly minutes: 15 | 30;
  readonly timeZone: string;
  /** Every local date from the first to the last row's, YYYY-MM-DD. */
  readonly dates: readonly string[];
  readonly curves: ReadonlyMap<PlanningChannel, ReadonlyMap<string, DayCurve>>;
  /** Each channel's contact-weighted AHT over the season: the AHT of an interval nobody called in. */
  readonly meanAht: ReadonlyMap<PlanningChannel, number>;
  readonly channels: readonly PlanningChannel[];
}

const isoDate = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);
export const plusDays = (date: string, days: number): string =>
  isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);

/**
 * The zone's UTC offset (minutes) at an instant. Asking the zone costs an Intl call, so the answer is
 * kept per hour: when the hour starts and ends on the same offset (all but the DST changes) that is the
 * offset; otherwise the instant itself is asked, as some zones change on the half hour.
 */
const offsetsOf = (timeZone: string): ((epochMs: number) => number) => {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown IANA time zone ${JSON.stringify(timeZone)}.`);
  const hourly = new Map<number, number>();
  const atHour = (hour: number): number => {
    let offset = hourly.get(hour);
    if (offset === undefined) {
      offset = zone.offset(hour * HOUR_MS);
      hourly.set(hour, offset);
    }
    return offset;
  };
  return (epochMs) => {
    const hour = Math.floor(epochMs / HOUR_MS);
    const offset = atHour(hour);
    return offset === atHour(hour + 1) ? offset : zone.offset(epochMs);
  };
};

const two = (n: number): string => String(n).padStart(2, '0');

/** An instant as ISO-8601 on the wall clock of the given offset, e.g. 2027-11-26T09:15:00+01:00. */
const isoWithOffset = (epochMs: number, offsetMinutes: number): string => {
  const wall = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetMinutes);
  return `${wall}${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
};

/**
 * Places the history's rows on the wall clock of `timeZone` in `minutes` slots (15-minute rows add up
 * into 30-minute slots when asked). An instant of the repeated hour when the clocks go back is kept apart
 * from the first pass through that hour, and the two are averaged into the wall-clock slot.
 */
export const buildSeason = (rows: readonly HistoryRow[], minutes: 15 | 30, timeZone: string): Season => {
  const offsetAt = offsetsOf(timeZone);
  const slots = 1440 / minutes;
  interface Raw {
    contacts: Float64Array;
    work: Float64Array;
    present: Uint8Array;
  }
  const raw = new Map<PlanningChannel, Map<string, Raw>>();
  let first = Infinity;
  let last = -Infinity;
  const ahtTotals = new Map<PlanningChannel, { work: number; contacts: number }>();
  for (const row of rows) {
    const offset = offsetAt(row.epochMs);
    const wall = row.epochMs + offset * 60_000;
    const date = isoDate(wall);
    const minuteOfDay = Math.floor((wall % DAY_MS) / 60_000);
    const repeat = offsetAt(row.epochMs - HOUR_MS) - offset === 60 ? slots : 0;
    const slot = Math.floor(minuteOfDay / minutes) + repeat;
    first = Math.min(first, wall);
    last = Math.max(last, wall);
    let days = raw.get(row.channel);
    if (days === undefined) raw.set(row.channel, (days = new Map()));
    let day = days.get(date);
    if (day === undefined) {
      day = {
        contacts: new Float64Array(2 * slots),
        work: new Float64Array(2 * slots),
        present: new Uint8Array(2 * slots),
      };
      days.set(date, day);
    }
    day.contacts[slot] = (day.contacts[slot] ?? 0) + row.contacts;
    day.work[slot] = (day.work[slot] ?? 0) + row.contacts * row.ahtSeconds;
    day.present[slot] = 1;
    const totals = ahtTotals.get(row.channel) ?? { work: 0, contacts: 0 };
    totals.work += row.contacts * row.ahtSeconds;
    totals.contacts += row.contacts;
    ahtTotals.set(row.channel, totals);
  }
  const curves = new Map<PlanningChannel, Map<string, DayCurve>>();
  for (const [channel, days] of raw) {
    const out = new Map<string, DayCurve>();
    for (const [date, day] of days) {
      const contacts = new Float64Array(slots);
      const work = new Float64Array(slots);
      const present = new Uint8Array(slots);
      let total = 0;
      for (let s = 0; s < slots; s++) {
        const passes = (day.present[s] ?? 0) + (day.present[s + slots] ?? 0);
        if (passes === 0) continue;
        contacts[s] = ((day.contacts[s] ?? 0) + (day.contacts[s + slots] ?? 0)) / passes;
        work[s] = ((day.work[s] ?? 0) + (day.work[s + slots] ?? 0)) / passes;
        present[s] = 1;
        total += contacts[s] ?? 0;
      }
      out.set(date, { contacts, work, present, total });
    }
    curves.set(channel, out);
  }
  const dates: string[] = [];
  if (Number.isFinite(first)) {
    for (let d = isoDate(first); d <= isoDate(last); d = plusDays(d, 1)) dates.push(d);
  }
  const meanAht = new Map<PlanningChannel, number>();
  for (const [channel, t] of ahtTotals) meanAht.set(channel, t.contacts > 0 ? t.work / t.contacts : 0);
  return {
    minutes,
    timeZone,
    dates,
    curves,
    meanAht,
    channels: PLANNING_CHANNELS.filter((c) => curves.has(c)),
  };
};

/** The special days of every year a range of dates touches, by date. */
export const specialDaysOver = (
  dates: readonly string[],
  overrides: readonly SpecialDayOverride[],
): Map<string, SpecialDayName> => {
  const years = new Set(dates.map((d) => Number(d.slice(0, 4))));
  const all = new Map<string, SpecialDayName>();
  for (const year of years) for (const [date, name] of specialDays(year, overrides)) all.set(date, name);
  return all;
};

/** A day's expected curve: per slot, contacts and AHT, and which slots the channel is open. */
export interface Expected {
  readonly contacts: Float64Array;
  readonly aht: Float64Array;
  readonly present: Uint8Array;
}

/**
 * The curve a source day gives, for one channel: its volume spread by the shape of `pool` (days of the
 * history), its AHT per slot the pool's contact-weighted one. A slot is open if any pool day has a row.
 */
export const expectedFrom = (
  season: Season,
  channel: PlanningChannel,
  source: string,
  pool: readonly string[],
): Expected => {
  const slots = 1440 / season.minutes;
  const days = season.curves.get(channel);
  const level = days?.get(source)?.total ?? 0;
  const contactsSum = new Float64Array(slots);
  const workSum = new Float64Array(slots);
  const present = new Uint8Array(slots);
  let poolTotal = 0;
  for (const date of pool) {
    const curve = days?.get(date);
    if (curve === undefined) continue;
    poolTotal += curve.total;
    for (let s = 0; s < slots; s++) {
      if (curve.present[s] === 0) continue;
      present[s] = 1;
      contactsSum[s] = (contactsSum[s] ?? 0) + (curve.contacts[s] ?? 0);
      workSum[s] = (workSum[s] ?? 0) + (curve.work[s] ?? 0);
    }
  }
  const fallbackAht = season.meanAht.get(channel) ?? 0;
  const contacts = new Float64Array(slots);
  const aht = new Float64Array(slots);
  for (let s = 0; s < slots; s++) {
    const c = contactsSum[s] ?? 0;
    contacts[s] = poolTotal > 0 ? (level * c) / poolTotal : 0;
    aht[s] = c > 0 ? (workSum[s] ?? 0) / c : fallbackAht;
  }
  return { contacts, aht, present };
};

/** Where a target day's curve comes from. */
export interface SourceDay {
  /** The target day, YYYY-MM-DD on the contact centre's calendar. */
  readonly date: string;
  /** The day of last season it is forecast from. */
  readonly source: string;
  /**
   * weekday: 364 days earlier; special: the same special day of last season; displaced: 364 days earlier
   * was a special day (or outside the history), so the nearest ordinary same weekday was taken.
   */
  readonly reason: 'weekday' | 'special' | 'displaced';
  readonly special?: SpecialDayName;
}

export interface ForecastRequest {
  readonly season: Season;
  /** The target year: the season's dates are moved into it. */
  readonly year: number;
  /** Multiplies contacts: 1.4 is 40% more than last season. */
  readonly growth: number;
  readonly overrides?: readonly SpecialDayOverride[];
}

export interface Forecast {
  readonly intervals: ForecastInterval[];
  readonly days: SourceDay[];
  /** Last season's special days and this season's: name -> date. */
  readonly specialDays: {
    readonly name: SpecialDayName;
    readonly history?: string;
    readonly target?: string;
  }[];
}

/** The ordinary same weekdays within `weeks` of a date that the history holds, nearest first. */
export const ordinarySameWeekdays = (
  date: string,
  weeks: number,
  inRange: (d: string) => boolean,
  special: ReadonlyMap<string, SpecialDayName>,
): string[] => {
  const found: string[] = [];
  for (let k = 0; k <= weeks; k++) {
    for (const d of k === 0 ? [date] : [plusDays(date, -7 * k), plusDays(date, 7 * k)]) {
      if (inRange(d) && !special.has(d)) found.push(d);
    }
  }
  return found;
};

/** The history's first year; the target year defaults to the one after it. */
export const historyYear = (season: Season): number => Number((season.dates[0] ?? '').slice(0, 4));

export const forecast = ({ season, year, growth, overrides = [] }: ForecastRequest): Forecast => {
  if (season.dates.length === 0) throw new RangeError('The history has no rows.');
  const shiftYears = year - historyYear(season);
  const first = season.dates[0] as string;
  const last = season.dates[season.dates.length - 1] as string;
  const inRange = (d: string) => d >= first && d <= last;
  const moved = (d: string) =>
    DateTime.fromISO(d, { zone: 'utc' }).plus({ years: shiftYears }).toISODate() ?? d;
  const targetDates: string[] = [];
  for (let d = moved(first); d <= moved(last); d = plusDays(d, 1)) targetDates.push(d);

  const historySpecial = specialDaysOver(season.dates, overrides);
  const targetSpecial = specialDaysOver(targetDates, overrides);
  const historyDateOf = new Map<SpecialDayName, string>();
  for (const [date, name] of historySpecial) if (inRange(date)) historyDateOf.set(name, date);

  const days: SourceDay[] = targetDates.map((date) => {
    const name = targetSpecial.get(date);
    const sameDay = name === undefined ? undefined : historyDateOf.get(name);
    if (name !== undefined && sameDay !== undefined)
      return { date, source: sameDay, reason: 'special', special: name };
    const aligned = plusDays(date, -364);
    const [source] = ordinarySameWeekdays(aligned, SEARCH_WEEKS, inRange, historySpecial);
    if (source === undefined) {
      throw new RangeError(
        `No ordinary ${DateTime.fromISO(date).toFormat('cccc')} in the history to forecast ${date} from.`,
      );
    }
    return { date, source, reason: source === aligned ? 'weekday' : 'displaced' };
  });

  const intervals: ForecastInterval[] = [];
  const minutes = season.minutes;
  const offsetAt = offsetsOf(season.timeZone);
  for (const day of days) {
    const pool =
      day.reason === 'special'
        ? [day.source]
        : ordinarySameWeekdays(day.source, SHAPE_WEEKS, inRange, historySpecial);
    const expected = season.channels.map((channel) => ({
      channel,
      curve: expectedFrom(season, channel, day.source, pool),
    }));
    // luxon finds the day's two midnights; the steps between are plain arithmetic (tens of thousands).
    const start = DateTime.fromISO(day.date, { zone: season.timeZone }).startOf('day').toMillis();
    const end = DateTime.fromISO(plusDays(day.date, 1), { zone: season.timeZone }).startOf('day').toMillis();
    for (let t = start; t < end; t += minutes * 60_000) {
      const offset = offsetAt(t);
      const slot = Math.floor(((t + offset * 60_000) % DAY_MS) / (minutes * 60_000));
      let iso: string | undefined;
      for (const { channel, curve } of expected) {
        if (curve.present[slot] === 0) continue;
        iso ??= isoWithOffset(t, offset);
        intervals.push({
          start: iso,
          minutes,
          channel,
          contacts: growth * (curve.contacts[slot] ?? 0),
          ahtSeconds: curve.aht[slot] ?? 0,
        });
      }
    }
  }

  const names = new Set([...historySpecial.values(), ...targetSpecial.values()]);
  const targetDateOf = new Map<SpecialDayName, string>();
  for (const [date, name] of targetSpecial)
    if (date >= (targetDates[0] ?? '') && date <= (targetDates.at(-1) ?? '')) targetDateOf.set(name, date);
  return {
    intervals,
    days,
    specialDays: [...names]
      .map((name) => ({
        name,
        ...(historyDateOf.has(name) ? { history: historyDateOf.get(name) } : {}),
        ...(targetDateOf.has(name) ? { target: targetDateOf.get(name) } : {}),
      }))
      .filter((d) => d.history !== undefined || d.target !== undefined),
  };
};

/** The ISO week (Monday first) of a date, e.g. 2027-W47. */
export const isoWeek = (date: string): string => {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
};
