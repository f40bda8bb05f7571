/**
 * `peakline forecast --history last-season.csv --growth 1.4 [--year 2027]`: next season's forecast per
 * interval and channel from last season's curve (layers/core/planning/forecast.ts, docs/forecasting.md),
 * with a backtest of the method on the history itself beside it. The forecast file goes to --out or
 * stdout; the summary to stderr, or with --json a JSON document to stdout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import { type Command, InvalidArgumentError } from 'commander';
import { IANAZone } from 'luxon';
import { forecastCsv } from '#core/planning/forecast-file.js';
import { type Backtest, type BacktestFigures, backtest } from '#core/planning/backtest.js';
import { buildSeason, forecast, historyYear } from '#core/planning/forecast.js';
import { type ForecastSummary, summarizeForecast } from '#core/planning/forecast-summary.js';
import { historyIntervalMinutes, parseHistoryCsv } from '#core/planning/history-file.js';
import {
  parseSpecialDayOverride,
  SPECIAL_DAY_NAMES,
  type SpecialDayOverride,
} from '#core/planning/peak-days.js';
import type { CliIo } from '../seats/commands.js';

const positive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number above 0');
  return n;
};

const year = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1900 || n > 9999)
    throw new InvalidArgumentError('expected a year such as 2027');
  return n;
};

const interval = (value: string): 15 | 30 => {
  if (value !== '15' && value !== '30') throw new InvalidArgumentError('expected 15 or 30');
  return Number(value) as 15 | 30;
};

const zone = (value: string): string => {
  if (!IANAZone.isValidZone(value))
    throw new InvalidArgumentError('expected an IANA time zone such as Europe/Warsaw');
  return value;
};

const peakDay = (value: string, previous: SpecialDayOverride[] = []): SpecialDayOverride[] => {
  const parsed = parseSpecialDayOverride(value);
  if (typeof parsed === 'string') throw new InvalidArgumentError(parsed);
  return [...previous, parsed];
};

const percent = (value: number | null): string => (value === null ? '-' : `${(100 * value).toFixed(1)}%`);
const whole = (value: number): string => Math.round(value).toLocaleString('en-GB');

const table = (head: string[]): Table.Table =>
  new Table({
    head,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });

const summaryText = (
  summary: ForecastSummary,
  test: Backtest,
  facts: { year: number; growth: number; minutes: number; timeZone: string; intervals: number },
  special: { name: string; history?: string; target?: string }[],
): string => {
  const lines: string[] = [];
  lines.push(
    `Forecast ${facts.year}: ${facts.intervals.toLocaleString('en-GB')} intervals of ${facts.minutes} minutes (${facts.timeZone}), last season's contacts x ${facts.growth}.`,
  );
  const channels = summary.byChannel.map((c) => c.channel);
  const weeks = table(['week', 'from', ...channels, 'total']);
  for (const w of summary.byWeek)
    weeks.push([w.week, w.from, ...channels.map((c) => whole(w.contacts[c] ?? 0)), whole(w.total)]);
  weeks.push([
    'season',
    '',
    ...summary.byChannel.map((c) => whole(c.contacts)),
    whole(summary.byChannel.reduce((n, c) => n + c.contacts, 0)),
  ]);
  lines.push(weeks.toString());
  const peaks = table(['channel', 'peak interval', 'contacts', 'peak day', 'contacts']);
  for (const c of summary.byChannel) {
    peaks.push([
      c.channel,
      c.peakInterval.start,
      c.peakInterval.contacts.toFixed(1),
      c.peakDay.date,
      whole(c.peakDay.contacts),
    ]);
  }
  peaks.push([
    'all',
    summary.peakInterval.start,
    summary.peakInterval.contacts.toFixed(1),
    summary.peakDay.date,
    whole(summary.peakDay.contacts),
  ]);
  lines.push(peaks.toString());
  lines.push(
    `Special days (last season -> this season): ${special.map((d) => `${d.name} ${d.history ?? '-'} -> ${d.target ?? '-'}`).join('; ')}.`,
  );
  lines.push(
    `Backtest on the history (each ordinary day forecast from the same weekday a week earlier, shape from the neighbouring weeks; ${test.days} days${test.from === undefined ? '' : ` ${test.from} to ${test.to ?? ''}`}, special days left out). WAPE = sum|actual - forecast| / sum actual:`,
  );
  const wape = table(['channel', 'contacts', 'per interval', 'per day', 'per week']);
  const cells = (f: BacktestFigures) => [
    whole(f.actual),
    ...(['interval', 'day', 'week'] as const).map(
      (k) => `${percent(f.wape[k])} (floor ${percent(f.noiseFloor[k])})`,
    ),
  ];
  for (const c of test.byChannel) wape.push([c.channel, ...cells(c)]);
  wape.push(['all', ...cells(test.total)]);
  lines.push(wape.toString());
  lines.push(
    'The floor is the WAPE that random (Poisson) arrival alone gives even to a forecast of the true mean: what is above it is the method’s own error.',
  );
  const byWeek = table(['week', 'from', 'contacts', 'interval WAPE']);
  for (const w of test.byWeek) byWeek.push([w.week, w.from, whole(w.actual), percent(w.intervalWape)]);
  lines.push(byWeek.toString());
  return lines.join('\n');
};

export const addForecastCommand = (program: Command, io: CliIo): Command =>
  program
    .command('forecast')
    .description(
      "Next season's contacts per interval and channel from last season's history: weekday-aligned, the peak days and holidays moved to this year's calendar, growth applied; a backtest of the method on the history beside it (docs/forecasting.md).",
    )
    .requiredOption(
      '--history <file>',
      'last season: CSV intervalStart,channel,contacts,ahtSeconds (15- or 30-minute intervals)',
    )
    .option('--growth <factor>', 'contacts this season per contact last season (1.4: 40% more)', positive, 1)
    .option('--year <year>', "the season's year (default: the history's year + 1)", year)
    .option(
      '--interval <minutes>',
      'interval length of the forecast, 15 or 30 (default: the history’s)',
      interval,
    )
    .option('--time-zone <zone>', 'the contact centre’s IANA time zone', zone, 'Europe/Warsaw')
    .option(
      '--peak-day <name=date>',
      `a special day's date in a year, repeatable (black-friday=2027-11-26; free-delivery=none:2027 drops it that year); names: ${SPECIAL_DAY_NAMES.join(', ')}`,
      peakDay,
    )
    .option('--out <file>', 'write the forecast CSV here (default: stdout)')
    .option('--json', 'print the summary and backtest as JSON on stdout (the CSV then needs --out)', false)
    .action(async (options: Record<string, unknown>) => {
      const historyFile = String(options.history);
      const out = typeof options.out === 'string' ? options.out : undefined;
      if (options.json === true && out === undefined) {
        io.err('--json prints JSON on stdout; give --out <file> for the forecast CSV.');
        io.exitCode(1);
        return;
      }
      let text: string;
      try {
        text = await readFile(historyFile, 'utf8');
      } catch (error) {
        io.err(`Cannot read ${historyFile}: ${error instanceof Error ? error.message : String(error)}`);
        io.exitCode(1);
        return;
      }
      const parsed = parseHistoryCsv(text);
      for (const error of parsed.errors) io.err(`${historyFile}:${error.line}: ${error.message}`);
      if (parsed.errors.length > 0) {
        io.err(
          `${historyFile}: ${parsed.errors.length} row${parsed.errors.length === 1 ? '' : 's'} refused (listed above); forecasting from the ${parsed.rows.length} good rows.`,
        );
        io.exitCode(1);
      }
      if (parsed.rows.length === 0) {
        io.err(`${historyFile}: the history has no usable rows; nothing to forecast from.`);
        io.exitCode(1);
        return;
      }
      const length = historyIntervalMinutes(parsed.rows);
      if ('problem' in length) {
        io.err(`${historyFile}: ${length.problem}.`);
        io.exitCode(1);
        return;
      }
      const minutes = (options.interval as 15 | 30 | undefined) ?? length.minutes;
      if (minutes < length.minutes) {
        io.err(
          `${historyFile}: the history has ${length.minutes}-minute intervals; a ${minutes}-minute forecast would need to split them. Use --interval ${length.minutes}.`,
        );
        io.exitCode(1);
        return;
      }
      const timeZone = String(options.timeZone);
      const season = buildSeason(parsed.rows, minutes, timeZone);
      if (season.dates.length < 7) {
        io.err(
          `${historyFile}: the history covers ${season.dates.length} day${season.dates.length === 1 ? '' : 's'}; at least a week is needed for a weekday pattern.`,
        );
        io.exitCode(1);
        return;
      }
      const targetYear = (options.year as number | undefined) ?? historyYear(season) + 1;
      const overrides = (options.peakDay as SpecialDayOverride[] | undefined) ?? [];
      const growth = Number(options.growth);
      let result;
      try {
        result = forecast({ season, year: targetYear, growth, overrides });
      } catch (error) {
        io.err(`${historyFile}: ${error instanceof Error ? error.message : String(error)}`);
        io.exitCode(1);
        return;
      }
      const test = backtest(season, overrides);
      const summary = summarizeForecast(result.intervals);
      const csv = forecastCsv(result.intervals);
      if (out === undefined) io.out(csv.replace(/\n$/, ''));
      else {
        try {
          await writeFile(out, csv);
        } catch (error) {
          io.err(`Cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
          io.exitCode(1);
          return;
        }
      }
      const facts = { year: targetYear, growth, minutes, timeZone, intervals: result.intervals.length };
      if (options.json === true) {
        io.out(
          JSON.stringify(
            {
              ...facts,
              history: {
                file: historyFile,
                from: season.dates[0],
                to: season.dates.at(-1),
                rows: parsed.rows.length,
                refused: parsed.errors.length,
              },
              out,
              specialDays: result.specialDays,
              days: result.days,
              summary,
              backtest: test,
            },
            null,
            2,
          ),
        );
      } else {
        io.err(summaryText(summary, test, facts, result.specialDays));
        if (out !== undefined) io.err(`Forecast written to ${out}.`);
      }
    });
