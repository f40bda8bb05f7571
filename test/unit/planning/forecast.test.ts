import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { backtest } from '#core/planning/backtest.js';
import { buildSeason, forecast } from '#core/planning/forecast.js';
import { parseHistoryCsv } from '#core/planning/history-file.js';
import { SPECIAL_DAY_NAMES, type SpecialDayOverride } from '#core/planning/peak-days.js';
import { dailyTotals, syntheticHistoryCsv, type SyntheticHistory } from './forecast-synthetic.js';

const ZONE = 'Europe/Warsaw';

/** A distinct volume per weekday (luxon numbering, Monday 1), so a day's total names its source's weekday. */
const WEEKDAY_LEVEL = [0, 70, 20, 30, 40, 50, 60, 10];

/** Open 8:00 to 20:00; a quarter hour's contacts are the weekday's level times the hour. */
const weekdayHistory = (overrides: Partial<SyntheticHistory> = {}): SyntheticHistory => ({
  from: '2026-10-01',
  to: '2026-12-31',
  contacts: (t) => (t.hour >= 8 && t.hour < 20 ? (WEEKDAY_LEVEL[t.weekday] ?? 0) * t.hour : undefined),
  ...overrides,
});

const seasonOf = (history: SyntheticHistory, minutes: 15 | 30 = history.minutes ?? 15) =>
  buildSeason(parseHistoryCsv(syntheticHistoryCsv(history)).rows, minutes, history.zone ?? ZONE);

/** A day's expected total in weekdayHistory: level × (8 + … + 19) × 4 quarter hours. */
const dayTotal = (level: number) => level * 4 * (((8 + 19) * 12) / 2);

const noSpecialDays = (years: number[]): SpecialDayOverride[] =>
  years.flatMap((year) => SPECIAL_DAY_NAMES.map((name) => ({ name, year, date: null })));

