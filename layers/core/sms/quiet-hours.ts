/**
 * Quiet hours: the part of the customer's night in which a transactional SMS waits instead of waking
 * them. Everything is judged by the customer's wall clock, because that is what they see when the phone
 * buzzes; the answer is a UTC instant, because that is what a scheduler can wait for.
 */
import { IANAZone } from 'luxon';

export interface QuietHours {
  /** 'HH:MM' on the customer's clock, e.g. '21:00'. */
  readonly start: string;
  /** 'HH:MM' on the customer's clock, e.g. '08:00'; earlier than `start` when the window crosses midnight. */
  readonly end: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Milliseconds after local midnight; throws a message that names the setting and the expected form. */
const timeOfDayMs = (value: unknown, name: 'start' | 'end'): number => {
  const match = typeof value === 'string' ? HH_MM.exec(value) : null;
  if (!match) {
    throw new Error(
      `Quiet hours ${name} must be a 24-hour time of day as HH:MM (00:00-23:59), got ${JSON.stringify(value)}.`,
    );
  }
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
};

export const parseQuietHours = (value: { start: string; end: string }): QuietHours => {
  timeOfDayMs(value.start, 'start');
  timeOfDayMs(value.end, 'end');
  return Object.freeze({ start: value.start, end: value.end });
};

const zoneNamed = (timeZone: string): IANAZone => {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown IANA time zone ${JSON.stringify(timeZone)}.`);
  return zone;
};

/**
 * The customer's wall clock at `instant`, written as if it were a UTC timestamp. Working in these plain
 * numbers keeps the DST reasoning below to additions and subtractions.
 */
const wallClock = (zone: IANAZone, instant: number): number => instant + zone.offset(instant) * MINUTE_MS;

/**
 * The instants at which the local clock would read `wall` under each UTC offset the zone uses near it.
 * Any instant reading `wall` lies within the widest offsets (-12h..+14h) of it, so sampling the offsets
 * hourly over that span finds every candidate, including both sides of a transition.
 */
const readingsUnderNearbyOffsets = (zone: IANAZone, wall: number): number[] => {
  const offsets = new Set<number>();
  for (let hour = -15; hour <= 15; hour += 1) offsets.add(zone.offset(wall + hour * HOUR_MS));
  return [...offsets].map((offset) => wall - offset * MINUTE_MS);
};

/**
 * Every instant at which the local clock reads `wall`, earliest first: usually one, two in the hour
 * repeated when clocks go back, none in the hour skipped when they go forward.
 */
const instantsReading = (zone: IANAZone, wall: number): number[] =>
  readingsUnderNearbyOffsets(zone, wall)
    .filter((instant) => wallClock(zone, instant) === wall)
    .sort((a, b) => a - b);

/**
 * When `wall` falls in a spring-forward gap, the first instant whose local time is past it: the moment
 * the clocks jump. It lies between the readings of `wall` under the offsets on either side of the gap,
 * and is found by bisection so that odd transitions (half-hour shifts, skipped days) need no table.
 */
const endOfGap = (zone: IANAZone, wall: number): number => {
  const readings = readingsUnderNearbyOffsets(zone, wall);
  let before = Math.min(...readings); // local clock reads earlier than `wall`
  let after = Math.max(...readings); // local clock reads later than `wall`
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(zone, middle) > wall) after = middle;
    else before = middle;
  }
  return after;
};

/**
 * The next instant strictly after `now` at which the local clock reads `wall`, or the end of the gap
 * when that clock time is skipped. Strictly after, so that in the repeated hour of an autumn night a
 * release time that already passed once is not handed back as a moment in the past.
 */
const nextReading = (zone: IANAZone, now: number, wall: number): number => {
  for (let day = 0; day < 3; day += 1) {
    const target = wall + day * DAY_MS;
    const readings = instantsReading(zone, target);
    const candidate =
      readings.length > 0 ? readings.find((instant) => instant > now) : endOfGap(zone, target);
    if (candidate !== undefined && candidate > now) return candidate;
  }
  // Unreachable for real zones: a clock that never reads a time of day three days running.
  throw new Error(`The local clock in ${zone.name} does not reach the end of quiet hours.`);
};

export const quietPeriodEnd = (now: Date, timeZone: string, quiet: QuietHours): Date | undefined => {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('quietPeriodEnd needs a valid date for now.');
  const start = timeOfDayMs(quiet.start, 'start');
  const end = timeOfDayMs(quiet.end, 'end');
  const zone = zoneNamed(timeZone);
  if (start === end) return undefined; // an empty window: the configuration's way to switch quiet hours off

  const wallNow = wallClock(zone, nowMs);
  const sinceMidnight = ((wallNow % DAY_MS) + DAY_MS) % DAY_MS;
  const crossesMidnight = start > end;
  const quietNow = crossesMidnight
    ? sinceMidnight >= start || sinceMidnight < end
    : sinceMidnight >= start && sinceMidnight < end;
  if (!quietNow) return undefined;

  // Before `end` on the clock the period ends today; otherwise (late evening) it ends tomorrow morning.
  const midnight = wallNow - sinceMidnight;
  const endWall = sinceMidnight < end ? midnight + end : midnight + DAY_MS + end;
  return new Date(nextReading(zone, nowMs, endWall));
};
