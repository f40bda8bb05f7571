import { describe, expect, it } from 'vitest';
import { type CsvRowsOptions, readCsvRows } from '#core/text/csv-rows.js';

/** A row as [line, ...values]; an error as [line, code]: what a table can show at a glance. */
type RowAt = [number, ...string[]];
type ErrorAt = [number, string];

const read = (text: string, options?: CsvRowsOptions): { rows: RowAt[]; errors: ErrorAt[] } => {
  const result = readCsvRows(text, options);
  return {
    rows: result.rows.map(({ line, fields }): RowAt => [line, ...fields]),
    errors: result.errors.map(({ line, code }): ErrorAt => [line, code ?? '']),
  };
};

describe('readCsvRows', () => {
  it.each<[string, string, CsvRowsOptions, RowAt[], ErrorAt[]]>([
    [
      'a quoted value with a line break, as the line it starts on',
      'a,b\n"x\ny",z\nc,d',
      { multilineValues: true },
      [
        [1, 'a', 'b'],
        [2, 'x\ny', 'z'],
        [4, 'c', 'd'],
      ],
      [],
    ],
    [
      'a quoted value with a line break where none may have one',
      'a,b\n"x\ny",z\nc,d',
      {},
      [
        [1, 'a', 'b'],
        [4, 'c', 'd'],
      ],
      [[2, 'VALUE_SPANS_LINES']],
    ],
    [
      'a quote never closed in the middle of the file, the later rows kept',
      'a,b\n"c,d\ne,f\ng,h',
      {},
      [
        [1, 'a', 'b'],
        [3, 'e', 'f'],
        [4, 'g', 'h'],
      ],
      [[2, 'CSV_QUOTE_NOT_CLOSED']],
    ],
    [
      'a quote never closed where values may span lines',
      'a,b\n"c,d\ne,f\ng,h',
      { multilineValues: true },
      [
        [1, 'a', 'b'],
        [3, 'e', 'f'],
        [4, 'g', 'h'],
      ],
      [[2, 'CSV_QUOTE_NOT_CLOSED']],
    ],
    [
      'the broken record on the first non-blank line after the last good one',
      'a,b\n\n\n"c,d\n',
      {},
      [[1, 'a', 'b']],
      [[4, 'CSV_QUOTE_NOT_CLOSED']],
    ],
    [
      'a quote inside an unquoted value',
      'a,b\nc"d,e\nf,g',
      {},
      [
        [1, 'a', 'b'],
        [3, 'f', 'g'],
      ],
      [[2, 'INVALID_OPENING_QUOTE']],
    ],
    [
      'a quote inside an unquoted value, kept as written when quotes are relaxed',
      'a,b\nc"d,e\nf,g',
      { relaxQuotes: true },
      [
        [1, 'a', 'b'],
        [2, 'c"d', 'e'],
        [3, 'f', 'g'],
      ],
      [],
    ],
    [
      'a record broken on its second line where values may span lines: both lines go',
      'a,b\n"c\nd"x,e\nf,g',
      { multilineValues: true },
      [
        [1, 'a', 'b'],
        [4, 'f', 'g'],
      ],
      [[2, 'CSV_INVALID_CLOSING_QUOTE']],
    ],
    [
      'a record broken on its second line where none may span: each line on its own',
      'a,b\n"c\nd"x,e\nf,g',
      {},
      [
        [1, 'a', 'b'],
        [4, 'f', 'g'],
      ],
      [
        [2, 'CSV_INVALID_CLOSING_QUOTE'],
        [3, 'INVALID_OPENING_QUOTE'],
      ],
    ],
    [
      'a BOM',
      '\uFEFFa,b\nc,d',
      {},
      [
        [1, 'a', 'b'],
        [2, 'c', 'd'],
      ],
      [],
    ],
    [
      'CRLF line ends, also inside a quoted value',
      'a,b\r\n"x\r\ny",z\r\nc,d\r\n',
      { multilineValues: true },
      [
        [1, 'a', 'b'],
        [2, 'x\ny', 'z'],
        [4, 'c', 'd'],
      ],
      [],
    ],
    [
      'blank lines, spaces and empty values skipped, values trimmed',
      'a,b\n\n  \n,,\n c , d \n',
      {},
      [
        [1, 'a', 'b'],
        [5, 'c', 'd'],
      ],
      [],
    ],
    [
      'blank lines counted alike when the file has quotes',
      'a,b\n\n  \n,,\n"",""\n"c",d\n',
      {},
      [
        [1, 'a', 'b'],
        [6, 'c', 'd'],
      ],
      [],
    ],
    ['an empty file', '', {}, [], []],
  ])('%s', (_what, text, options, rows, errors) => {
    expect(read(text, options)).toEqual({ rows, errors });
  });

  it("keeps csv-parse's own message for a caller that has no words for its code", () => {
    // Act
    const { errors } = readCsvRows('a\n"b');

    // Assess
    expect(errors).toEqual([
      { line: 2, code: 'CSV_QUOTE_NOT_CLOSED', message: expect.stringMatching(/Quote Not Closed/) },
    ]);
  });
});
