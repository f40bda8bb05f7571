/**
 * The forecast file: what `peakline forecast` writes and `peakline plan` and `peakline simulate` read.
 * Header `intervalStart,minutes,channel,contacts,ahtSeconds`, one row per interval and channel. One
 * reader and one writer, so the three commands can never disagree about what a row means.
 */
import { stringify } from 'csv-stringify/sync';
import { checkIntervalRow, type CsvRowError, parseNumber, readIntervalCsv } from './interval-csv.js';
import type { ForecastInterval } from './types.js';

export type { CsvRowError } from './interval-csv.js';

export const FORECAST_CSV_COLUMNS = [
  'intervalStart',
  'minutes',
  'channel',
  'contacts',
  'ahtSeconds',
] as const;

/** The interval lengths a forecast (and a history) may have. */
export const INTERVAL_MINUTES = [15, 30] as const;

export interface ForecastCsvResult {
  /** The good rows, in file order. */
  readonly intervals: ForecastInterval[];
  /** One entry per refused row (several problems of one row are joined), in line order. */
  readonly errors: CsvRowError[];
}

/**
 * Parses and checks a forecast file. UTF-8 with or without a BOM, LF or CRLF, blank lines skipped,
 * header names in any order and case. A row is refused (with its line) when its start is not ISO-8601
 * with an offset, its minutes are not 15 or 30, its start is not on a 15- or 30-minute boundary of its
 * own wall clock, its channel is unknown, contacts are negative or not a number, ahtSeconds are not above
 * zero, or it repeats the start and channel of an earlier row (the same instant, however written).
 */
export const parseForecastCsv = (text: string): ForecastCsvResult => {
  const { rows, errors } = readIntervalCsv(text, FORECAST_CSV_COLUMNS);
  const intervals: ForecastInterval[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    let minutes: number | undefined;
    const checked = checkIntervalRow(row, seen, {
      afterStart: (start, problems) => {
        const minutesText = row.value('minutes');
        minutes = parseNumber(minutesText);
        if (minutes !== 15 && minutes !== 30) {
          problems.push(`minutes ${JSON.stringify(minutesText)} must be 15 or 30`);
        } else if (start !== undefined && (start.minute % minutes !== 0 || start.seconds !== 0)) {
          problems.push(
            `intervalStart ${JSON.stringify(row.value('intervalStart'))} does not start a ${minutes}-minute interval (it must fall on :00${minutes === 15 ? ', :15, :30 or :45' : ' or :30'})`,
          );
        }
      },
      ahtSeconds: (text) => {
        const ahtSeconds = parseNumber(text);
        return ahtSeconds === undefined || ahtSeconds <= 0
          ? `ahtSeconds ${JSON.stringify(text)} must be a number of seconds above 0`
          : ahtSeconds;
      },
    });
    if (typeof checked === 'string') {
      errors.push({ line: row.line, message: checked });
      continue;
    }
    intervals.push({
      start: checked.startText,
      minutes: minutes as number,
      channel: checked.channel,
      contacts: checked.contacts,
      ahtSeconds: checked.ahtSeconds,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { intervals, errors };
};

/** Enough digits for a plan (a ten-thousandth of a contact, a hundredth of a second), no float noise. */
const decimals = (value: number, digits: number): string => String(Number(value.toFixed(digits)));

/** Writes intervals as a forecast file, header first, in the order given; LF line ends. */
export const forecastCsv = (intervals: readonly ForecastInterval[]): string =>
  stringify(
    intervals.map((i) => [
      i.start,
      String(i.minutes),
      i.channel,
      decimals(i.contacts, 4),
      decimals(i.ahtSeconds, 2),
    ]),
    { header: true, columns: [...FORECAST_CSV_COLUMNS] },
  );
