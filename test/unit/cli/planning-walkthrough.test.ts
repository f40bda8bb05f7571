/**
 * The README's planning walk-through, run through the very program `npx peakline` runs, on the bundled
 * files: last season's history -> forecast -> plan -> (the seasonal hires the plan suggests) -> simulate, at
 * the forecast and at three times it, with the planned seats and with the reserve.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForecastCsv } from '#core/planning/forecast-file.js';
import { parseSeatsCsv } from '#core/seats/csv-import.js';
import { runPeakline } from '#test/support/cli.js';

const example = (name: string) => fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));

const peakline = (...args: string[]) => runPeakline(args);

interface PlanJson {
  readonly from: string;
  readonly to: string;
  readonly peak: { readonly start: string; readonly scheduledWhole: number };
  readonly seats: readonly { readonly type: string; readonly permanent: number; readonly seasonal: number }[];
}

interface SimulateJson {
  readonly rows: readonly { readonly key: string; readonly serviceLevel: { readonly mean: number } | null }[];
}

/** A queue's mean service level; a missing row fails the test rather than reading as 0. */
const serviceLevelOf = (day: SimulateJson, key: string): number => {
  const level = day.rows.find((r) => r.key === key)?.serviceLevel?.mean;
  if (level === undefined) throw new Error(`no service level for ${key} in the simulation`);
  return level;
};

describe('the planning walk-through on the bundled files', () => {
  let dir = '';
  let forecastFile = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peakline-walkthrough-'));
    forecastFile = join(dir, 'forecast.csv');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('forecasts 2027 from the 2026 season, plans its seats, and the planned seats give the target service on the peak day', async () => {
    // Act 1: forecast
    const forecast = await peakline(
      'forecast',
      '--history',
      example('last-season.csv'),
      '--growth',
      '1.4',
      '--year',
      '2027',
      '--out',
      forecastFile,
    );

    // Assess 1: a whole season of 2027 in quarter hours, read back without a refused row
    expect(forecast.exitCode).toBe(0);
    const { intervals, errors } = parseForecastCsv(await readFile(forecastFile, 'utf8'));
    expect(errors).toEqual([]);
    expect(intervals[0]?.start.startsWith('2027-10-01')).toBe(true);
    expect(intervals.at(-1)?.start.startsWith('2027-12-31')).toBe(true);
    expect(new Set(intervals.map((i) => i.minutes))).toEqual(new Set([15]));
    expect(forecast.err).toContain('black-friday 2026-11-27 -> 2027-11-26');

    // Act 2: plan over the permanent staff
    const planned = await peakline(
      'plan',
      '--forecast',
      forecastFile,
      '--permanent',
      example('permanent-seats.csv'),
      '--json',
    );

    // Assess 2: the peak falls in Black Friday's week, and seasonal seats are needed on top of the permanent
    expect(planned.exitCode).toBe(0);
    const plan = JSON.parse(planned.out) as PlanJson;
    expect(plan.peak.start >= '2027-11-26' && plan.peak.start < '2027-12-01').toBe(true);
    const seasonal = Object.fromEntries(plan.seats.map((s) => [s.type, s.seasonal]));
    expect(seasonal.voice).toBeGreaterThan(0);

    // The bundled seasonal hires are the batch this plan asks for (within a tenth), so the README's
    // walk-through imports what it planned.
    const hires = parseSeatsCsv(await readFile(example('seasonal-seats.csv'), 'utf8'), {
      now: new Date('2027-10-01T09:00:00+02:00'),
      timeZone: 'Europe/Warsaw',
    }).seats;
    for (const type of ['voice', 'chat-2', 'light']) {
      const hired = hires.filter((s) => s.type === type).length;
      expect(Math.abs(hired - (seasonal[type] ?? 0))).toBeLessThanOrEqual(0.1 * (seasonal[type] ?? 0));
    }

    // Act 3: replay the busiest day with the permanent staff and the seasonal hires
    const simulated = await peakline(
      'simulate',
      '--forecast',
      forecastFile,
      '--seats',
      example('permanent-seats.csv'),
      '--seats',
      example('seasonal-seats.csv'),
      '--seed',
      '7',
      '--json',
    );

    // Assess 3: what the plan promised (80% of calls in 20 s, chats 80% in 30 s) holds on the day
    expect(simulated.exitCode).toBe(0);
    const day = JSON.parse(simulated.out) as SimulateJson;
    expect(serviceLevelOf(day, 'primary-voice')).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevelOf(day, 'primary-chat')).toBeGreaterThanOrEqual(0.8);

    // Act 4: three times the demand, first with those seats, then with the x3 reserve the plan wrote
    const x3Seats = join(dir, 'seats.csv');
    await peakline(
      'plan',
      '--forecast',
      forecastFile,
      '--permanent',
      example('permanent-seats.csv'),
      '--seats-out',
      x3Seats,
    );
    const x3 = (...seats: string[]) =>
      peakline('simulate', '--forecast', forecastFile, ...seats, '--scenario', 'x3', '--seed', '7', '--json');
    const short = JSON.parse(
      (await x3('--seats', example('permanent-seats.csv'), '--seats', example('seasonal-seats.csv'))).out,
    ) as SimulateJson;
    const reserved = JSON.parse((await x3('--seats', join(dir, 'seats-x3.csv'))).out) as SimulateJson;

    // Assess 4: seed 002's December (x3 on the planned seats) misses the target; the reserve restores it
    expect(serviceLevelOf(short, 'primary-voice')).toBeLessThan(0.8);
    expect(serviceLevelOf(reserved, 'primary-voice')).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevelOf(reserved, 'primary-chat')).toBeGreaterThanOrEqual(0.8);
  });
});
