import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSeatsCsv, SEATS_CSV_COLUMNS, type SeatsCsvOptions } from '#core/seats/csv-import.js';
import { SEAT_TYPES } from '#core/seats/seat.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../fixtures/seats/${name}`, import.meta.url), 'utf8');

// Mid-November in Warsaw (UTC+1): the season's contracts start next week.
const OPTIONS: SeatsCsvOptions = { now: new Date('2026-11-15T09:00:00+01:00'), timeZone: 'Europe/Warsaw' };
const HEADER = SEATS_CSV_COLUMNS.join(',');

/** A season's worth of good rows, one per line after the header, every seat type in turn. */
const seasonCsv = (rows: number, lineEnd = '\n'): string =>
  [
    HEADER,
    ...Array.from({ length: rows }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      const type = SEAT_TYPES[i % SEAT_TYPES.length] ?? 'voice';
      return `agent.${n},Agent,Number ${n},agent.${n}@example.com,${type},2026-11-20,2026-12-24`;
    }),
  ].join(lineEnd) + lineEnd;

describe('parseSeatsCsv on a file with bad rows', () => {
  it('reports each bad row with its line in the file and what is wrong with it', () => {
    // Prepare
    const text = fixture('bad-rows.csv');

    // Act
    const { errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([
      { line: 3, message: 'missing email' },
      { line: 4, message: 'email "ewa.wisniewska.example.com" is not an e-mail address' },
      {
        line: 5,
        message:
          'type "chat-3" is not a seat type; known types: voice, chat-2, chat-4, chat-6, light, second-line',
      },
      {
        line: 6,
        message:
          'validUntil "2026-11-20" is not after validFrom "2026-12-24"; a contract must end after it starts',
      },
      { line: 7, message: 'username "anna.kowalska" is already used on line 2' },
      {
        line: 9,
        message: 'validUntil "2026-11-10" has already passed; nothing would be left of the contract',
      },
      {
        line: 10,
        message: 'username "michal kaminski" may only contain letters A-Z, digits and . _ - @ (found " ")',
      },
      { line: 11, message: 'missing username' },
      {
        line: 12,
        message:
          'validUntil "24.12.2026" is not a date (2026-11-20) or a date-time with offset (2026-11-20T08:00:00+01:00)',
      },
    ]);
  });

  it('keeps the good rows, in file order, with their dates as UTC instants', () => {
    // Prepare
    const text = fixture('bad-rows.csv');

    // Act
    const { seats } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats).toEqual([
      {
        username: 'anna.kowalska',
        type: 'chat-2',
        tier: 2,
        firstName: 'Anna',
        lastName: 'Kowalska',
        email: 'anna.kowalska@example.com',
        validFrom: '2026-11-19T23:00:00.000Z',
        expiresAt: '2026-12-24T23:00:00.000Z',
      },
      {
        username: 'tomasz.wojcik',
        type: 'second-line',
        firstName: 'Tomasz',
        lastName: 'Wójcik',
        email: 'tomasz.wojcik@example.com',
        validFrom: '2026-11-20T07:00:00.000Z',
        expiresAt: '2026-12-31T17:00:00.000Z',
      },
      {
        username: 'ola.piatek',
        type: 'light',
        firstName: 'Aleksandra',
        lastName: 'Piątek, Jr.',
        email: 'ola.piatek@example.com',
        validFrom: '2026-11-19T23:00:00.000Z',
        expiresAt: '2026-12-24T23:00:00.000Z',
      },
    ]);
  });
});

describe('parseSeatsCsv on a whole season', () => {
  it('keeps all 300 rows of a good file', () => {
    // Prepare
    const text = seasonCsv(300);

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([]);
    expect(seats).toHaveLength(300);
    expect(seats[0]).toMatchObject({ username: 'agent.001', type: 'voice' });
    expect(seats[299]).toMatchObject({ username: 'agent.300', type: 'second-line' });
    expect(new Set(seats.map((s) => s.username)).size).toBe(300);
  });

  it('reads a file saved by Excel on Windows (BOM, CRLF) the same as a plain one', () => {
    // Prepare
    const plain = seasonCsv(300);
    const windows = `\uFEFF${seasonCsv(300, '\r\n')}`;

    // Act
    const fromWindows = parseSeatsCsv(windows, OPTIONS);

    // Assess
    expect(fromWindows).toEqual(parseSeatsCsv(plain, OPTIONS));
  });

  it('numbers lines as an editor does, across blank lines and a value quoted over two lines', () => {
    // Prepare
    const text = [
      HEADER,
      'anna.k,Anna,Kowalska,anna@example.com,chat-2,2026-11-20,2026-12-24',
      '',
      ',,,,,,',
      'jan.n,Jan,"Nowak',
      'Kowalski",jan@example.com,voice,2026-11-20,2026-12-24',
      'ewa.w,Ewa,Wiśniewska,ewa@example.com,voice,2026-11-20,',
    ].join('\r\n');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats.map((s) => s.username)).toEqual(['anna.k', 'jan.n']);
    expect(seats[1]?.lastName).toBe('Nowak\nKowalski');
    expect(errors).toEqual([{ line: 7, message: 'missing validUntil' }]);
  });

  it('loses only the row with a stray quote, not the rest of the file', () => {
    // Prepare
    const text = [
      HEADER,
      'anna.k,Anna,Kowalska,anna@example.com,chat-2,2026-11-20,2026-12-24',
      '"jan.n"x,Jan,Nowak,jan@example.com,voice,2026-11-20,2026-12-24',
      'ewa.w,Ewa,Wiśniewska,ewa@example.com,voice,2026-11-20,2026-12-24',
      'olga.z,"Olga,Zielińska,olga@example.com,voice,2026-11-20,2026-12-24',
      'piotr.z,Piotr,Zieliński,piotr@example.com,light,2026-11-20,2026-12-24',
    ].join('\n');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats.map((s) => s.username)).toEqual(['anna.k', 'ewa.w', 'piotr.z']);
    expect(errors.map((e) => e.line)).toEqual([3, 5]);
    expect(errors[0]?.message).toMatch(/^not valid CSV: a value has a stray quote/);
    expect(errors[1]?.message).toBe('not valid CSV: a quote opened on this line is never closed');
  });
});

