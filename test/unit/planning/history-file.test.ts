import { describe, expect, it } from 'vitest';
import { historyIntervalMinutes, parseHistoryCsv } from '#core/planning/history-file.js';
import { syntheticHistoryCsv } from './forecast-synthetic.js';

const HEADER = 'intervalStart,channel,contacts,ahtSeconds';

describe('parseHistoryCsv', () => {
  it('refuses each bad row with its line number and keeps the good ones', () => {
    // Prepare
    const text = [
      HEADER, // 1
      '2026-11-27T09:00:00+01:00,voice,40,301.5', // 2 good
      '2026-11-27T09:00:00+01:00,chat,0,', // 3 good: nothing handled, no AHT
      '2026-11-27T09:05:00+01:00,voice,40,300', // 4 not on a quarter hour
      '2026-11-27T09:15:00+01:00,phone,40,300', // 5 channel
      '2026-11-27T09:15:00+01:00,voice,4O,300', // 6 letter O
      '2026-11-27T09:15:00+01:00,voice,40,', // 7 contacts without AHT
      '27.11.2026 09:30,voice,40,300', // 8 not ISO
      '2026-11-27T08:00:00Z,voice,1,300', // 9 the instant of line 2 again
      '', // 10 blank, skipped
      '2026-11-27T09:30:00+01:00,email,12,420', // 11 good
    ].join('\n');

    // Act
    const result = parseHistoryCsv(text);

    // Assess
    expect(result.errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(result.errors.find((e) => e.line === 9)?.message).toMatch(
      /repeats the voice interval .* of line 2/,
    );
    expect(result.rows.map((r) => [r.line, r.channel, r.contacts, r.ahtSeconds])).toEqual([
      [2, 'voice', 40, 301.5],
      [3, 'chat', 0, 0],
      [11, 'email', 12, 420],
    ]);
  });
});

describe('historyIntervalMinutes', () => {
  const history = (minutes: 15 | 30, to = '2026-10-03') =>
    parseHistoryCsv(
      syntheticHistoryCsv({
        from: '2026-10-01',
        to,
        minutes,
        contacts: (t) => (t.hour >= 8 && t.hour < 20 ? 10 : undefined),
      }),
    ).rows;

  it.each([15, 30] as const)('reads %i-minute intervals from the starts', (minutes) => {
    expect(historyIntervalMinutes(history(minutes))).toEqual({ minutes });
  });

  it('reads a quarter-hour file with left-out empty intervals as quarter-hourly', () => {
    // Prepare: every other quarter hour left out in the evening, as an export of non-empty rows would.
    const rows = history(15).filter(
      (r) => !(r.start.slice(11, 13) >= '18' && r.start.slice(14, 16) === '15'),
    );

    // Act, Assess
    expect(historyIntervalMinutes(rows)).toEqual({ minutes: 15 });
  });

  it('says so when one part of the file is quarter-hourly and another half-hourly', () => {
    // Prepare
    const rows = [
      ...history(15, '2026-10-02'),
      ...history(30, '2026-10-05').filter((r) => r.start >= '2026-10-04'),
    ];

    // Act
    const result = historyIntervalMinutes(rows);

    // Assess
    expect(result).toEqual({ problem: expect.stringMatching(/mixes interval lengths.*2026-10-04T08:00/) });
  });

  it('refuses intervals of another length', () => {
    // Prepare
    const rows = parseHistoryCsv(
      [HEADER, '2026-10-01T08:00:00+02:00,voice,1,300', '2026-10-01T09:00:00+02:00,voice,1,300'].join('\n'),
    ).rows;

    // Act, Assess
    expect(historyIntervalMinutes(rows)).toEqual({ problem: expect.stringMatching(/60 minutes apart/) });
  });
});