describe('forecast', () => {
  it('forecasts each day from the same weekday of last season, 52 weeks earlier', () => {
    // Prepare
    const season = seasonOf(weekdayHistory());

    // Act
    const result = forecast({ season, year: 2027, growth: 1, overrides: noSpecialDays([2026, 2027]) });

    // Assess: a Tuesday from a Tuesday, not from the same date (2026-10-05 was a Monday).
    const totals = dailyTotals(result.intervals);
    for (const date of ['2027-10-05', '2027-11-11', '2027-12-25', '2027-12-31']) {
      const weekday = DateTime.fromISO(date).weekday;
      expect(totals.get(`${date} voice`)).toBeCloseTo(dayTotal(WEEKDAY_LEVEL[weekday] ?? 0), 6);
    }
    expect(result.days.find((d) => d.date === '2027-10-05')).toEqual({
      date: '2027-10-05',
      source: '2026-10-06',
      reason: 'weekday',
    });
  });

  it('covers the target year’s season, every interval on the wall clock of the contact centre', () => {
    // Act
    const result = forecast({ season: seasonOf(weekdayHistory()), year: 2027, growth: 1 });

    // Assess
    const dates = [...new Set(result.intervals.map((i) => i.start.slice(0, 10)))];
    expect(dates[0]).toBe('2027-10-01');
    expect(dates.at(-1)).toBe('2027-12-31');
    expect(result.intervals.every((i) => i.minutes === 15)).toBe(true);
    const hours = new Set(result.intervals.map((i) => Number(i.start.slice(11, 13))));
    expect(Math.min(...hours)).toBe(8);
    expect(Math.max(...hours)).toBe(19);
  });

  it('multiplies contacts by the growth and carries the AHT over', () => {
    // Prepare
    const history = weekdayHistory({ ahtSeconds: (t) => 200 + t.hour });
    const season = seasonOf(history);

    // Act
    const base = forecast({ season, year: 2027, growth: 1 });
    const grown = forecast({ season, year: 2027, growth: 1.4 });

    // Assess
    expect(grown.intervals).toHaveLength(base.intervals.length);
    grown.intervals.forEach((interval, index) => {
      const before = base.intervals[index];
      expect(interval.contacts).toBeCloseTo(1.4 * (before?.contacts ?? NaN), 9);
      expect(interval.ahtSeconds).toBeCloseTo(200 + Number(interval.start.slice(11, 13)), 9);
    });
  });

  it('keeps the intraday shape on the wall clock across the end of summer time', () => {
    // Prepare: e-mail round the clock; a quarter hour's contacts are its wall-clock hour + 1, every day.
    const season = seasonOf({
      from: '2026-10-01',
      to: '2026-11-30',
      channels: ['email'],
      contacts: (t) => t.hour + 1,
    });

    // Act
    const result = forecast({ season, year: 2027, growth: 1, overrides: noSpecialDays([2026, 2027]) });

    // Assess: 2027's clocks go back on 31 October, 2026's on 25 October; neither moves the shape.
    for (const interval of result.intervals) {
      expect(interval.contacts).toBeCloseTo(Number(interval.start.slice(11, 13)) + 1, 9);
    }
    const twoOClock = result.intervals.filter((i) => i.start.startsWith('2027-10-31T02:00'));
    expect(twoOClock.map((i) => i.start)).toEqual(['2027-10-31T02:00:00+02:00', '2027-10-31T02:00:00+01:00']);
    expect(result.intervals.filter((i) => i.start.startsWith('2027-10-31'))).toHaveLength(100);
    expect(result.intervals.filter((i) => i.start.startsWith('2027-10-30'))).toHaveLength(96);
  });

  it('adds 15-minute history up into 30-minute intervals when asked', () => {
    // Prepare
    const history = weekdayHistory();

    // Act
    const result = forecast({ season: seasonOf(history, 30), year: 2027, growth: 1 });

    // Assess: 9:00 and 9:15 of a Monday (level 70 x hour 9 each) make the 9:00 half hour.
    const monday = result.intervals.find((i) => i.start === '2027-10-04T09:00:00+02:00');
    expect(monday).toMatchObject({ minutes: 30, contacts: 2 * 70 * 9 });
    expect(result.intervals.some((i) => i.start.slice(14, 16) === '15')).toBe(false);
  });

  it('moves Black Friday to the target year’s date and gives the day it displaced an ordinary curve', () => {
    // Prepare: 2029's Black Friday (23 November) is three times an ordinary Friday. In 2030 it falls on
    // 29 November, while 52 weeks after 23 November 2029 is 22 November 2030.
    const blackFriday = '2029-11-23';
    const season = seasonOf(
      weekdayHistory({
        from: '2029-10-01',
        to: '2029-12-31',
        contacts: (t) => {
          if (t.hour < 8 || t.hour >= 20) return undefined;
          const level = (WEEKDAY_LEVEL[t.weekday] ?? 0) * t.hour;
          return t.toISODate() === blackFriday ? 3 * level : level;
        },
      }),
    );

    // Act
    const result = forecast({ season, year: 2030, growth: 1.5 });

    // Assess
    const totals = dailyTotals(result.intervals);
    const friday = dayTotal(WEEKDAY_LEVEL[5] ?? 0);
    expect(totals.get('2030-11-29 voice')).toBeCloseTo(1.5 * 3 * friday, 6);
    expect(totals.get('2030-11-22 voice')).toBeCloseTo(1.5 * friday, 6);
    expect(result.days.find((d) => d.date === '2030-11-29')).toMatchObject({
      reason: 'special',
      source: blackFriday,
    });
    expect(result.days.find((d) => d.date === '2030-11-22')).toMatchObject({ reason: 'displaced' });
    expect(result.specialDays).toContainEqual({
      name: 'black-friday',
      history: blackFriday,
      target: '2030-11-29',
    });
  });

  it('puts a peak day on the date the user gives for it', () => {
    // Prepare: the free-delivery day of 2026 (8 December) doubled; in 2027 it is held on Thursday 9 December.
    const season = seasonOf(
      weekdayHistory({
        contacts: (t) => {
          if (t.hour < 8 || t.hour >= 20) return undefined;
          const level = (WEEKDAY_LEVEL[t.weekday] ?? 0) * t.hour;
          return t.toISODate() === '2026-12-08' ? 2 * level : level;
        },
      }),
    );

    // Act
    const result = forecast({
      season,
      year: 2027,
      growth: 1,
      overrides: [{ name: 'free-delivery', year: 2027, date: '2027-12-09' }],
    });

    // Assess
    const totals = dailyTotals(result.intervals);
    expect(totals.get('2027-12-09 voice')).toBeCloseTo(2 * dayTotal(WEEKDAY_LEVEL[2] ?? 0), 6);
    expect(totals.get('2027-12-14 voice')).toBeCloseTo(dayTotal(WEEKDAY_LEVEL[2] ?? 0), 6);
  });

  it('forecasts a closed special day as closed', () => {
    // Prepare: voice closed on Christmas Day 2026.
    const season = seasonOf(
      weekdayHistory({
        contacts: (t) =>
          t.toISODate() === '2026-12-25' || t.hour < 8 || t.hour >= 20
            ? undefined
            : (WEEKDAY_LEVEL[t.weekday] ?? 0),
      }),
    );

    // Act
    const result = forecast({ season, year: 2027, growth: 1 });

    // Assess
    expect(result.intervals.filter((i) => i.start.startsWith('2027-12-25'))).toEqual([]);
    expect(result.intervals.filter((i) => i.start.startsWith('2027-12-24'))).toHaveLength(48);
  });
});

describe('backtest', () => {
  it('finds no error in a history that repeats every week', () => {
    // Act
    const result = backtest(seasonOf(weekdayHistory({ channels: ['voice', 'chat'] })));

    // Assess
    expect(result.days).toBeGreaterThan(60);
    expect(result.total.wape).toEqual({ interval: 0, day: 0, week: 0 });
    for (const channel of result.byChannel) expect(channel.wape).toEqual({ interval: 0, day: 0, week: 0 });
  });

  it('measures a known error: 10% growth a week, forecast from the week before, is 1 - 1/1.1 off', () => {
    // Prepare
    const start = DateTime.fromISO('2026-10-05', { zone: ZONE });
    const season = seasonOf(
      weekdayHistory({
        from: '2026-10-05',
        to: '2026-11-29',
        contacts: (t) =>
          t.hour >= 8 && t.hour < 20
            ? (WEEKDAY_LEVEL[t.weekday] ?? 0) * t.hour * 1.1 ** Math.floor(t.diff(start, 'weeks').weeks)
            : undefined,
      }),
    );

    // Act
    const result = backtest(season, noSpecialDays([2026]));

    // Assess
    expect(result.days).toBe(49);
    expect(result.total.wape.interval).toBeCloseTo(1 - 1 / 1.1, 9);
    expect(result.total.wape.day).toBeCloseTo(1 - 1 / 1.1, 9);
    expect(result.total.wape.week).toBeCloseTo(1 - 1 / 1.1, 9);
  });

  it('leaves the special days out', () => {
    // Act
    const result = backtest(seasonOf(weekdayHistory()));

    // Assess
    expect(result.skipped).toContain('2026-11-27');
    expect(result.skipped).toContain('2026-12-24');
  });
});
