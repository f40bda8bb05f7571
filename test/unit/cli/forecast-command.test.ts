import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForecastCsv } from '#core/planning/forecast-file.js';
import { parseHistoryCsv } from '#core/planning/history-file.js';
import { PLANNING_CHANNELS } from '#core/planning/types.js';
import { runPeakline } from '#test/support/cli.js';
import { dailyTotals, syntheticHistoryCsv } from '../planning/forecast-synthetic.js';

const BUNDLED = fileURLToPath(new URL('../../../examples/last-season.csv', import.meta.url));

const peaklineForecast = (...args: string[]) => runPeakline(['forecast', ...args]);

describe('peakline forecast', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peakline-forecast-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('forecasts next season from the bundled history, Black Friday on its 2027 date, growth applied', async () => {
    // Prepare
    const history = parseHistoryCsv(await readFile(BUNDLED, 'utf8')).rows;
    const blackFriday2026 = history
      .filter((r) => r.start.startsWith('2026-11-27') && r.channel === 'voice')
      .reduce((n, r) => n + r.contacts, 0);

    // Act
    const result = await peaklineForecast('--history', BUNDLED, '--growth', '1.4');

    // Assess
    expect(result.exitCode).toBe(0);
    const parsed = parseForecastCsv(result.out);
    expect(parsed.errors).toEqual([]);
    expect(new Set(parsed.intervals.map((i) => i.start.slice(0, 4)))).toEqual(new Set(['2027']));
    expect(new Set(parsed.intervals.map((i) => i.channel))).toEqual(new Set(PLANNING_CHANNELS));
    expect(parsed.intervals.every((i) => i.minutes === 15)).toBe(true);
    const totals = dailyTotals(parsed.intervals);
    expect(totals.get('2027-11-26 voice')).toBeCloseTo(1.4 * blackFriday2026, 0);
    expect(result.err).toMatch(/black-friday 2026-11-27 -> 2027-11-26/);
    expect(result.err).toMatch(/WAPE/);
  });

  it('writes the CSV to --out and the summary and backtest as JSON with --json', async () => {
    // Prepare
    const out = join(dir, 'forecast.csv');

    // Act
    const result = await peaklineForecast(
      '--history',
      BUNDLED,
      '--growth',
      '1.2',
      '--interval',
      '30',
      '--out',
      out,
      '--json',
    );

    // Assess
    expect(result.exitCode).toBe(0);
    const parsed = parseForecastCsv(await readFile(out, 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.intervals.every((i) => i.minutes === 30)).toBe(true);
    const json = JSON.parse(result.out) as {
      year: number;
      summary: { byChannel: { channel: string; contacts: number }[]; peakDay: { date: string } };
      backtest: { days: number; total: { wape: Record<string, number>; noiseFloor: Record<string, number> } };
    };
    expect(json.year).toBe(2027);
    const voice = json.summary.byChannel.find((c) => c.channel === 'voice')?.contacts ?? NaN;
    const written = parsed.intervals.filter((i) => i.channel === 'voice').reduce((n, i) => n + i.contacts, 0);
    expect(voice).toBeCloseTo(written, 0);
    expect(json.backtest.days).toBeGreaterThan(60);
    for (const level of ['interval', 'day', 'week']) {
      expect(json.backtest.total.wape[level]).toBeGreaterThan(
        json.backtest.total.noiseFloor[level] ?? Infinity,
      );
      expect(json.backtest.total.wape[level]).toBeLessThan(1);
    }
  });

  it('puts the peak days on the dates given with --peak-day, each repeatable', async () => {
    // Prepare
    const out = join(dir, 'moved.csv');

    // Act
    const result = await peaklineForecast(
      '--history',
      BUNDLED,
      '--out',
      out,
      '--json',
      '--peak-day',
      'free-delivery=2027-12-09',
      '--peak-day',
      'last-shipping=2027-12-21',
    );

    // Assess
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.out) as {
      specialDays: { name: string; history?: string; target?: string }[];
    };
    expect(json.specialDays).toContainEqual({
      name: 'free-delivery',
      history: '2026-12-08',
      target: '2027-12-09',
    });
    expect(json.specialDays).toContainEqual({
      name: 'last-shipping',
      history: '2026-12-18',
      target: '2027-12-21',
    });
    expect(json.specialDays).toContainEqual({
      name: 'last-shipping-1',
      history: '2026-12-17',
      target: '2027-12-20',
    });
  });

  it('refuses an unknown peak day in words', async () => {
    // Act
    const result = await peaklineForecast('--history', BUNDLED, '--peak-day', 'singles-day=2027-11-11');

    // Assess: commander's refusal, as the user sees it
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/not one of black-friday/);
  });

  it('names the bad rows by line, forecasts from the good ones and exits 1', async () => {
    // Prepare
    const good = syntheticHistoryCsv({
      from: '2026-10-01',
      to: '2026-10-14',
      contacts: (t) => (t.hour >= 8 && t.hour < 20 ? 5 : undefined),
    }).split('\n');
    const lines = [
      ...good.slice(0, 3),
      '2026-10-01T08:30:00+02:00,voice,-3,300',
      'not,a,row',
      ...good.slice(3),
    ];
    const file = join(dir, 'bad-rows.csv');
    await writeFile(file, lines.join('\n'));

    // Act
    const result = await peaklineForecast('--history', file, '--year', '2027');

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/bad-rows\.csv:4: contacts "-3"/);
    expect(result.err).toMatch(/bad-rows\.csv:5: /);
    expect(parseForecastCsv(result.out).intervals.length).toBeGreaterThan(0);
  });

  it.each([
    ['an empty history', 'intervalStart,channel,contacts,ahtSeconds\n', /no usable rows/],
    [
      'a history shorter than a week',
      syntheticHistoryCsv({
        from: '2026-10-01',
        to: '2026-10-03',
        contacts: (t) => (t.hour >= 8 && t.hour < 20 ? 5 : undefined),
      }),
      /covers 3 days; at least a week/,
    ],
    [
      'a history of mixed interval lengths',
      syntheticHistoryCsv({
        from: '2026-10-01',
        to: '2026-10-07',
        contacts: (t) => (t.hour >= 8 && t.hour < 20 ? 5 : undefined),
      }) +
        syntheticHistoryCsv({
          from: '2026-10-08',
          to: '2026-10-14',
          minutes: 30,
          contacts: (t) => (t.hour >= 8 && t.hour < 20 ? 5 : undefined),
        })
          .split('\n')
          .slice(1)
          .join('\n'),
      /mixes interval lengths/,
    ],
  ])('says so about %s and exits 1', async (_, text, message) => {
    // Prepare
    const file = join(dir, 'history.csv');
    await writeFile(file, text);

    // Act
    const result = await peaklineForecast('--history', file);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.out).toBe('');
  });

  it('refuses --json without --out, as both would go to stdout', async () => {
    // Act
    const result = await peaklineForecast('--history', BUNDLED, '--json');

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/give --out/);
  });
});