describe('parseSeatsCsv on the header', () => {
  it('refuses a file with a wrong header as one error at line 1, and reads no rows', () => {
    // Prepare
    const text = fixture('wrong-header.csv');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats).toEqual([]);
    expect(errors).toEqual([
      {
        line: 1,
        message:
          'the first line must be the header username,firstName,lastName,email,type,validFrom,validUntil (missing username, email; unknown "login", "mail"); no row was read',
      },
    ]);
  });

  it('takes the columns in any order and any letter case', () => {
    // Prepare
    const text =
      'EMAIL,type,Username,firstname,lastname,validUntil,validFrom\nanna@example.com,chat-6,anna.k,Anna,Kowalska,2026-12-24,2026-11-20\n';

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([]);
    expect(seats).toEqual([
      expect.objectContaining({ username: 'anna.k', email: 'anna@example.com', type: 'chat-6', tier: 6 }),
    ]);
  });

  it('says so when the file is empty', () => {
    // Prepare
    const text = '\uFEFF\r\n';

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats).toEqual([]);
    expect(errors).toEqual([
      {
        line: 1,
        message:
          'the file is empty; its first line must be the header username,firstName,lastName,email,type,validFrom,validUntil',
      },
    ]);
  });
});

describe('parseSeatsCsv on dates', () => {
  const row = (validFrom: string, validUntil: string) =>
    `${HEADER}\nanna.k,Anna,Kowalska,anna@example.com,voice,${validFrom},${validUntil}\n`;

  it.each([
    // Winter in Warsaw is UTC+1: 24 December ends at 23:00 UTC.
    {
      validFrom: '2026-11-20',
      validUntil: '2026-12-24',
      from: '2026-11-19T23:00:00.000Z',
      until: '2026-12-24T23:00:00.000Z',
    },
    // The clocks go back on 25 October: that day has 25 hours, and its end is in winter time.
    {
      validFrom: '2026-10-25',
      validUntil: '2026-10-25',
      from: '2026-10-24T22:00:00.000Z',
      until: '2026-10-25T23:00:00.000Z',
    },
    // Date-times keep the instant they name, whatever the zone they were written in.
    {
      validFrom: '2026-11-20T08:00:00+01:00',
      validUntil: '2026-12-24T14:30Z',
      from: '2026-11-20T07:00:00.000Z',
      until: '2026-12-24T14:30:00.000Z',
    },
  ])(
    "reads $validFrom..$validUntil as $from..$until (a date alone is the whole day in the centre's zone)",
    ({ validFrom, validUntil, from, until }) => {
      // Prepare
      const text = row(validFrom, validUntil);

      // Act
      const { seats, errors } = parseSeatsCsv(text, { ...OPTIONS, now: new Date('2026-10-01T00:00:00Z') });

      // Assess
      expect(errors).toEqual([]);
      expect(seats[0]).toMatchObject({ validFrom: from, expiresAt: until });
    },
  );

  it('uses the contact centre zone it is given', () => {
    // Prepare
    const text = row('2026-11-20', '2026-12-24');

    // Act
    const { seats } = parseSeatsCsv(text, { ...OPTIONS, timeZone: 'Europe/Helsinki' });

    // Assess
    expect(seats[0]).toMatchObject({
      validFrom: '2026-11-19T22:00:00.000Z',
      expiresAt: '2026-12-24T22:00:00.000Z',
    });
  });

  it.each([
    {
      validFrom: '2026-11-20T08:00',
      message:
        'validFrom "2026-11-20T08:00" has no UTC offset; add one (such as +01:00 or Z) or give the date alone',
    },
    { validFrom: '2026-02-30', message: 'validFrom "2026-02-30" is not a calendar date' },
  ])('refuses validFrom $validFrom', ({ validFrom, message }) => {
    // Prepare
    const text = row(validFrom, '2026-12-24');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats).toEqual([]);
    expect(errors).toEqual([{ line: 2, message }]);
  });

  it('refuses a contract ending at the moment it starts', () => {
    // Prepare
    const text = row('2026-12-24T10:00:00+01:00', '2026-12-24T09:00:00Z');

    // Act
    const { errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([
      {
        line: 2,
        message:
          'validUntil "2026-12-24T09:00:00Z" is not after validFrom "2026-12-24T10:00:00+01:00"; a contract must end after it starts',
      },
    ]);
  });

  it('throws on a time zone that does not exist, since that is a setting and not a row', () => {
    // Prepare
    const text = row('2026-11-20', '2026-12-24');

    // Act
    const parse = () => parseSeatsCsv(text, { ...OPTIONS, timeZone: 'Europe/Warszawa' });

    // Assess
    expect(parse).toThrow('Unknown IANA time zone "Europe/Warszawa".');
  });
});

