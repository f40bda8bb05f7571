/**
 * What the history and forecast files have in common: a header line, one row per interval and channel,
 * an interval start written as ISO-8601 with its UTC offset. Each bad row is refused with its line number
 * (the header is line 1) and the good rows are kept, so a planner can fix exactly the lines named.
 */
import { readCsvRows, VALUE_SPANS_LINES } from '../text/csv-rows.js';
import { isPlanningChannel, type PlanningChannel, PLANNING_CHANNELS } from './types.js';

export interface CsvRowError {
  /** 1-based line in the file, as an editor numbers it (the header is line 1). */
  readonly line: number;
  readonly message: string;
}

export interface CsvRow {
  readonly line: number;
  /** The row's values by column name (header names as the contract spells them). */
  readonly value: (column: string) => string;
}

const syntaxMessage = (code: unknown, fallback: string): string =>
  code === VALUE_SPANS_LINES
    ? // No value of these files holds a line break: a quoted one spanning lines is a broken row.
      'not valid CSV: a quoted value spans several lines'
    : code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'not valid CSV: a quote opened on this line is never closed'
      : code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE'
        ? 'not valid CSV: a value has a stray quote'
        : `not valid CSV: ${fallback}`;

/**
 * Reads a CSV whose first line must name exactly `columns` (any order, names case-insensitive). A wrong
 * header is one error at its line and no rows; a row with too few or too many values is refused.
 */
export const readIntervalCsv = (
  text: string,
  columns: readonly string[],
): { rows: CsvRow[]; errors: CsvRowError[] } => {
  const read = readCsvRows(text);
  const records = read.rows;
  const errors: CsvRowError[] = read.errors.map(({ line, code, message }) => ({
    line,
    message: syntaxMessage(code, message),
  }));
  const expected = columns.join(',');
  const [header, ...body] = records;
  if (header === undefined) {
    return {
      rows: [],
      errors: [
        ...errors,
        { line: 1, message: `the file is empty; its first line must be the header ${expected}` },
      ],
    };
  }
  const byLowerName = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const positions = new Map<string, number>();
  const unknown: string[] = [];
  header.fields.forEach((name, index) => {
    const column = byLowerName.get(name.toLowerCase());
    if (column === undefined || positions.has(column)) unknown.push(JSON.stringify(name));
    else positions.set(column, index);
  });
  const missing = columns.filter((c) => !positions.has(c));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown or repeated ${unknown.join(', ')}` : '',
    ].filter((p) => p !== '');
    return {
      rows: [],
      errors: [
        {
          line: header.line,
          message: `the first line must be the header ${expected} (${problems.join('; ')}); no row was read`,
        },
      ],
    };
  }
  const rows: CsvRow[] = [];
  for (const { fields, line } of body) {
    if (fields.length !== columns.length) {
      errors.push({
        line,
        message: `has ${fields.length} values; the header ${expected} has ${columns.length}`,
      });
      continue;
    }
    rows.push({ line, value: (column) => fields[positions.get(column) ?? -1] ?? '' });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
};

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

export interface IntervalStart {
  /** The instant, milliseconds since the epoch. */
  readonly epochMs: number;
  /** Minute of the hour on the wall clock the file was written in. */
  readonly minute: number;
  /** Seconds (with fraction) past that minute. */
  readonly seconds: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    ? 29
    : (DAYS_IN_MONTH[month - 1] ?? 0);

/**
 * An interval start: ISO-8601 date-time with its UTC offset (2026-11-27T09:15:00+01:00). A time without
 * an offset is refused rather than guessed: the file may come from another zone than the contact centre's.
 * Read with a pattern rather than luxon, as a season's file has tens of thousands of rows.
 * The offset may be written +01:00 or +0100.
 */
export const parseIntervalStart = (column: string, value: string): IntervalStart | string => {
  const quoted = JSON.stringify(value);
  const match = ISO_WITH_OFFSET.exec(value);
  if (match === null) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
      ? `${column} ${quoted} has no UTC offset; add the contact centre's (such as +01:00)`
      : `${column} ${quoted} is not an ISO-8601 date-time with offset such as 2026-11-27T09:15:00+01:00`;
  }
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const seconds = Number(`${match[6] ?? '0'}.${match[7] ?? '0'}`);
  const offset = match[8] ?? 'Z';
  const offsetMinutes = offset === 'Z' ? 0 : Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2));
  const sign = offset.startsWith('-') ? -1 : 1;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    seconds >= 60 ||
    offsetMinutes > 18 * 60
  ) {
    return `${column} ${quoted} is not a real date and time`;
  }
  const wallMs = Date.UTC(year, month - 1, day, hour, minute) + Math.round(seconds * 1000);
  return { epochMs: wallMs - sign * offsetMinutes * 60_000, minute, seconds };
};

