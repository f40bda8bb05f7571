import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOpenAt, nextOpenMoment, WEEKDAYS, type WeeklyHours } from '#core/callbacks/business-hours.js';
import { DEFAULT_CONFIG } from './fixtures.js';

// Inputs are written with the offset the centre's clock shows, answers as UTC instants, so every row
// can be checked against a calendar without time zone code.
const HOURS: WeeklyHours = DEFAULT_CONFIG.connect.hours; // Mon-Fri 08:00-20:00, Sat 09:00-17:00

interface Row {
  readonly at: string;
  readonly opens: string;
}

describe('nextOpenMoment with the default hours in Warsaw (2026-01-14 is a Wednesday)', () => {
  it.each<Row>([
    { at: '2026-01-14T10:00:00+01:00', opens: '2026-01-14T09:00:00.000Z' }, // open: the same instant
    { at: '2026-01-14T07:59:59+01:00', opens: '2026-01-14T07:00:00.000Z' }, // a second before opening
    { at: '2026-01-14T08:00:00+01:00', opens: '2026-01-14T07:00:00.000Z' }, // open is inclusive
    { at: '2026-01-14T19:59:59.999+01:00', opens: '2026-01-14T18:59:59.999Z' }, // the last moment
    { at: '2026-01-14T20:00:00+01:00', opens: '2026-01-15T07:00:00.000Z' }, // close is exclusive
    { at: '2026-01-14T23:59:59+01:00', opens: '2026-01-15T07:00:00.000Z' }, // before midnight
    { at: '2026-01-15T00:00:00+01:00', opens: '2026-01-15T07:00:00.000Z' }, // at midnight
    { at: '2026-01-16T20:00:00+01:00', opens: '2026-01-17T08:00:00.000Z' }, // Friday night -> Saturday 09:00
    { at: '2026-01-17T17:00:00+01:00', opens: '2026-01-19T07:00:00.000Z' }, // Saturday close -> Monday
    { at: '2026-01-18T12:00:00+01:00', opens: '2026-01-19T07:00:00.000Z' }, // Sunday is closed
    { at: '2026-01-19T00:00:00+01:00', opens: '2026-01-19T07:00:00.000Z' }, // Monday midnight
  ])('$at -> $opens', ({ at, opens }) => {
    // Act
    const moment = nextOpenMoment(new Date(at), HOURS, 'Europe/Warsaw');

    // Assess
    expect(moment.toISOString()).toBe(opens);
  });
});

describe('nextOpenMoment: one instant, the hours in different zones', () => {
  // 07:30 UTC on Wednesday 2026-01-14.
  it.each([
    { zone: 'Europe/Warsaw', opens: '2026-01-14T07:30:00.000Z' }, // 08:30: open
    { zone: 'Europe/Helsinki', opens: '2026-01-14T07:30:00.000Z' }, // 09:30: open
    { zone: 'Europe/London', opens: '2026-01-14T08:00:00.000Z' }, // 07:30: opens at 08:00 GMT
    { zone: 'America/New_York', opens: '2026-01-14T13:00:00.000Z' }, // 02:30 EST: opens 08:00 EST
    { zone: 'Pacific/Auckland', opens: '2026-01-14T19:00:00.000Z' }, // 20:30 NZDT: Thursday 08:00
    { zone: 'Asia/Kolkata', opens: '2026-01-14T07:30:00.000Z' }, // 13:00 IST: open
  ])('$zone -> $opens', ({ zone, opens }) => {
    // Act
    const moment = nextOpenMoment(new Date('2026-01-14T07:30:00Z'), HOURS, zone);

    // Assess
    expect(moment.toISOString()).toBe(opens);
  });
});

