import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastCsv } from '#core/planning/forecast-file.js';
import { planFromForecast, planJson } from '#core/planning/plan.js';
import { NO_SEATS, parseSeatCountsCsv } from '#core/planning/seat-counts-file.js';
import { DEFAULT_PLAN_SETTINGS } from '#core/planning/settings.js';
import type { ForecastInterval, PlanningChannel } from '#core/planning/types.js';
import { runPeakline, WORKED_EXAMPLE_QUEUE } from '#test/support/cli.js';

const peakline = (...args: string[]) => runPeakline(args);

/** Two days of half hours 08:00-20:00 on every channel, busiest at 11:00 on the first. */
const FORECAST: ForecastInterval[] = ['2027-11-26', '2027-11-27'].flatMap((date, d) =>
  (['voice', 'chat', 'email', 'task'] as PlanningChannel[]).flatMap((channel, c) =>
    Array.from({ length: 24 }, (_, i) => {
      const hour = 8 + i / 2;
      const shape = Math.max(0.2, 1 - Math.abs(hour - 11) / 9);
      const hh = String(Math.floor(hour)).padStart(2, '0');
      return {
        start: `${date}T${hh}:${i % 2 === 0 ? '00' : '30'}:00+01:00`,
        minutes: 30,
        channel,
        contacts: Math.round((300 / (c + 1)) * shape * (d === 0 ? 1 : 0.6) * 100) / 100,
        ahtSeconds: [300, 420, 420, 480][c] ?? 300,
      };
    }),
  ),
);
const PERMANENT = { ...NO_SEATS, voice: 20, 'second-line': 4, 'chat-4': 6, light: 3 };

