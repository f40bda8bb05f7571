/**
 * The report's days: calendar days on the shop's wall clock (`connect.timeZone`), cut at its midnights, so a
 * day in the report is the day the shop lived, 23 or 25 hours long when the clocks change. The range a user
 * asks for is checked here, in words, before any source is asked.
 */
import { DateTime } from 'luxon';
import type { Day } from './types.js';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** How far back Amazon Connect keeps the historical metrics GetMetricDataV2 answers from. */
export const HISTORY_MONTHS = 3;

/** The day's first instant (its midnight) in `timeZone`; undefined for text that is no calendar day. */
export const dayStart = (day: string, timeZone: string): Date | undefined => {
  if (!DAY_PATTERN.test(day)) return undefined;
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  return start.isValid ? start.toJSDate() : undefined;
};

/** The day an instant falls on in `timeZone`. */
export const dayOf = (instant: Date, timeZone: string): Day =>
  DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() ?? '';

/**
 * The day after `day`. Calendar arithmetic on UTC dates, which have no clock changes: the report steps
 * through every day of a month once per queue, and luxon's parse and format of each cost its cold start
 * ~0.1 ms a day. Text that is no calendar day gives '' as luxon's invalid date did; years outside
 * 1000-9998, which `Date.UTC` would not write as YYYY-MM-DD, still go through luxon.
 */
export const nextDay = (day: Day): Day => {
  const year = Number(day.slice(0, 4));
  if (!DAY_PATTERN.test(day) || year < 1000 || year > 9998) {
    return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate() ?? '';
  }
  const month = Number(day.slice(5, 7)) - 1;
  const date = Number(day.slice(8, 10));
  const given = new Date(Date.UTC(year, month, date));
  if (given.getUTCMonth() !== month || given.getUTCDate() !== date) return '';
  return new Date(Date.UTC(year, month, date + 1)).toISOString().slice(0, 10);
};

/** Every day from `from` to `to`, both included. */
export const daysBetween = (from: Day, to: Day): Day[] => {
  const days: Day[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
};

/** A checked range: its first and last day, and the instants that bound it (end exclusive). */
export interface DayRange {
  readonly from: Day;
  /** The last day, included. */
  readonly to: Day;
  readonly timeZone: string;
  /** The first day's midnight. */
  readonly start: Date;
  /** The midnight after the last day. */
  readonly end: Date;
  readonly days: readonly Day[];
}

export type RangeCheck =
  | { readonly ok: true; readonly range: DayRange }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks the days a user asked for against the world's `now`: real days, in order, not after today (there
 * are no figures yet), and not starting more than three months back, where Connect keeps none.
 */
export const checkRange = (from: string, to: string, now: Date, timeZone: string): RangeCheck => {
  const problems: string[] = [];
  const start = dayStart(from, timeZone);
  const last = dayStart(to, timeZone);
  if (start === undefined)
    problems.push(`--from ${from} is not a day; expected YYYY-MM-DD, e.g. 2026-11-01.`);
  if (last === undefined) problems.push(`--to ${to} is not a day; expected YYYY-MM-DD, e.g. 2026-11-30.`);
  if (start === undefined || last === undefined) return { ok: false, problems };
  const today = dayOf(now, timeZone);
  const earliest =
    DateTime.fromJSDate(now, { zone: timeZone }).minus({ months: HISTORY_MONTHS }).toISODate() ?? today;
  if (from > to) problems.push(`--from ${from} is after --to ${to}.`);
  if (to > today)
    problems.push(`--to ${to} is after today (${today} in ${timeZone}): there are no figures yet.`);
  if (from < earliest) {
    problems.push(
      `--from ${from} is more than ${HISTORY_MONTHS} months back: Amazon Connect keeps its historical metrics for ${HISTORY_MONTHS} months, so the earliest day is ${earliest}.`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  const end = dayStart(nextDay(to), timeZone) as Date;
  return { ok: true, range: { from, to, timeZone, start, end, days: daysBetween(from, to) } };
};

/**
 * The month `now` is in, from its 1st to today, on the shop's wall clock: what `peakline report` shows when
 * no range is given (the month so far, the figures a shop owner asks for before the monthly report comes).
 */
export const monthSoFar = (now: Date, timeZone: string): { from: Day; to: Day } => {
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  return { from: today.startOf('month').toISODate() ?? '', to: today.toISODate() ?? '' };
};

/** The calendar month before the one `now` is in, on the shop's wall clock: the monthly report's range. */
export const lastMonth = (now: Date, timeZone: string): { from: Day; to: Day } => {
  const thisMonth = DateTime.fromJSDate(now, { zone: timeZone }).startOf('month');
  const previous = thisMonth.minus({ months: 1 });
  return { from: previous.toISODate() ?? '', to: thisMonth.minus({ days: 1 }).toISODate() ?? '' };
};
