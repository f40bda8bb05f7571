/**
 * What the history and forecast files have in common: a header line, one row per interval and channel,
 * an interval start written as ISO-8601 with its UTC offset. Each bad row is refused with its line number
 * (the header is line 1) and the good rows are kept, so a planner can fix exactly the lines named.
 */
import { parse } from 'csv-parse/sync';

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

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

const syntaxMessage = (code: unknown, fallback: string): string =>
  code === 'CSV_QUOTE_NOT_CLOSED'
    ? 'not valid CSV: a quote opened on this line is never closed'
    : code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE'
      ? 'not valid CSV: a value has a stray quote'
      : `not valid CSV: ${fallback}`;

/**
 * The file's non-blank records with the line each is on, and its CSV syntax errors. After a syntax error
 * csv-parse cannot tell where the next record begins (one stray quote would swallow the rest of the
 * file), so reading starts again on the following line: one broken line costs one row. The common case,
 * a file without quotes, is one plain pass of csv-parse.
 */
const readRecords = (
  text: string,
): { records: { fields: string[]; line: number }[]; errors: CsvRowError[] } => {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const records: { fields: string[]; line: number }[] = [];
  const errors: CsvRowError[] = [];
  if (!text.includes('"')) {
    // Without quotes no value can span lines and no syntax error can occur: record i is line i + 1, and
    // csv-parse needs no per-record bookkeeping (a third of the time of the general path below).
    const parsed = parse(lines.join('\n'), { trim: true, relax_column_count: true }) as string[][];
    parsed.forEach((fields, index) => {
      if (fields.some((field) => field !== '')) records.push({ fields, line: index + 1 });
    });
    return { records, errors };
  }
  let offset = 0;
  while (offset < lines.length) {
    let failure: { readonly line: number; readonly code: unknown; readonly message: string } | undefined;
    const parsed = parse(lines.slice(offset).join('\n'), {
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        failure ??= {
          line: Number(error?.lines ?? 1),
          code: error?.code,
          message: error?.message ?? 'unreadable',
        };
        return undefined;
      },
    }) as unknown as ParsedRecord[];
    let lastGoodEnd = 0;
    for (const { record, info } of parsed) {
      if (failure !== undefined && info.lines >= failure.line) break;
      lastGoodEnd = info.lines;
      const spanned = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
      const line = offset + info.lines - spanned;
      // No value of these files holds a line break: a quoted one spanning lines is a broken row.
      if (spanned > 0) errors.push({ line, message: 'not valid CSV: a quoted value spans several lines' });
      else if (record.some((field) => field !== '')) records.push({ fields: record, line });
    }
    if (failure === undefined) break;
    let broken = lastGoodEnd + 1;
    while (broken < failure.line && (lines[offset + broken - 1] ?? '').trim() === '') broken += 1;
    errors.push({ line: offset + broken, message: syntaxMessage(failure.code, failure.message) });
    offset += broken;
  }
  return { records, errors };
};

/**
 * Reads a CSV whose first line must name exactly `columns` (any order, names case-insensitive). A wrong
 * header is one error at its line and no rows; a row with too few or too many values is refused.
 */
export const readIntervalCsv = (
  text: string,
  columns: readonly string[],
): { rows: CsvRow[]; errors: CsvRowError[] } => {
  const { records, errors } = readRecords(text);
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
