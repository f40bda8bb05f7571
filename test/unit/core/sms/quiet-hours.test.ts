import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseQuietHours, type QuietHours, quietPeriodEnd } from '#core/sms/quiet-hours.js';

// The times below are written with the offset the customer's clock shows, and the answers as UTC
// instants, so that each row can be checked against a calendar without running any time zone code.
const NIGHT: QuietHours = { start: '21:00', end: '08:00' };

interface Row {
  readonly zone: string;
  readonly now: string;
  readonly releasedAt: string | undefined;
}

const nightRows = (zone: string, day: string, nextDay: string, offset: string, releaseUtc: string): Row[] => [
  { zone, now: `${day}T20:59:59${offset}`, releasedAt: undefined }, // before start
  { zone, now: `${day}T21:00:00${offset}`, releasedAt: releaseUtc }, // at start
  { zone, now: `${nextDay}T00:01:00${offset}`, releasedAt: releaseUtc }, // just after midnight
  { zone, now: `${nextDay}T07:59:59${offset}`, releasedAt: releaseUtc }, // a second before the end
  { zone, now: `${nextDay}T08:00:00${offset}`, releasedAt: undefined }, // at end: free to send
  { zone, now: `${nextDay}T12:00:00${offset}`, releasedAt: undefined }, // outside
];

describe('quietPeriodEnd, 21:00-08:00 on an ordinary night', () => {
  it.each([
    ...nightRows('Europe/Warsaw', '2026-01-15', '2026-01-16', '+01:00', '2026-01-16T07:00:00.000Z'),
    ...nightRows('Europe/Helsinki', '2026-01-15', '2026-01-16', '+02:00', '2026-01-16T06:00:00.000Z'),
    ...nightRows('Europe/Moscow', '2026-01-15', '2026-01-16', '+03:00', '2026-01-16T05:00:00.000Z'),
    ...nightRows('Europe/Moscow', '2026-07-15', '2026-07-16', '+03:00', '2026-07-16T05:00:00.000Z'),
    // January is summer in Auckland (NZDT, +13), July is winter (NZST, +12).
    ...nightRows('Pacific/Auckland', '2026-01-15', '2026-01-16', '+13:00', '2026-01-15T19:00:00.000Z'),
    ...nightRows('Pacific/Auckland', '2026-07-15', '2026-07-16', '+12:00', '2026-07-15T20:00:00.000Z'),
    ...nightRows('America/New_York', '2026-01-15', '2026-01-16', '-05:00', '2026-01-16T13:00:00.000Z'),
  ])('$zone at $now -> $releasedAt', ({ zone, now, releasedAt }) => {
    // Prepare
    const at = new Date(now);

    // Act
    const released = quietPeriodEnd(at, zone, NIGHT);

    // Assess
    expect(released?.toISOString()).toBe(releasedAt);
  });
});

describe('quietPeriodEnd on the nights the clocks change: release at 08:00 local exactly', () => {
  it.each<Row>([
    // Europe springs forward at 01:00 UTC on 2026-03-29: 08:00 is in summer time.
    { zone: 'Europe/Warsaw', now: '2026-03-28T22:00:00+01:00', releasedAt: '2026-03-29T06:00:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-03-29T01:30:00+01:00', releasedAt: '2026-03-29T06:00:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-03-29T03:00:00+02:00', releasedAt: '2026-03-29T06:00:00.000Z' },
    { zone: 'Europe/Helsinki', now: '2026-03-28T22:00:00+02:00', releasedAt: '2026-03-29T05:00:00.000Z' },
    { zone: 'Europe/Helsinki', now: '2026-03-29T04:30:00+03:00', releasedAt: '2026-03-29T05:00:00.000Z' },
    // Europe falls back at 01:00 UTC on 2026-10-25: the night is an hour longer, 08:00 is winter time.
    { zone: 'Europe/Warsaw', now: '2026-10-24T22:00:00+02:00', releasedAt: '2026-10-25T07:00:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-10-25T02:30:00+02:00', releasedAt: '2026-10-25T07:00:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-10-25T02:30:00+01:00', releasedAt: '2026-10-25T07:00:00.000Z' },
    { zone: 'Europe/Helsinki', now: '2026-10-24T22:00:00+03:00', releasedAt: '2026-10-25T06:00:00.000Z' },
    // Moscow has no DST: the same nights change nothing.
    { zone: 'Europe/Moscow', now: '2026-03-28T22:00:00+03:00', releasedAt: '2026-03-29T05:00:00.000Z' },
    { zone: 'Europe/Moscow', now: '2026-10-24T22:00:00+03:00', releasedAt: '2026-10-25T05:00:00.000Z' },
    // New York springs forward at 02:00 local on 2026-03-08 and falls back at 02:00 local on 2026-11-01.
    { zone: 'America/New_York', now: '2026-03-07T22:00:00-05:00', releasedAt: '2026-03-08T12:00:00.000Z' },
    { zone: 'America/New_York', now: '2026-03-08T03:15:00-04:00', releasedAt: '2026-03-08T12:00:00.000Z' },
    { zone: 'America/New_York', now: '2026-10-31T22:00:00-04:00', releasedAt: '2026-11-01T13:00:00.000Z' },
    { zone: 'America/New_York', now: '2026-11-01T01:30:00-05:00', releasedAt: '2026-11-01T13:00:00.000Z' },
    // Auckland's DST ends on 2026-04-05 and starts on 2026-09-27 (southern hemisphere).
    { zone: 'Pacific/Auckland', now: '2026-04-04T22:00:00+13:00', releasedAt: '2026-04-04T20:00:00.000Z' },
    { zone: 'Pacific/Auckland', now: '2026-09-26T22:00:00+12:00', releasedAt: '2026-09-26T19:00:00.000Z' },
  ])('$zone at $now -> $releasedAt', ({ zone, now, releasedAt }) => {
    // Prepare
    const at = new Date(now);

    // Act
    const released = quietPeriodEnd(at, zone, NIGHT);

    // Assess
    expect(released?.toISOString()).toBe(releasedAt);
  });
});

