/**
 * The CSV files people prepare by hand (seats, seat counts, history, forecast) are read alike: every bad
 * record is reported with the line an editor shows it on (the first line is 1) and the good records are
 * kept, so one run names every line to fix. What a record means, and how an error is worded, is the
 * caller's.
 */
import { parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** The values, trimmed; a quoted value may hold line breaks (LF). */
  readonly fields: string[];
  /** 1-based line the record starts on; the first line of a record whose quoted value spans several. */
  readonly line: number;
}

/** The code of a record refused because a value spans lines when `multilineValues` is off. */
export const VALUE_SPANS_LINES = 'VALUE_SPANS_LINES';

export interface CsvSyntaxError {
  /** 1-based line of the broken record: the first non-blank line after the last good one. */
  readonly line: number;
  /**
   * csv-parse's error code (such as CSV_QUOTE_NOT_CLOSED) or VALUE_SPANS_LINES, for the caller to word
   * the error its way.
   */
  readonly code: string | undefined;
  /** csv-parse's own message, for codes the caller has no words for. */
  readonly message: string;
}

export interface CsvRowsOptions {
  /** A quote inside an unquoted value (Jan "Kuba") is kept as written rather than refused. */
  readonly relaxQuotes?: boolean;
  /**
   * Whether a quoted value may hold line breaks (an address, say). When it may not, a record whose
   * quotes span lines is one VALUE_SPANS_LINES error at its first line, and after a syntax error reading
   * starts again on the next line, so a stray quote costs its own line only. When it may, the lines up
   * to where csv-parse noticed the error may belong to the broken record, and are skipped with it.
   */
  readonly multilineValues?: boolean;
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

const isBlank = (fields: readonly string[]): boolean => fields.every((field) => field === '');

/** The line a record starts on: info.lines is where it ends, earlier by the newlines inside its values. */
const startLine = ({ record, info }: ParsedRecord): number =>
  info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);

/**
 * The records of a CSV text that have a value, with their lines, and its syntax errors. A BOM is
 * dropped; CRLF, CR and LF all end a line; values are trimmed; blank lines, and Excel's ",,,," for a row
 * it considers used, are skipped. Records may have any number of values.
 *
 * After a syntax error csv-parse cannot tell where the next record begins (one stray quote would swallow
 * the rest of the file), so reading starts again after the broken record (see `multilineValues`): one
 * bad record costs that record only.
 */
export const readCsvRows = (
  text: string,
  { relaxQuotes = false, multilineValues = false }: CsvRowsOptions = {},
): { rows: CsvRecord[]; errors: CsvSyntaxError[] } => {
  // csv-parse counts a CRLF inside a quoted value as two lines; with LF only, its count matches an editor's.
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const rows: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  if (!text.includes('"')) {
    // Without quotes no value can span lines and no syntax error can occur: record i is line i + 1, and
    // csv-parse needs no per-record bookkeeping (a third of the time of the general path below).
    const parsed = parse(lines.join('\n'), { trim: true, relax_column_count: true }) as string[][];
    parsed.forEach((fields, index) => {
      if (!isBlank(fields)) rows.push({ fields, line: index + 1 });
    });
    return { rows, errors };
  }
  let offset = 0;
  while (offset < lines.length) {
    let failure:
      { readonly line: number; readonly code: string | undefined; readonly message: string } | undefined;
    const parsed = parse(lines.slice(offset).join('\n'), {
      info: true,
      trim: true,
      relax_quotes: relaxQuotes,
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
    for (const record of parsed) {
      // Records csv-parse returns after a failure were read out of step; they are read again below.
      if (failure !== undefined && record.info.lines >= failure.line) break;
      lastGoodEnd = record.info.lines;
      const line = offset + startLine(record);
      if (!multilineValues && line < offset + record.info.lines) {
        errors.push({ line, code: VALUE_SPANS_LINES, message: 'a quoted value spans several lines' });
      } else if (!isBlank(record.record)) rows.push({ fields: record.record, line });
    }
    if (failure === undefined) break;
    let broken = lastGoodEnd + 1;
    while (broken < failure.line && (lines[offset + broken - 1] ?? '').trim() === '') broken += 1;
    errors.push({ line: offset + broken, code: failure.code, message: failure.message });
    // An unclosed quote is only noticed at the end of the file; the other errors on the line they break.
    offset +=
      !multilineValues || failure.code === 'CSV_QUOTE_NOT_CLOSED' ? broken : Math.max(broken, failure.line);
  }
  return { rows, errors };
};