describe('nextOpenMoment on the nights the clocks change', () => {
  it.each<Row & { readonly name: string; readonly zone: string; readonly hours: WeeklyHours }>([
    // Europe springs forward at 01:00 UTC on Sunday 2026-03-29: 02:00-03:00 does not exist in Warsaw.
    {
      name: 'an opening at 02:00 on the spring-forward night opens when the clocks jump to 03:00',
      zone: 'Europe/Warsaw',
      hours: { sun: { open: '02:00', close: '10:00' } },
      at: '2026-03-29T01:30:00+01:00',
      opens: '2026-03-29T01:00:00.000Z',
    },
    {
      name: 'an opening at 02:30, in the skipped hour, also opens at the jump',
      zone: 'Europe/Warsaw',
      hours: { sun: { open: '02:30', close: '10:00' } },
      at: '2026-03-29T00:00:00+01:00',
      opens: '2026-03-29T01:00:00.000Z',
    },
    {
      name: 'hours wholly inside the skipped hour do not open that night: the week with one open day goes on',
      zone: 'Europe/Warsaw',
      hours: { sun: { open: '02:00', close: '02:30' } },
      at: '2026-03-29T00:00:00+01:00',
      opens: '2026-04-05T00:00:00.000Z',
    },
    {
      name: 'Saturday close to Monday across the spring change: Monday 08:00 is summer time',
      zone: 'Europe/Warsaw',
      hours: HOURS,
      at: '2026-03-28T17:00:00+01:00',
      opens: '2026-03-30T06:00:00.000Z',
    },
    // Europe falls back at 01:00 UTC on Sunday 2026-10-25: 02:00-03:00 happens twice in Warsaw.
    {
      name: 'an opening at 02:30 in the repeated hour opens at its first reading',
      zone: 'Europe/Warsaw',
      hours: { sun: { open: '02:30', close: '04:00' } },
      at: '2026-10-25T02:00:00+02:00',
      opens: '2026-10-25T00:30:00.000Z',
    },
    {
      name: 'once open, the second 02:10 is still open',
      zone: 'Europe/Warsaw',
      hours: { sun: { open: '02:30', close: '04:00' } },
      at: '2026-10-25T02:10:00+01:00',
      opens: '2026-10-25T01:10:00.000Z',
    },
    {
      name: 'a close at 02:30 closes at its first reading: the day does not open again in the repeated hour',
      zone: 'Europe/Warsaw',
      hours: { sun: { open: '01:00', close: '02:30' } },
      at: '2026-10-25T02:10:00+01:00',
      opens: '2026-11-01T00:00:00.000Z',
    },
    {
      name: 'Saturday close to Monday across the autumn change: Monday 08:00 is winter time',
      zone: 'Europe/Warsaw',
      hours: HOURS,
      at: '2026-10-24T17:00:00+02:00',
      opens: '2026-10-26T07:00:00.000Z',
    },
    // New York springs forward at 02:00 local on Sunday 2026-03-08.
    {
      name: 'New York: 02:00 on the spring-forward night opens at 03:00 EDT',
      zone: 'America/New_York',
      hours: { sun: { open: '02:00', close: '12:00' } },
      at: '2026-03-08T01:30:00-05:00',
      opens: '2026-03-08T07:00:00.000Z',
    },
    // Lord Howe Island moves its clocks by half an hour, 02:00 -> 02:30, on Sunday 2026-10-04.
    {
      name: 'Lord Howe: a half-hour jump opens at 02:30',
      zone: 'Australia/Lord_Howe',
      hours: { sun: { open: '02:00', close: '05:00' } },
      at: '2026-10-04T01:00:00+10:30',
      opens: '2026-10-03T15:30:00.000Z',
    },
  ])('$name', ({ zone, hours, at, opens }) => {
    // Act
    const moment = nextOpenMoment(new Date(at), hours, zone);

    // Assess
    expect(moment.toISOString()).toBe(opens);
    expect(isOpenAt(moment, hours, zone)).toBe(true);
  });

  it('is closed a millisecond before the spring-forward opening and open at it', () => {
    // Prepare
    const hours: WeeklyHours = { sun: { open: '02:00', close: '10:00' } };

    // Act
    const before = isOpenAt(new Date('2026-03-29T00:59:59.999Z'), hours, 'Europe/Warsaw');
    const at = isOpenAt(new Date('2026-03-29T01:00:00.000Z'), hours, 'Europe/Warsaw');

    // Assess
    expect([before, at]).toEqual([false, true]);
  });
});

describe('opening hours that make no sense are refused', () => {
  it.each([
    { name: 'no open day', hours: {}, message: /no day is open/ },
    { name: 'close before open', hours: { mon: { open: '10:00', close: '09:00' } }, message: /closes/ },
    { name: 'not HH:MM', hours: { mon: { open: '8:00', close: '20:00' } }, message: /HH:MM/ },
  ])('$name', ({ hours, message }) => {
    // Act
    const act = () => nextOpenMoment(new Date('2026-01-14T10:00:00Z'), hours, 'Europe/Warsaw');

    // Assess
    expect(act).toThrow(message);
  });

  it('refuses a zone that is not an IANA zone', () => {
    // Act
    const act = () => isOpenAt(new Date('2026-01-14T10:00:00Z'), HOURS, 'Europe/Warszawa');

    // Assess
    expect(act).toThrow(/Unknown IANA time zone/);
  });
});

const ZONES = [
  'Europe/Warsaw',
  'Europe/Helsinki',
  'America/New_York',
  'America/Santiago',
  'Pacific/Auckland',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
];

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** One day's hours on minute boundaries, as Connect's are; open before close. */
const dayHours = fc
  .integer({ min: 0, max: 1438 })
  .chain((open) =>
    fc.integer({ min: open + 1, max: 1439 }).map((close) => ({ open: hhmm(open), close: hhmm(close) })),
  );

/** Any weekly hours with at least one open day. */
const weeklyHours = fc
  .array(fc.option(dayHours, { nil: undefined }), { minLength: 7, maxLength: 7 })
  .filter((days) => days.some((day) => day !== undefined))
  .map((days): WeeklyHours =>
    Object.fromEntries(WEEKDAYS.flatMap((weekday, i) => (days[i] === undefined ? [] : [[weekday, days[i]]]))),
  );

// Around every DST change of 2025-2027, in both hemispheres.
const instants = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) })
  .map((ms) => new Date(ms));

describe('nextOpenMoment, for any hours, zone and instant', () => {
  it('is open, never earlier than the input, the input itself when open, and the first open moment', () => {
    fc.assert(
      fc.property(weeklyHours, fc.constantFrom(...ZONES), instants, (hours, zone, at) => {
        // Act
        const moment = nextOpenMoment(at, hours, zone);

        // Assess
        expect(isOpenAt(moment, hours, zone)).toBe(true);
        expect(moment.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(moment.getTime() === at.getTime()).toBe(isOpenAt(at, hours, zone));
        if (moment.getTime() > at.getTime()) {
          // An opening edge, and nothing open between the input and it (sampled).
          expect(isOpenAt(new Date(moment.getTime() - 1), hours, zone)).toBe(false);
          const span = moment.getTime() - at.getTime();
          for (let i = 0; i < 16; i += 1) {
            expect(isOpenAt(new Date(at.getTime() + Math.floor((span * i) / 16)), hours, zone)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
