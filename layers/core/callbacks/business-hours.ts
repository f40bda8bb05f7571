/**
 * The contact centre's opening hours (config `connect.hours` in `connect.timeZone`, the same hours the
 * ContactCenterStack gives Connect): when a callback may become a task. Pure; luxon only for the zone's
 * UTC offsets.
 *
 * Each open weekday gives one interval of instants: from the first moment the local clock reads `open`
 * on that date up to (not including) the first moment it reads `close`. Read that way every DST night
 * has one answer: an `open` that falls in the hour skipped in spring opens when the clocks jump (02:30 on
 * the spring-forward night opens at 03:00, which is the first time the clock is past 02:30), and in the
 * hour repeated in autumn the first reading counts, for `open` and `close` alike, so a day is never open
 * twice.
 */
import { IANAZone } from 'luxon';

/** Monday first, the keys of the config's `connect.hours`. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DayHours {
  /** 'HH:MM' on the centre's clock. */
  readonly open: string;
  /** 'HH:MM', exclusive, later than `open` on the same day. */
  readonly close: string;
}

/** A day missing is closed; the config's `connect.hours` is this shape. */
export type WeeklyHours = Readonly<Partial<Record<Weekday, DayHours>>>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Two weeks: enough for a week with one open day whose hours a DST night swallows once. */
const SEARCH_DAYS = 15;

interface Window {
  /** Milliseconds after local midnight. */
  readonly open: number;
  readonly close: number;
}

const timeOfDayMs = (value: unknown, what: string): number => {
  const match = typeof value === 'string' ? HH_MM.exec(value) : null;
  if (!match)
    throw new RangeError(`Opening hours: ${what} must be HH:MM (00:00-23:59), got ${JSON.stringify(value)}.`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
};

/** Windows indexed Monday = 0; validated here too, as callers may build hours by hand. */
const windowsOf = (hours: WeeklyHours): (Window | undefined)[] => {
  const windows = WEEKDAYS.map((day): Window | undefined => {
    const h = hours[day];
    if (h === undefined) return undefined;
    const open = timeOfDayMs(h.open, `${day}.open`);
    const close = timeOfDayMs(h.close, `${day}.close`);
    if (close <= open)
      throw new RangeError(`Opening hours: ${day} closes (${h.close}) before it opens (${h.open}).`);
    return { open, close };
  });
  if (windows.every((w) => w === undefined)) throw new RangeError('Opening hours: no day is open.');
  return windows;
};

const zoneNamed = (timeZone: string): IANAZone => {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown IANA time zone ${JSON.stringify(timeZone)}.`);
  return zone;
};

/** The local wall clock at `instant`, written as if it were a UTC timestamp: DST becomes arithmetic. */
const wallClock = (zone: IANAZone, instant: number): number => instant + zone.offset(instant) * MINUTE_MS;

/**
 * The instants at which the local clock would read `wall` under each offset the zone uses near it. Any
 * instant reading `wall` lies within the widest offsets (-12h..+14h) of it; when the offsets 15 hours
 * either side agree with the one at `wall` (most days), that is the only one, else hourly samples over
 * the span meet every offset, both sides of a transition included.
 */
const readingsUnderNearbyOffsets = (zone: IANAZone, wall: number): number[] => {
  const offsets = new Set([
    zone.offset(wall - 15 * HOUR_MS),
    zone.offset(wall),
    zone.offset(wall + 15 * HOUR_MS),
  ]);
  if (offsets.size > 1) {
    for (let hour = -14; hour <= 14; hour += 1) offsets.add(zone.offset(wall + hour * HOUR_MS));
  }
  return [...offsets].map((offset) => wall - offset * MINUTE_MS);
};

/**
 * The first instant at which the local clock reads `wall` or, when the clocks skip it, the moment they
 * jump past it (found by bisection, so half-hour shifts such as Lord Howe's need no table).
 */
const firstReading = (zone: IANAZone, wall: number): number => {
  const candidates = readingsUnderNearbyOffsets(zone, wall);
  const exact = candidates.filter((instant) => wallClock(zone, instant) === wall).sort((a, b) => a - b);
  if (exact[0] !== undefined) return exact[0];
  let before = Math.min(...candidates); // the clock reads earlier than `wall`
  let after = Math.max(...candidates); // the clock reads later than `wall`
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(zone, middle) > wall) after = middle;
    else before = middle;
  }
  return after;
};

/** Local midnight of the date the clock shows at `instant`, as a wall value. */
const wallMidnight = (zone: IANAZone, instant: number): number => {
  const wall = wallClock(zone, instant);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
};

/** Monday = 0, for a wall value. */
const weekdayIndex = (wall: number): number => (new Date(wall).getUTCDay() + 6) % 7;

/** The open interval [start, end) of the local date starting at `midnight`; undefined when closed. */
const intervalOf = (
  zone: IANAZone,
  windows: readonly (Window | undefined)[],
  midnight: number,
): { readonly start: number; readonly end: number } | undefined => {
  const window = windows[weekdayIndex(midnight)];
  if (window === undefined) return undefined;
  const start = firstReading(zone, midnight + window.open);
  const end = firstReading(zone, midnight + window.close);
  // Hours lying wholly in a skipped hour (02:00-02:30 on the spring-forward night) open not at all.
  return end > start ? { start, end } : undefined;
};

const instantOf = (at: Date, name: string): number => {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} needs a valid date.`);
  return ms;
};

/** True while the centre is open at `at` (`close` itself is closed). */
export const isOpenAt = (at: Date, hours: WeeklyHours, timeZone: string): boolean => {
  const instant = instantOf(at, 'isOpenAt');
  const zone = zoneNamed(timeZone);
  const interval = intervalOf(zone, windowsOf(hours), wallMidnight(zone, instant));
  return interval !== undefined && instant >= interval.start && instant < interval.end;
};

/** `at` itself when the centre is open then, else the next moment it opens. */
export const nextOpenMoment = (at: Date, hours: WeeklyHours, timeZone: string): Date => {
  const instant = instantOf(at, 'nextOpenMoment');
  const zone = zoneNamed(timeZone);
  const windows = windowsOf(hours);
  const today = wallMidnight(zone, instant);
  for (let day = 0; day < SEARCH_DAYS; day += 1) {
    const interval = intervalOf(zone, windows, today + day * DAY_MS);
    if (interval === undefined || interval.end <= instant) continue;
    return new Date(Math.max(interval.start, instant));
  }
  // Unreachable with at least one open day: some week has it outside any DST night.
  throw new RangeError(`The centre does not open within ${SEARCH_DAYS} days of ${at.toISOString()}.`);
};