describe('peakline plan', () => {
  let dir: string;
  let forecastFile: string;
  let permanentFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'peakline-plan-'));
    forecastFile = join(dir, 'forecast.csv');
    permanentFile = join(dir, 'permanent.csv');
    writeFileSync(forecastFile, forecastCsv(FORECAST));
    writeFileSync(permanentFile, 'type,count\nvoice,20\nsecond-line,4\nchat-4,6\nlight,3\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `peakline plan` on FORECAST over the PERMANENT staff. */
  const planWithPermanent = (...options: string[]) =>
    peakline('plan', '--forecast', forecastFile, '--permanent', permanentFile, ...options);

  it('prints the seats per type to add over the permanent staff, the peak and the reserve', async () => {
    // Prepare
    const expected = planFromForecast(FORECAST, DEFAULT_PLAN_SETTINGS, PERMANENT);

    // Act
    const { out, exitCode } = await planWithPermanent();

    // Assess
    expect(exitCode).toBe(0);
    const voice = expected.seats.find((s) => s.type === 'voice');
    // The seats table comes after the channels table, which has a voice row too.
    const line = out.split('\n').findLast((l) => /│ voice\s+│/.test(l)) ?? '';
    expect(line.split('│').map((cell) => cell.trim())).toEqual([
      '',
      'voice',
      String(voice?.neededAtPeak),
      '20',
      String(voice?.seasonal),
      ...(voice?.reserve.map((r) => `+${r.extra}`) ?? []),
      '',
    ]);
    expect(out).toContain('Peak: 2027-11-26 11:00 +01:00');
    expect(out).toMatch(/Fractional beside whole: .* agent-hours; rounded up per interval and channel/);
  });

  it('writes the plan as the documented JSON document', async () => {
    // Prepare
    const expected = JSON.parse(
      JSON.stringify(planJson(planFromForecast(FORECAST, DEFAULT_PLAN_SETTINGS, PERMANENT))),
    );

    // Act
    const { out, exitCode } = await planWithPermanent('--json');

    // Assess
    expect(exitCode).toBe(0);
    const document = JSON.parse(out);
    expect(document).toEqual(expected);
    expect(document.version).toBe(1);
    expect(document.settings.chat.ahtFactors).toEqual({ '1': 1, '2': 1.25, '4': 1.6, '6': 2 });
  });

  it('writes one CSV row per interval and channel to --out', async () => {
    // Prepare
    const out = join(dir, 'plan.csv');

    // Act
    const result = await peakline('plan', '--forecast', forecastFile, '--csv', '--out', out);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.out).toBe('');
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(planFromForecast(FORECAST).rows.length);
    expect(Object.keys(rows[0] ?? {})).toContain('positions');
    expect(rows.every((r) => Number(r.agents) >= Number(r.positions))).toBe(true);
  });

  it('writes the seats under each demand as seat-count files simulate can read (--seats-out)', async () => {
    // Prepare
    const expected = planFromForecast(FORECAST, DEFAULT_PLAN_SETTINGS, PERMANENT);
    const seatsFile = join(dir, 'seats.csv');

    // Act
    const result = await planWithPermanent('--seats-out', seatsFile);

    // Assess: the forecast's seats are the permanent staff plus the seasonal seats; x1.5 and x3 add the reserve
    expect(result.exitCode).toBe(0);
    const read = (file: string) => parseSeatCountsCsv(readFileSync(join(dir, file), 'utf8'));
    const base = read('seats.csv');
    const x3 = read('seats-x3.csv');
    expect(base.errors).toEqual([]);
    expect(x3.errors).toEqual([]);
    for (const line of expected.seats) {
      expect(base.counts[line.type]).toBe(line.permanent + line.seasonal);
      expect(x3.counts[line.type]).toBe(
        line.permanent + line.seasonal + (line.reserve.find((r) => r.factor === 3)?.extra ?? 0),
      );
    }
    expect(read('seats-x1.5.csv').counts.voice).toBeGreaterThan(base.counts.voice);
    expect(x3.counts.voice).toBeGreaterThan(read('seats-x1.5.csv').counts.voice);
    expect(result.err).toContain('seats-x3.csv: the seats x3 demand needs');
  });

  it('applies the target overrides of the command line', async () => {
    // Act
    const strict = await peakline(
      'plan',
      '--forecast',
      forecastFile,
      '--json',
      '--target-sl',
      '0.95',
      '--shrinkage',
      '0.4',
    );
    const loose = await peakline('plan', '--forecast', forecastFile, '--json');

    // Assess
    const voicePeak = (out: string) =>
      (JSON.parse(out).groupPeaks as { group: string; scheduledWhole: number }[]).find(
        (g) => g.group === 'voice',
      )?.scheduledWhole ?? 0;
    expect(JSON.parse(strict.out).settings.voice.serviceLevel).toBe(0.95);
    expect(voicePeak(strict.out)).toBeGreaterThan(voicePeak(loose.out));
  });

  it('refuses a malformed forecast row with its line number, plans the good rows and exits 1', async () => {
    // Prepare
    const lines = forecastCsv(FORECAST).trimEnd().split('\n');
    lines.splice(3, 0, '2027-11-26T08:45:00+01:00,30,voice,many,300');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${lines.join('\n')}\n`);

    // Act
    const { out, err, exitCode } = await peakline('plan', '--forecast', bad, '--json');

    // Assess
    expect(exitCode).toBe(1);
    expect(err).toContain(`${bad}:4: `);
    expect(err).toMatch(/refused 1 forecast row/);
    expect(JSON.parse(out).rows).toHaveLength(planFromForecast(FORECAST).rows.length);
  });

  it('refuses a bad permanent seats row with its line number', async () => {
    // Prepare
    const bad = join(dir, 'bad-seats.csv');
    writeFileSync(bad, 'type,count\nvoice,20\nphone,3\n');

    // Act
    const { err, exitCode } = await peakline('plan', '--forecast', forecastFile, '--permanent', bad);

    // Assess
    expect(exitCode).toBe(1);
    expect(err).toContain(`${bad}:3: type "phone" is not a seat type`);
  });

  it.each([
    [['--target-sl', '1'], /voice target service level 1 cannot be met/],
    [['--chat-max-occupancy', '0'], /chat occupancy cap 0 cannot be met/],
    [['--task-reply-hours', '0'], /task reply target 0 s cannot be met/],
  ])('says an impossible target %j is impossible and plans nothing', async (options, message) => {
    // Act
    const { out, err, exitCode } = await peakline('plan', '--forecast', forecastFile, ...options);

    // Assess
    expect(exitCode).toBe(1);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('still reaches plan erlang with its own options (Call Centre Helper worked example: 14 agents)', async () => {
    // Act
    const { out, exitCode } = await peakline(
      'plan',
      'erlang',
      ...WORKED_EXAMPLE_QUEUE,
      '--target-sl',
      '0.8',
      '--target-seconds',
      '20',
      '--json',
    );

    // Assess
    expect(exitCode).toBe(0);
    expect(JSON.parse(out).agents).toBe(14);
  });
});
