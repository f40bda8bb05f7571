/**
 * Reads the seats CSV ops prepare for a season (`peakline seats import seats.csv`). Every row is checked
 * before anything is created in Connect, so a file with a few mistakes costs one run: the good rows are
 * kept, and each bad row is reported with its line number in the file as an editor shows it (the header
 * is line 1), so ops can fix exactly those lines.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { type CsvRecord, readCsvRows } from '../text/csv-rows.js';
import { isSeatType, type NewSeat, SEAT_TYPES, tierOf } from './seat.js';

export const SEATS_CSV_COLUMNS = [
  'username',
  'firstName',
  'lastName',
  'email',
  'type',
  'validFrom',
  'validUntil',
] as const;
type Column = (typeof SEATS_CSV_COLUMNS)[number];

/**
 * Connect's limits on CreateUser's Username: letters, digits and `_ - . @`, with `@` only in an e-mail
 * form; at most 20 characters on an instance that manages its own identities (CONNECT_MANAGED, which is
 * what the ContactCenterStack creates), 64 with SAML.
 */
export const USERNAME_MAX_LENGTH = { connectManaged: 20, saml: 64 } as const;
const USERNAME_CHARACTERS = /^[A-Za-z0-9_.@-]+$/;

export interface SeatsCsvOptions {
  /** A contract that has already ended by now is refused. */
  readonly now: Date;
  /**
   * The contact centre's IANA zone. A date without a time means that day on the contact centre's clocks:
   * `validFrom` from its first moment, `validUntil` through its last (access ends at the following
   * midnight), which is what ops mean by "until 24 December".
   */
  readonly timeZone: string;
  /**
   * Usernames that already hold a live seat: a row for one is refused, so a typo cannot quietly take over
   * someone else's seat; ops extend that seat instead. An import resuming its own file leaves these out.
   */
  readonly existingUsernames?: ReadonlySet<string>;
  /** @default USERNAME_MAX_LENGTH.connectManaged */
  readonly usernameMaxLength?: number;
}

export interface CsvRowError {
  /** 1-based line in the file; the first line of the row when a quoted value spans several. */
  readonly line: number;
  readonly message: string;
}

