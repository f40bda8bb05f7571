/**
 * The days of a season that do not follow the weekday pattern: the shop's moving peak days and the fixed
 * holidays. Their dates move against the weekdays from year to year, so the forecast takes each one's
 * curve from the same named day of last season instead of from the same weekday (see forecast.ts).
 *
 * Rules (a date of any of them can be overridden per year, e.g. `--peak-day black-friday=2027-11-26`):
 * - black-friday: the day after the fourth Thursday of November, US Thanksgiving (5 U.S.C. § 6103(a):
 *   "Thanksgiving Day, the fourth Thursday in November").
 * - black-saturday, black-sunday: the weekend after Black Friday (its offers run on).
 * - cyber-monday: the Monday after Black Friday (the name the US National Retail Federation's Shop.org
 *   gave that Monday in 2005).
 * - free-delivery: Poland's Dzień Darmowej Dostawy. The organiser picks the date each year; the default is
 *   the second Tuesday of December (the 2019 edition ran on Tuesday 10 December 2019 per its rules).
 * - last-shipping: the last day a parcel sent with standard delivery still arrives before Christmas. The
 *   carriers announce it each year; the default is the last Monday-to-Friday day on or before 20 December.
 * - last-shipping-1, -2, -3: the run-up, the first, second and third Monday-to-Friday day before it.
 * The days after Black Friday and before the last shipping day follow those days' dates, overridden or
 * not (unless overridden themselves): move Black Friday and its weekend and Cyber Monday move with it.
 * - Polish public holidays with fixed dates in the season (Ustawa z dnia 18 stycznia 1951 r. o dniach
 *   wolnych od pracy, art. 1, as amended; 24 December is a holiday from 2025): all-saints (1 November),
 *   independence-day (11 November), christmas-eve (24 December), christmas (25), boxing-day (26), and
 *   new-years-eve (31 December, not a holiday, but short opening hours).
 */
import { DateTime } from 'luxon';

export const PEAK_DAY_NAMES = [
  'black-friday',
  'black-saturday',
  'black-sunday',
  'cyber-monday',
  'free-delivery',
  'last-shipping',
  'last-shipping-1',
  'last-shipping-2',
  'last-shipping-3',
] as const;
export const HOLIDAY_NAMES = [
  'all-saints',
  'independence-day',
  'christmas-eve',
  'christmas',
  'boxing-day',
  'new-years-eve',
] as const;
export const SPECIAL_DAY_NAMES = [...PEAK_DAY_NAMES, ...HOLIDAY_NAMES] as const;
export type SpecialDayName = (typeof SPECIAL_DAY_NAMES)[number];

export const isSpecialDayName = (value: string): value is SpecialDayName =>
  (SPECIAL_DAY_NAMES as readonly string[]).includes(value);

/** A date chosen by the user for one special day of one year; `null` means the day is not kept that year. */
export interface SpecialDayOverride {
  readonly name: SpecialDayName;
  readonly year: number;
  readonly date: string | null;
}

const LUXON_TUESDAY = 2;
const LUXON_THURSDAY = 4;
const LUXON_FRIDAY = 5;

const day = (year: number, month: number, dayOfMonth: number): DateTime =>
  DateTime.utc(year, month, dayOfMonth);

/** The n-th given weekday (luxon numbering, Monday 1) of a month. */
const nthWeekday = (year: number, month: number, weekday: number, n: number): DateTime => {
  const first = day(year, month, 1);
  return first.plus({ days: ((weekday - first.weekday + 7) % 7) + 7 * (n - 1) });
};

const blackFriday = (year: number): DateTime => nthWeekday(year, 11, LUXON_THURSDAY, 4).plus({ days: 1 });

/** The n-th Monday-to-Friday day before a date. */
const workingDaysBefore = (date: DateTime, n: number): DateTime => {
  let d = date;
  for (let left = n; left > 0;) {
    d = d.minus({ days: 1 });
    if (d.weekday <= LUXON_FRIDAY) left -= 1;
  }
  return d;
};

type Rule = (year: number, dateOf: (name: SpecialDayName) => DateTime | null) => DateTime | null;