describe('quietPeriodEnd when the end itself falls in the hour the clocks skip or repeat', () => {
  const UNTIL_HALF_PAST_TWO: QuietHours = { start: '22:00', end: '02:30' };

  it.each<Row>([
    // 02:30 does not exist that night: the first instant after it is the jump itself, 03:00 summer time.
    { zone: 'Europe/Warsaw', now: '2026-03-28T23:00:00+01:00', releasedAt: '2026-03-29T01:00:00.000Z' },
    { zone: 'America/New_York', now: '2026-03-07T23:00:00-05:00', releasedAt: '2026-03-08T07:00:00.000Z' },
    // 02:30 happens twice: the first one releases; in the repeated hour it is the second one, never a
    // moment that has already passed.
    { zone: 'Europe/Warsaw', now: '2026-10-24T23:00:00+02:00', releasedAt: '2026-10-25T00:30:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-10-25T02:15:00+01:00', releasedAt: '2026-10-25T01:30:00.000Z' },
  ])('$zone at $now -> $releasedAt', ({ zone, now, releasedAt }) => {
    // Prepare
    const at = new Date(now);

    // Act
    const released = quietPeriodEnd(at, zone, UNTIL_HALF_PAST_TWO);

    // Assess
    expect(released?.toISOString()).toBe(releasedAt);
  });

  it('counts a start the clocks skip over as passed once they have jumped', () => {
    // Prepare
    const quiet: QuietHours = { start: '02:30', end: '08:00' };

    // Act
    const beforeJump = quietPeriodEnd(new Date('2026-03-29T01:59:00+01:00'), 'Europe/Warsaw', quiet);
    const afterJump = quietPeriodEnd(new Date('2026-03-29T03:00:00+02:00'), 'Europe/Warsaw', quiet);

    // Assess
    expect(beforeJump).toBeUndefined();
    expect(afterJump?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });
});

describe('quietPeriodEnd with a window inside one day (13:00-14:00)', () => {
  const LUNCH: QuietHours = { start: '13:00', end: '14:00' };

  it.each<Row>([
    { zone: 'Europe/Warsaw', now: '2026-01-15T12:59:59+01:00', releasedAt: undefined },
    { zone: 'Europe/Warsaw', now: '2026-01-15T13:00:00+01:00', releasedAt: '2026-01-15T13:00:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-01-15T13:59:00+01:00', releasedAt: '2026-01-15T13:00:00.000Z' },
    { zone: 'Europe/Warsaw', now: '2026-01-15T14:00:00+01:00', releasedAt: undefined },
    { zone: 'Europe/Warsaw', now: '2026-01-15T23:30:00+01:00', releasedAt: undefined },
    { zone: 'Europe/Warsaw', now: '2026-01-16T02:00:00+01:00', releasedAt: undefined },
  ])('$zone at $now -> $releasedAt', ({ zone, now, releasedAt }) => {
    // Prepare
    const at = new Date(now);

    // Act
    const released = quietPeriodEnd(at, zone, LUNCH);

    // Assess
    expect(released?.toISOString()).toBe(releasedAt);
  });
});

describe('quietPeriodEnd with start equal to end', () => {
  it.each(['2026-01-15T08:00:00+01:00', '2026-01-15T03:00:00+01:00', '2026-01-15T22:00:00+01:00'])(
    'never holds a message back (at %s)',
    (now) => {
      // Prepare
      const off: QuietHours = { start: '08:00', end: '08:00' };

      // Act
      const released = quietPeriodEnd(new Date(now), 'Europe/Warsaw', off);

      // Assess
      expect(released).toBeUndefined();
    },
  );
});

describe('quietPeriodEnd with bad input', () => {
  it('names an unknown time zone', () => {
    // Prepare
    const now = new Date('2026-01-15T22:00:00Z');

    // Act
    const act = () => quietPeriodEnd(now, 'Europe/Atlantis', NIGHT);

    // Assess
    expect(act).toThrow(/Europe\/Atlantis/);
  });

  it('rejects quiet hours that were never parsed', () => {
    // Prepare
    const quiet: QuietHours = { start: '9pm', end: '08:00' };

    // Act
    const act = () => quietPeriodEnd(new Date('2026-01-15T22:00:00Z'), 'Europe/Warsaw', quiet);

    // Assess
    expect(act).toThrow(/start .*HH:MM.*"9pm"/);
  });
});

describe('parseQuietHours', () => {
  it('accepts 24-hour HH:MM times', () => {
    // Prepare
    const value = { start: '21:00', end: '08:00' };

    // Act
    const quiet = parseQuietHours(value);

    // Assess
    expect(quiet).toEqual({ start: '21:00', end: '08:00' });
  });

  it.each([
    { start: '8:00', end: '08:00', wrong: 'start' },
    { start: '24:00', end: '08:00', wrong: 'start' },
    { start: '21:00', end: '08:60', wrong: 'end' },
    { start: '21:00', end: '', wrong: 'end' },
    { start: '21:00', end: '08:00:00', wrong: 'end' },
  ])('rejects $start-$end, naming the $wrong', ({ start, end, wrong }) => {
    // Prepare
    const value = { start, end };

    // Act
    const act = () => parseQuietHours(value);

    // Assess
    expect(act).toThrow(new RegExp(`Quiet hours ${wrong} must be a 24-hour time of day as HH:MM`));
  });
});

describe('quietPeriodEnd, properties', () => {
  const ZONES = [
    'Europe/Warsaw',
    'Europe/Helsinki',
    'Europe/Moscow',
    'Pacific/Auckland',
    'America/New_York',
    'Australia/Lord_Howe', // its clocks move by half an hour
  ];
  // Instants when these zones change their clocks, so that the runs land on those nights often.
  const CLOCK_CHANGES = [
    '2026-03-08T07:00:00Z',
    '2026-03-29T01:00:00Z',
    '2026-04-04T14:00:00Z',
    '2026-04-04T15:00:00Z',
    '2026-09-26T14:00:00Z',
    '2026-10-03T15:30:00Z',
    '2026-10-25T01:00:00Z',
    '2026-11-01T06:00:00Z',
  ].map((iso) => Date.parse(iso));
  const HOUR = 3_600_000;

  // Half the times fall between 01:00 and 04:00, where clocks are skipped and repeated.
  const clockTime = fc
    .oneof(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 60, max: 4 * 60 - 1 }))
    .map((minutes) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);
  const nearAClockChange = fc
    .tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: -30 * HOUR, max: 30 * HOUR }))
    .map(([change, shift]) => new Date(change + shift));
  const anyTime = fc.date({
    min: new Date('2025-01-01T00:00:00Z'),
    max: new Date('2028-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  const cases = fc.record({
    zone: fc.constantFrom(...ZONES),
    now: fc.oneof(nearAClockChange, anyTime),
    quiet: fc.record({ start: clockTime, end: clockTime }),
  });

  it('holds a message exactly when the local clock is inside the window', () => {
    fc.assert(
      fc.property(cases, ({ zone, now, quiet }) => {
        // Prepare
        const local = DateTime.fromJSDate(now, { zone });
        const minute = local.hour * 60 + local.minute;
        const [start, end] = [minutesOf(quiet.start), minutesOf(quiet.end)];
        const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;

        // Act
        const released = quietPeriodEnd(now, zone, quiet);

        // Assess
        expect(released !== undefined).toBe(start !== end && inside);
      }),
      { numRuns: 1000 },
    );
  });

  it('releases after now, within a day of local time, when the local clock reads the end', () => {
    fc.assert(
      fc.property(cases, ({ zone, now, quiet }) => {
        // Act
        const released = quietPeriodEnd(now, zone, quiet);

        // Assess
        if (released === undefined) return;
        const before = DateTime.fromJSDate(now, { zone });
        const at = DateTime.fromJSDate(released, { zone });
        expect(released.getTime()).toBeGreaterThan(now.getTime());
        // A day on the customer's clock; in real time that is a day plus whatever the clocks moved.
        const moved = Math.abs(at.offset - before.offset) * 60_000;
        expect(released.getTime() - now.getTime()).toBeLessThanOrEqual(24 * HOUR + moved);

        const endsInAGap = at.toFormat('HH:mm') !== quiet.end;
        if (!endsInAGap) {
          expect(at.second * 1000 + at.millisecond).toBe(0);
          return;
        }
        // The end time did not exist that day: the release is the moment the clocks jumped over it.
        const justBefore = DateTime.fromMillis(released.getTime() - 1, { zone });
        expect(justBefore.offset).toBeLessThan(at.offset);
        expect(minutesOf(justBefore.toFormat('HH:mm'))).toBeLessThan(minutesOf(quiet.end));
        expect(minutesOf(at.toFormat('HH:mm'))).toBeGreaterThan(minutesOf(quiet.end));
      }),
      { numRuns: 1000 },
    );
  });
});

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
