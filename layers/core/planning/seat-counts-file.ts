/**
 * The seat counts file (`type,count`): how many agents of each seat type there are, such as the permanent
 * staff `peakline plan --permanent` plans around and the seats `peakline simulate --seats` staffs its
 * queues with. One row per seat type; a type left out has none.
 */
import { stringify } from 'csv-stringify/sync';
import { SEAT_TYPES, type SeatType } from '#infra/constructs/connect/seat-types.js';
import { readCsvRows } from '../text/csv-rows.js';

export type SeatCounts = Readonly<Record<SeatType, number>>;

export const NO_SEATS: SeatCounts = Object.freeze(
  Object.fromEntries(SEAT_TYPES.map((type) => [type, 0])) as Record<SeatType, number>,
);

export const SEAT_COUNTS_COLUMNS = ['type', 'count'] as const;

export interface SeatCountsError {
  /** 1-based line in the file (the header is line 1). */
  readonly line: number;
  readonly message: string;
}

const isSeatType = (value: string): value is SeatType => (SEAT_TYPES as readonly string[]).includes(value);

/**
 * Parses a seat counts file: header `type,count` (any order, names case-insensitive), then one row per
 * seat type with a whole number of seats. Blank lines are skipped; a BOM and CRLF line ends are fine. A bad
 * row is reported with its line number and the good rows are kept; a wrong header reads no row.
 */
export const parseSeatCountsCsv = (text: string): { counts: SeatCounts; errors: SeatCountsError[] } => {
  // The file has no use for values spanning lines: a stray quote costs its own row, not the rows after it.
  const { rows, errors: syntax } = readCsvRows(text);
  const counts: Record<SeatType, number> = { ...NO_SEATS };
  const errors: SeatCountsError[] = syntax.map(({ line }) => ({
    line,
    message: 'not valid CSV: a value has a stray quote; put the whole value in double quotes',
  }));
  const [header, ...body] = rows;
  if (header === undefined) {
    errors.push({
      line: 1,
      message: `the file is empty; its first line must be the header ${SEAT_COUNTS_COLUMNS.join(',')}`,
    });
    return { counts, errors };
  }
  const names = header.fields.map((f) => f.toLowerCase());
  const positions = { type: names.indexOf('type'), count: names.indexOf('count') };
  if (positions.type < 0 || positions.count < 0 || names.length !== 2) {
    const raw = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/)[header.line - 1] ?? '';
    errors.push({
      line: header.line,
      message: `the first line must be the header ${SEAT_COUNTS_COLUMNS.join(',')} (found ${JSON.stringify(raw.trim())}); no row was read`,
    });
    return { counts, errors: errors.sort((a, b) => a.line - b.line) };
  }

  const firstLineOf = new Map<SeatType, number>();
  for (const { fields, line } of body) {
    if (fields.length > 2) {
      errors.push({ line, message: `${fields.length} values, but the header has 2 (type,count)` });
      continue;
    }
    const rawType = fields[positions.type] ?? '';
    const rawCount = fields[positions.count] ?? '';
    const problems: string[] = [];
    const type = rawType.toLowerCase();
    if (rawType === '') problems.push('missing type');
    else if (!isSeatType(type))
      problems.push(
        `type ${JSON.stringify(rawType)} is not a seat type; known types: ${SEAT_TYPES.join(', ')}`,
      );
    const count = Number(rawCount);
    if (rawCount === '') problems.push('missing count');
    else if (!/^\d+$/.test(rawCount) || !Number.isSafeInteger(count))
      problems.push(`count ${JSON.stringify(rawCount)} is not a whole number of seats (0 or more)`);
    if (problems.length === 0 && isSeatType(type)) {
      const first = firstLineOf.get(type);
      if (first !== undefined) {
        problems.push(`type ${type} is already given on line ${first}; give each seat type once`);
      } else {
        firstLineOf.set(type, line);
        counts[type] = count;
        continue;
      }
    }
    for (const message of problems) errors.push({ line, message });
  }
  return { counts, errors: errors.sort((a, b) => a.line - b.line) };
};

/** The seat counts as a file `parseSeatCountsCsv` reads back: every seat type, in SEAT_TYPES order. */
export const seatCountsCsv = (counts: SeatCounts): string =>
  stringify([[...SEAT_COUNTS_COLUMNS], ...SEAT_TYPES.map((type) => [type, String(counts[type])])]);

/** The seats of all types together. */
export const totalSeats = (counts: SeatCounts): number =>
  SEAT_TYPES.reduce((sum, type) => sum + counts[type], 0);