export interface SeatsCsvResult {
  /** The good rows, in file order. */
  readonly seats: NewSeat[];
  /** `lines[i]` is the line `seats[i]` was read from, for problems found later (in Connect, in the store). */
  readonly lines: number[];
  /** One entry per problem, in file order; a row with two problems has two entries. */
  readonly errors: CsvRowError[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const EXAMPLE_DATES = 'a date (2026-11-20) or a date-time with offset (2026-11-20T08:00:00+01:00)';

const isEmail = (value: string): boolean => z.email().safeParse(value).success;

/** Friendlier words for the CSV syntax errors ops actually make (mostly a stray quote). */
const csvSyntaxMessage = (code: unknown, fallback: string): string => {
  switch (code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return 'not valid CSV: a value has a stray quote; put the whole value in double quotes and write a quote inside it as ""';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'not valid CSV: a quote opened on this line is never closed';
    default:
      return `not valid CSV: ${fallback}`;
  }
};

type When = { readonly ok: true; readonly at: DateTime } | { readonly ok: false; readonly message: string };

/**
 * An ISO-8601 date or date-time with offset. A date-time without an offset is refused rather than
 * guessed: the file may have been written in another zone than the contact centre's.
 */
const parseWhen = (column: Column, value: string, zone: IANAZone, edge: 'start' | 'end'): When => {
  const quoted = JSON.stringify(value);
  if (DATE_ONLY.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    if (!day.isValid) return { ok: false, message: `${column} ${quoted} is not a calendar date` };
    // startOf('day') after plus() lands on the next midnight even across a DST change.
    return { ok: true, at: edge === 'start' ? day.startOf('day') : day.plus({ days: 1 }).startOf('day') };
  }
  const match = DATE_TIME.exec(value);
  if (!match) return { ok: false, message: `${column} ${quoted} is not ${EXAMPLE_DATES}` };
  if (match[1] === undefined) {
    return {
      ok: false,
      message: `${column} ${quoted} has no UTC offset; add one (such as +01:00 or Z) or give the date alone`,
    };
  }
  const at = DateTime.fromISO(value, { setZone: true });
  return at.isValid ? { ok: true, at } : { ok: false, message: `${column} ${quoted} is not a calendar date` };
};

const checkHeader = (header: readonly string[]): Map<Column, number> | string => {
  const expected = SEATS_CSV_COLUMNS.join(',');
  const byLowerName = new Map<string, Column>(SEATS_CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const positions = new Map<Column, number>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  header.forEach((name, index) => {
    const column = byLowerName.get(name.toLowerCase());
    if (column === undefined) unknown.push(name === '' ? '(empty)' : JSON.stringify(name));
    else if (positions.has(column)) repeated.push(column);
    else positions.set(column, index);
  });
  const missing = SEATS_CSV_COLUMNS.filter((c) => !positions.has(c));
  if (missing.length === 0 && unknown.length === 0 && repeated.length === 0) return positions;
  const problems = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown ${unknown.join(', ')}` : '',
    repeated.length > 0 ? `repeated ${repeated.join(', ')}` : '',
  ].filter((p) => p !== '');
  return `the first line must be the header ${expected} (${problems.join('; ')}); no row was read`;
};

/**
 * The file's non-blank rows with their line numbers, and its CSV syntax errors in ops' words. A row may
 * hold a quoted value with line breaks (an address, say); a stray quote costs its own row only.
 */
const readRows = (text: string): { rows: CsvRecord[]; errors: CsvRowError[] } => {
  // A quote inside an unquoted value (Jan "Kuba") is kept as written rather than refused.
  const { rows, errors } = readCsvRows(text, { relaxQuotes: true, multilineValues: true });
  return {
    rows,
    errors: errors.map(({ line, code, message }) => ({ line, message: csvSyntaxMessage(code, message) })),
  };
};

interface CheckOptions {
  readonly now: Date;
  readonly zone: IANAZone;
  readonly maxLength: number;
}

/**
 * The checks of one seat's values that need no other row: the username's form, the e-mail, the type, the
 * dates. Adds each problem to `problems`; answers the seat when there were none.
 */
const checkSeat = (
  value: (column: Column) => string,
  problems: string[],
  { now, zone, maxLength }: CheckOptions,
): NewSeat | undefined => {
  const before = problems.length;
  const username = value('username');
  if (username !== '') {
    if (!USERNAME_CHARACTERS.test(username)) {
      const badCharacters = [...new Set(username.replace(/[A-Za-z0-9_.@-]/g, ''))];
      problems.push(
        `username ${JSON.stringify(username)} may only contain letters A-Z, digits and . _ - @ (found ${badCharacters.map((c) => JSON.stringify(c)).join(' ')})`,
      );
    } else if (username.includes('@') && !isEmail(username)) {
      problems.push(
        `username ${JSON.stringify(username)} contains @ but is not an e-mail address; Connect allows @ only as in name@example.com`,
      );
    }
    if (username.length > maxLength) {
      problems.push(
        `username ${JSON.stringify(username)} is ${username.length} characters long; Connect allows at most ${maxLength}`,
      );
    }
  }

  const email = value('email');
  if (email !== '' && !isEmail(email))
    problems.push(`email ${JSON.stringify(email)} is not an e-mail address`);

  const rawType = value('type');
  const type = rawType.toLowerCase();
  if (rawType !== '' && !isSeatType(type)) {
    problems.push(
      `type ${JSON.stringify(rawType)} is not a seat type; known types: ${SEAT_TYPES.join(', ')}`,
    );
  }

  const from =
    value('validFrom') === '' ? undefined : parseWhen('validFrom', value('validFrom'), zone, 'start');
  const until =
    value('validUntil') === '' ? undefined : parseWhen('validUntil', value('validUntil'), zone, 'end');
  for (const when of [from, until]) if (when?.ok === false) problems.push(when.message);
  if (from?.ok && until?.ok) {
    if (until.at.toMillis() <= from.at.toMillis()) {
      problems.push(
        `validUntil ${JSON.stringify(value('validUntil'))} is not after validFrom ${JSON.stringify(value('validFrom'))}; a contract must end after it starts`,
      );
    } else if (until.at.toMillis() <= now.getTime()) {
      problems.push(
        `validUntil ${JSON.stringify(value('validUntil'))} has already passed; nothing would be left of the contract`,
      );
    }
  }

  if (problems.length > before || !isSeatType(type) || !from?.ok || !until?.ok) return undefined;
  const tier = tierOf(type);
  return {
    username,
    type,
    ...(tier === undefined ? {} : { tier }),
    firstName: value('firstName'),
    lastName: value('lastName'),
    email,
    validFrom: new Date(from.at.toMillis()).toISOString(),
    expiresAt: new Date(until.at.toMillis()).toISOString(),
  };
};

/**
 * Parses and checks a seats CSV: header `username,firstName,lastName,email,type,validFrom,validUntil`
 * (in any order, names case-insensitive), UTF-8 with or without a BOM, LF or CRLF line ends, values
 * trimmed. Blank lines (also Excel's `,,,,,,`) are skipped. A wrong header is one error at line 1 and no
 * seats. The result's `validFrom`/`expiresAt` are UTC ISO-8601 instants.
 */
export const parseSeatsCsv = (text: string, options: SeatsCsvOptions): SeatsCsvResult => {
  const zone = IANAZone.create(options.timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown IANA time zone ${JSON.stringify(options.timeZone)}.`);
  const maxLength = options.usernameMaxLength ?? USERNAME_MAX_LENGTH.connectManaged;
  const existing = new Set([...(options.existingUsernames ?? [])].map((u) => u.toLowerCase()));

  const { rows, errors } = readRows(text);
  const [header, ...body] = rows;
  if (header === undefined) {
    const message = `the file is empty; its first line must be the header ${SEATS_CSV_COLUMNS.join(',')}`;
    return { seats: [], lines: [], errors: [{ line: 1, message }] };
  }
  const positions = checkHeader(header.fields);
  if (typeof positions === 'string')
    return { seats: [], lines: [], errors: [{ line: header.line, message: positions }] };

  const seats: NewSeat[] = [];
  const lines: number[] = [];
  /** Lower-cased username -> the line that first used it, good row or not. */
  const firstLineOf = new Map<string, { readonly line: number; readonly username: string }>();
  for (const { fields, line } of body) {
    const problems: string[] = [];
    const value = (column: Column): string => fields[positions.get(column) ?? -1] ?? '';

    if (fields.length > SEATS_CSV_COLUMNS.length) {
      problems.push(
        `${fields.length} values, but the header has ${SEATS_CSV_COLUMNS.length}; put a value containing a comma in double quotes`,
      );
    }
    const missing = SEATS_CSV_COLUMNS.filter((column) => value(column) === '');
    if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);

    const username = value('username');
    if (username !== '') {
      const key = username.toLowerCase();
      const first = firstLineOf.get(key);
      if (first !== undefined) {
        problems.push(
          first.username === username
            ? `username ${JSON.stringify(username)} is already used on line ${first.line}`
            : `username ${JSON.stringify(username)} is already used on line ${first.line} as ${JSON.stringify(first.username)} (usernames are compared ignoring case)`,
        );
      } else {
        firstLineOf.set(key, { line, username });
        if (existing.has(key)) {
          problems.push(
            `username ${JSON.stringify(username)} already has a seat; extend that seat instead of importing it again`,
          );
        }
      }
    }
    const seat = checkSeat(value, problems, { now: options.now, zone, maxLength });

    if (problems.length > 0 || seat === undefined) {
      for (const message of problems) errors.push({ line, message });
      continue;
    }
    lines.push(line);
    seats.push(seat);
  }
  errors.sort((a, b) => a.line - b.line);
  return { seats, lines, errors };
};

/**
 * One seat given on the command line (`peakline seats add`), under exactly the rules of a CSV row, so a
 * seat is valid or not whichever way it arrives.
 */
export const checkSeatValues = (
  values: Readonly<Record<Column, string>>,
  options: SeatsCsvOptions,
): { readonly ok: true; readonly seat: NewSeat } | { readonly ok: false; readonly problems: string[] } => {
  const zone = IANAZone.create(options.timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown IANA time zone ${JSON.stringify(options.timeZone)}.`);
  const value = (column: Column): string => values[column].trim();
  const problems: string[] = [];
  const missing = SEATS_CSV_COLUMNS.filter((column) => value(column) === '');
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  const seat = checkSeat(value, problems, {
    now: options.now,
    zone,
    maxLength: options.usernameMaxLength ?? USERNAME_MAX_LENGTH.connectManaged,
  });
  return problems.length > 0 || seat === undefined ? { ok: false, problems } : { ok: true, seat };
};

/**
 * A time given as a date (that day in `timeZone`: its first moment for a start, the next midnight for an
 * end) or a date-time with offset, as in the CSV. Throws a RangeError saying what was expected.
 */
export const parseSeatTime = (what: string, value: string, timeZone: string, edge: 'start' | 'end'): Date => {
  const when = parseWhen('validFrom', value.trim(), IANAZone.create(timeZone), edge);
  if (!when.ok) throw new RangeError(when.message.replace(/^validFrom/, what));
  return new Date(when.at.toMillis());
};
