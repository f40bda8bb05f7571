import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NO_SEATS,
  parseSeatCountsCsv,
  type SeatCounts,
  seatCountsCsv,
} from '#core/planning/seat-counts-file.js';
import { SEAT_TYPES } from '#infra/constructs/connect/seat-types.js';

describe('parseSeatCountsCsv', () => {
  it('reads the permanent staff per seat type; a type left out has no seats', () => {
    // Prepare
    const text = 'type,count\nvoice,40\nchat-4,12\nsecond-line,8\n';

    // Act
    const { counts, errors } = parseSeatCountsCsv(text);

    // Assess
    expect(errors).toEqual([]);
    expect(counts).toEqual({ ...NO_SEATS, voice: 40, 'chat-4': 12, 'second-line': 8 });
  });

  it('takes the columns in any order, names and types in any case, a BOM, CRLF and blank lines', () => {
    // Prepare
    const text = '\uFEFFCount,Type\r\n\r\n6,Light\r\n,\r\n4,CHAT-6\r\n';

    // Act
    const { counts, errors } = parseSeatCountsCsv(text);

    // Assess
    expect(errors).toEqual([]);
    expect(counts).toEqual({ ...NO_SEATS, light: 6, 'chat-6': 4 });
  });

  it('refuses each bad row with its line number and keeps the good rows', () => {
    // Prepare
    const text = [
      'type,count', // 1
      'voice,40', // 2
      'chat-3,5', // 3: no such seat type
      'light,-2', // 4: negative
      'chat-2,1.5', // 5: a fraction of a seat
      'voice,41', // 6: voice again
      '"light,6', // 7: stray quote
      'second-line', // 8: no count
      'chat-4,12,extra', // 9: too many values
      'light,6', // 10
    ].join('\n');

    // Act
    const { counts, errors } = parseSeatCountsCsv(text);

    // Assess
    expect(counts).toEqual({ ...NO_SEATS, voice: 40, light: 6 });
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(errors[0]?.message).toMatch(/"chat-3" is not a seat type; known types: voice, chat-2/);
    expect(errors[1]?.message).toMatch(/"-2" is not a whole number/);
    expect(errors[3]?.message).toMatch(/voice is already given on line 2/);
    expect(errors[5]?.message).toMatch(/missing count/);
  });

  it('reads no row under a wrong header and says what the header must be', () => {
    // Prepare
    const text = 'seat,agents\nvoice,40\n';

    // Act
    const { counts, errors } = parseSeatCountsCsv(text);

    // Assess
    expect(counts).toEqual(NO_SEATS);
    expect(errors).toEqual([{ line: 1, message: expect.stringMatching(/header type,count/) }]);
  });

  it('says an empty file needs the header', () => {
    // Act
    const { errors } = parseSeatCountsCsv('\n\n');

    // Assess
    expect(errors).toEqual([{ line: 1, message: expect.stringMatching(/empty.*type,count/) }]);
  });
});

describe('seatCountsCsv', () => {
  it('writes a file that reads back to the same counts', () => {
    fc.assert(
      fc.property(fc.tuple(...SEAT_TYPES.map(() => fc.nat({ max: 10_000 }))), (values) => {
        // Prepare
        const counts = Object.fromEntries(SEAT_TYPES.map((type, i) => [type, values[i] ?? 0])) as SeatCounts;

        // Act
        const back = parseSeatCountsCsv(seatCountsCsv(counts));

        // Assess
        expect(back.errors).toEqual([]);
        expect(back.counts).toEqual(counts);
      }),
    );
  });
});