describe('parseSeatsCsv on usernames', () => {
  const rows = (...usernames: string[]) =>
    [HEADER, ...usernames.map((u) => `${u},Anna,Kowalska,anna@example.com,voice,2026-11-20,2026-12-24`)].join(
      '\n',
    );

  it('accepts what Connect accepts: letters, digits, . _ - and an e-mail form', () => {
    // Prepare
    const text = rows('anna.k', 'Jan_Nowak-2', 'ewa@example.com');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([]);
    expect(seats.map((s) => s.username)).toEqual(['anna.k', 'Jan_Nowak-2', 'ewa@example.com']);
  });

  it('refuses other characters, an @ outside an e-mail form, and more than 20 characters', () => {
    // Prepare
    const text = rows('michał.k', 'anna@kowalska', 'aleksandra.wisniewska');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats).toEqual([]);
    expect(errors).toEqual([
      {
        line: 2,
        message: 'username "michał.k" may only contain letters A-Z, digits and . _ - @ (found "ł")',
      },
      {
        line: 3,
        message:
          'username "anna@kowalska" contains @ but is not an e-mail address; Connect allows @ only as in name@example.com',
      },
      {
        line: 4,
        message: 'username "aleksandra.wisniewska" is 21 characters long; Connect allows at most 20',
      },
    ]);
  });

  it('allows longer usernames on an instance with SAML', () => {
    // Prepare
    const text = rows('aleksandra.wisniewska');

    // Act
    const { seats, errors } = parseSeatsCsv(text, { ...OPTIONS, usernameMaxLength: 64 });

    // Assess
    expect(errors).toEqual([]);
    expect(seats).toHaveLength(1);
  });

  it('treats usernames differing only in letter case as the same person', () => {
    // Prepare
    const text = rows('anna.k', 'Anna.K');

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats.map((s) => s.username)).toEqual(['anna.k']);
    expect(errors).toEqual([
      {
        line: 3,
        message:
          'username "Anna.K" is already used on line 2 as "anna.k" (usernames are compared ignoring case)',
      },
    ]);
  });

  it('refuses a username that already has a seat, so that seat is extended instead', () => {
    // Prepare
    const text = rows('anna.k', 'jan.n');

    // Act
    const { seats, errors } = parseSeatsCsv(text, { ...OPTIONS, existingUsernames: new Set(['Jan.N']) });

    // Assess
    expect(seats.map((s) => s.username)).toEqual(['anna.k']);
    expect(errors).toEqual([
      {
        line: 3,
        message: 'username "jan.n" already has a seat; extend that seat instead of importing it again',
      },
    ]);
  });
});

describe('parseSeatsCsv on other mistakes', () => {
  it('names every missing value of a row at once', () => {
    // Prepare
    const text = `${HEADER}\nanna.k,,Kowalska,,chat-2,,2026-12-24\n`;

    // Act
    const { errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([{ line: 2, message: 'missing firstName, email, validFrom' }]);
  });

  it('points at an unquoted comma that split a value in two', () => {
    // Prepare
    const text = `${HEADER}\nanna.k,Anna,Kowalska, Jr,anna@example.com,chat-2,2026-11-20,2026-12-24\n`;

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(seats).toEqual([]);
    expect(errors[0]).toEqual({
      line: 2,
      message: '8 values, but the header has 7; put a value containing a comma in double quotes',
    });
  });

  it('reads the seat type in any letter case', () => {
    // Prepare
    const text = `${HEADER}\nanna.k,Anna,Kowalska,anna@example.com,Second-Line,2026-11-20,2026-12-24\n`;

    // Act
    const { seats, errors } = parseSeatsCsv(text, OPTIONS);

    // Assess
    expect(errors).toEqual([]);
    expect(seats[0]?.type).toBe('second-line');
  });
});