/** A number as written in the file: plain decimal, no thousands separators, finite. */
export const parseNumber = (value: string): number | undefined => {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/** A row's values once the history's or forecast's checks have passed. */
export interface IntervalRowValues {
  /** intervalStart as written in the file. */
  readonly startText: string;
  readonly start: IntervalStart;
  readonly channel: PlanningChannel;
  readonly contacts: number;
  readonly ahtSeconds: number;
}

/** What the history and the forecast check differently. */
export interface IntervalRowRules {
  /**
   * Checks that need the start, such as the interval's length and boundary; `start` is undefined when
   * it was refused. Adds each problem to `problems`.
   */
  readonly afterStart: (start: IntervalStart | undefined, problems: string[]) => void;
  /** ahtSeconds, or the problem with it; `contacts` as read (undefined when not a number). */
  readonly ahtSeconds: (text: string, contacts: number | undefined) => number | string;
}

/**
 * Checks a history or forecast row: the start (ISO with offset), the file's own start checks, the channel,
 * contacts (0 or more), ahtSeconds by the file's rule, and that no earlier row of `seen` (start instant
 * and channel -> its line; a good row is added) has the same interval. Answers the values, or all the
 * row's problems joined into one message, in that order.
 */
export const checkIntervalRow = (
  row: CsvRow,
  seen: Map<string, number>,
  rules: IntervalRowRules,
): IntervalRowValues | string => {
  const problems: string[] = [];
  const startText = row.value('intervalStart');
  const parsed = parseIntervalStart('intervalStart', startText);
  const start = typeof parsed === 'string' ? undefined : parsed;
  if (typeof parsed === 'string') problems.push(parsed);
  rules.afterStart(start, problems);

  const channel = row.value('channel').toLowerCase();
  if (!isPlanningChannel(channel)) {
    problems.push(
      `channel ${JSON.stringify(row.value('channel'))} is not one of ${PLANNING_CHANNELS.join(', ')}`,
    );
  }
  const contactsText = row.value('contacts');
  const parsedContacts = parseNumber(contactsText);
  const contacts = parsedContacts !== undefined && parsedContacts >= 0 ? parsedContacts : undefined;
  if (contacts === undefined) {
    problems.push(`contacts ${JSON.stringify(contactsText)} must be a number, 0 or more`);
  }
  const ahtSeconds = rules.ahtSeconds(row.value('ahtSeconds'), parsedContacts);
  if (typeof ahtSeconds === 'string') problems.push(ahtSeconds);

  if (start !== undefined && isPlanningChannel(channel)) {
    const key = `${start.epochMs}|${channel}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(`repeats the ${channel} interval starting ${startText} of line ${earlier}`);
    } else if (problems.length === 0) {
      seen.set(key, row.line);
    }
  }
  if (problems.length > 0 || start === undefined || !isPlanningChannel(channel) || contacts === undefined)
    return problems.join('; ');
  return { startText, start, channel, contacts, ahtSeconds: ahtSeconds as number };
};