/** Each day's rule; a day that follows another is given that one's date as resolved (overridden or not). */
const RULES: Record<SpecialDayName, Rule> = {
  'black-friday': blackFriday,
  'black-saturday': (_, dateOf) => dateOf('black-friday')?.plus({ days: 1 }) ?? null,
  'black-sunday': (_, dateOf) => dateOf('black-friday')?.plus({ days: 2 }) ?? null,
  'cyber-monday': (_, dateOf) => dateOf('black-friday')?.plus({ days: 3 }) ?? null,
  'free-delivery': (year) => nthWeekday(year, 12, LUXON_TUESDAY, 2),
  'last-shipping': (year) => {
    const twentieth = day(year, 12, 20);
    return twentieth.weekday <= LUXON_FRIDAY
      ? twentieth
      : twentieth.minus({ days: twentieth.weekday - LUXON_FRIDAY });
  },
  'last-shipping-1': (_, dateOf) => mapDate(dateOf('last-shipping'), (d) => workingDaysBefore(d, 1)),
  'last-shipping-2': (_, dateOf) => mapDate(dateOf('last-shipping'), (d) => workingDaysBefore(d, 2)),
  'last-shipping-3': (_, dateOf) => mapDate(dateOf('last-shipping'), (d) => workingDaysBefore(d, 3)),
  'all-saints': (year) => day(year, 11, 1),
  'independence-day': (year) => day(year, 11, 11),
  'christmas-eve': (year) => day(year, 12, 24),
  christmas: (year) => day(year, 12, 25),
  'boxing-day': (year) => day(year, 12, 26),
  'new-years-eve': (year) => day(year, 12, 31),
};

const mapDate = (date: DateTime | null, f: (d: DateTime) => DateTime): DateTime | null =>
  date === null ? null : f(date);

/** Every special day's date in a year (null: none that year), the overrides for that year applied. */
const resolve = (
  year: number,
  overrides: readonly SpecialDayOverride[],
): Map<SpecialDayName, DateTime | null> => {
  const resolved = new Map<SpecialDayName, DateTime | null>();
  const dateOf = (name: SpecialDayName): DateTime | null => {
    const known = resolved.get(name);
    if (known !== undefined) return known;
    const override = overrides.find((o) => o.name === name && o.year === year);
    const date =
      override === undefined
        ? RULES[name](year, dateOf)
        : override.date === null
          ? null
          : DateTime.fromISO(override.date, { zone: 'utc' });
    resolved.set(name, date);
    return date;
  };
  for (const name of SPECIAL_DAY_NAMES) dateOf(name);
  return resolved;
};

/** The default date of a special day in a year, by its rule, as YYYY-MM-DD. */
export const specialDayByRule = (name: SpecialDayName, year: number): string =>
  resolve(year, []).get(name)?.toISODate() ?? '';

/**
 * The special days of a year: name by date (YYYY-MM-DD), the rules' dates with the overrides for that
 * year applied. Two names on one date keep the first in SPECIAL_DAY_NAMES order (peak days first).
 */
export const specialDays = (
  year: number,
  overrides: readonly SpecialDayOverride[] = [],
): Map<string, SpecialDayName> => {
  const byDate = new Map<string, SpecialDayName>();
  for (const [name, date] of resolve(year, overrides)) {
    const iso = date?.toISODate();
    if (iso !== undefined && iso !== null && !byDate.has(iso)) byDate.set(iso, name);
  }
  return byDate;
};

/**
 * Reads `name=YYYY-MM-DD` (that day is the named day in its year) or `name=none:YYYY` (no such day that
 * year, e.g. a shop that skips the free-delivery day). Answers the override or a message saying what is
 * wrong.
 */
export const parseSpecialDayOverride = (text: string): SpecialDayOverride | string => {
  const match = /^([a-z0-9-]+)=(?:(\d{4}-\d{2}-\d{2})|none:(\d{4}))$/.exec(text.trim());
  if (match === null) return `${JSON.stringify(text)} is not name=YYYY-MM-DD or name=none:YYYY`;
  const name = match[1] ?? '';
  if (!isSpecialDayName(name)) return `${JSON.stringify(name)} is not one of ${SPECIAL_DAY_NAMES.join(', ')}`;
  if (match[3] !== undefined) return { name, year: Number(match[3]), date: null };
  const date = DateTime.fromISO(match[2] ?? '', { zone: 'utc' });
  if (!date.isValid) return `${JSON.stringify(match[2])} is not a calendar date`;
  return { name, year: date.year, date: date.toISODate() ?? '' };
};
