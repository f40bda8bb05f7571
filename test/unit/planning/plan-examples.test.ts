import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSeatCountsCsv } from '#core/planning/seat-counts-file.js';
import { parseSeatsCsv } from '#core/seats/csv-import.js';

const example = (name: string): string =>
  readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');

describe('the bundled planning examples', () => {
  it('permanent-seats.csv reads without a refused row and names permanent staff of every kind', () => {
    // Act
    const { counts, errors } = parseSeatCountsCsv(example('permanent-seats.csv'));

    // Assess
    expect(errors).toEqual([]);
    expect(counts.voice).toBeGreaterThan(0);
    expect(counts['second-line']).toBeGreaterThan(0);
    expect(counts['chat-4'] + counts['chat-6']).toBeGreaterThan(0);
    expect(counts.light).toBeGreaterThan(0);
  });

  it('seasonal-seats.csv imports cleanly with the seats import parser, a season of voice, chat-2 and light hires', () => {
    // Prepare: the README walks through the import in the autumn before the season.
    const options = { now: new Date('2027-10-01T09:00:00+02:00'), timeZone: 'Europe/Warsaw' };

    // Act
    const { seats, errors } = parseSeatsCsv(example('seasonal-seats.csv'), options);

    // Assess
    expect(errors).toEqual([]);
    expect(new Set(seats.map((s) => s.type))).toEqual(new Set(['voice', 'chat-2', 'light']));
    expect(seats.length).toBeGreaterThan(100);
    for (const seat of seats) {
      expect(seat.validFrom >= '2027-11-01').toBe(true);
      expect(seat.expiresAt <= '2028-01-01').toBe(true);
    }
  });
});
