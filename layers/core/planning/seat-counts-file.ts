/**
 * The seat counts file (`type,count`): how many agents of each seat type there are, such as the permanent
 * staff `peakline plan --permanent` plans around and the seats `peakline simulate --seats` staffs its
 * queues with. One row per seat type; a type left out has none.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { SEAT_TYPES, type SeatType } from '#infra/constructs/connect/seat-types.js';

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
 * One line's values. Each line is read on its own: the file has no use for values spanning lines, and a
 * stray quote then costs its own row only, with the right line number.
 */
const fieldsOf = (line: string): string[] | string => {
  try {
    const [record] = parse(line, { trim: true, relax_column_count: true }) as string[][];
    return record ?? [];
  } catch {
    return 'not valid CSV: a value has a stray quote; put the whole value in double quotes';
  }
};

/**
 * Parses a seat counts file: header `type,count` (any order, names case-insensitive), then one row per
 * seat type with a whole number of seats. Blank lines are skipped; a BOM and CRLF line ends are fine. A bad
 * row is reported with its line number and the good rows are kept; a wrong header reads no row.
 */
export const parseSeatCountsCsv = (text: string): { counts: SeatCounts; errors: SeatCountsError[] } => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  const counts: Record<SeatType, number> = { ...NO_SEATS };
  const errors: SeatCountsError[] = [];
  const firstLineOf = new Map<SeatType, number>();
  let positions: { readonly type: number; readonly count: number } | undefined;

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || /^[\s,]*$/.test(raw)) return;
    const fields = fieldsOf(raw);
    if (typeof fields === 'string') {
      errors.push({ line, message: fields });
      return;
    }
    if (positions === undefined) {
      const names = fields.map((f) => f.toLowerCase());
      const type = names.indexOf('type');
      const count = names.indexOf('count');
      if (type < 0 || count < 0 || names.length !== 2) {
        errors.push({
          line,
          message: `the first line must be the header ${SEAT_COUNTS_COLUMNS.join(',')} (found ${JSON.stringify(raw.trim())}); no row was read`,
        });
        positions = { type: -1, count: -1 };
        return;
      }
      positions = { type, count };
      return;
    }
    if (positions.type < 0) return;
    if (fields.length > 2) {
      errors.push({ line, message: `${fields.length} values, but the header has 2 (type,count)` });
      return;
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
        return;
      }
    }
    for (const message of problems) errors.push({ line, message });
  });

  if (positions === undefined) {
    errors.push({
      line: 1,
      message: `the file is empty; its first line must be the header ${SEAT_COUNTS_COLUMNS.join(',')}`,
    });
  }
  return { counts, errors };
};

/** The seat counts as a file `parseSeatCountsCsv` reads back: every seat type, in SEAT_TYPES order. */
export const seatCountsCsv = (counts: SeatCounts): string =>
  stringify([[...SEAT_COUNTS_COLUMNS], ...SEAT_TYPES.map((type) => [type, String(counts[type])])]);

/** The seats of all types together. */
export const totalSeats = (counts: SeatCounts): number =>
  SEAT_TYPES.reduce((sum, type) => sum + counts[type], 0);
