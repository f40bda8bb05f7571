import { describe, expect, it } from 'vitest';
import { forecastCsv, parseForecastCsv } from '#core/planning/forecast-file.js';
import type { ForecastInterval } from '#core/planning/types.js';

const HEADER = 'intervalStart,minutes,channel,contacts,ahtSeconds';

describe('parseForecastCsv', () => {
  it('reads good rows as intervals, contacts fractional', () => {
    // Prepare
    const text = [
      HEADER,
      '2027-11-26T09:00:00+01:00,15,voice,83.25,301.5',
      '2027-11-26T09:00:00+01:00,15,chat,40,600',
      '',
    ].join('\n');

    // Act
    const result = parseForecastCsv(text);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.intervals).toEqual([
      {
        start: '2027-11-26T09:00:00+01:00',
        minutes: 15,
        channel: 'voice',
        contacts: 83.25,
        ahtSeconds: 301.5,
      },
      { start: '2027-11-26T09:00:00+01:00', minutes: 15, channel: 'chat', contacts: 40, ahtSeconds: 600 },
    ]);
  });

  it('refuses each bad row with its line number and keeps the good ones', () => {
    // Prepare
    const text = [
      HEADER, // 1
      '2027-11-26T09:00:00+01:00,15,voice,10,300', // 2 good
      '2027-11-26T09:00:00,15,voice,10,300', // 3 no offset
      '2027-11-26T09:10:00+01:00,15,voice,10,300', // 4 not aligned
      '2027-11-26T09:15:00+01:00,30,voice,10,300', // 5 not aligned to 30
      '2027-11-26T09:15:00+01:00,20,voice,10,300', // 6 minutes
      '2027-11-26T09:15:00+01:00,15,fax,10,300', // 7 channel
      '2027-11-26T09:15:00+01:00,15,voice,-1,300', // 8 negative
      '2027-11-26T09:15:00+01:00,15,voice,Infinity,300', // 9 not finite
      '2027-11-26T09:15:00+01:00,15,voice,10,0', // 10 aht 0
      '2027-11-26T08:00:00Z,15,voice,5,300', // 11 duplicate of line 2, the same instant
      '2027-02-30T09:00:00+01:00,15,voice,10,300', // 12 no such day
      '2027-11-26T09:30:00+01:00,15,voice,10', // 13 too few values
      '2027-11-26T09:45:00+01:00,15,email,0,420', // 14 good
    ].join('\n');

    // Act
    const result = parseForecastCsv(text);

    // Assess
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(result.errors.find((e) => e.line === 3)?.message).toMatch(/no UTC offset/);
    expect(result.errors.find((e) => e.line === 4)?.message).toMatch(/does not start a 15-minute interval/);
    expect(result.errors.find((e) => e.line === 7)?.message).toMatch(/voice, chat, email, task/);
    expect(result.errors.find((e) => e.line === 11)?.message).toMatch(/of line 2/);
    expect(result.intervals.map((i) => i.start)).toEqual([
      '2027-11-26T09:00:00+01:00',
      '2027-11-26T09:45:00+01:00',
    ]);
  });

  it('checks alignment on the wall clock of the offset written, as in a half-hour zone', () => {
    // Prepare: 09:30 in India is 04:00 UTC; a boundary there, whatever UTC says.
    const text = [HEADER, '2027-11-26T09:30:00+05:30,30,voice,1,300'].join('\n');

    // Act
    const result = parseForecastCsv(text);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.intervals).toHaveLength(1);
  });

  it('refuses a wrong header at line 1 and reads no rows', () => {
    // Act
    const result = parseForecastCsv(
      'start,minutes,channel,contacts,aht\n2027-11-26T09:00:00+01:00,15,voice,1,300\n',
    );

    // Assess
    expect(result.intervals).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(1);
    expect(result.errors[0]?.message).toMatch(/missing intervalStart, ahtSeconds/);
  });

  it('says an empty file is empty', () => {
    expect(parseForecastCsv('').errors).toEqual([{ line: 1, message: expect.stringMatching(/empty/) }]);
  });

  it('costs a stray quote only its own line', () => {
    // Prepare
    const text = [
      HEADER,
      '2027-11-26T09:00:00+01:00,15,voice,"10,300',
      '2027-11-26T09:15:00+01:00,15,voice,12,300',
    ].join('\r\n');

    // Act
    const result = parseForecastCsv(text);

    // Assess
    expect(result.errors.map((e) => e.line)).toEqual([2]);
    expect(result.intervals.map((i) => i.contacts)).toEqual([12]);
  });
});

describe('forecastCsv', () => {
  it('writes a file parseForecastCsv reads back unchanged', () => {
    // Prepare
    const intervals: ForecastInterval[] = [
      { start: '2027-10-31T02:00:00+02:00', minutes: 30, channel: 'email', contacts: 1 / 3, ahtSeconds: 420 },
      {
        start: '2027-10-31T02:00:00+01:00',
        minutes: 30,
        channel: 'email',
        contacts: 2.5,
        ahtSeconds: 419.25,
      },
    ];

    // Act
    const text = forecastCsv(intervals);
    const back = parseForecastCsv(text);

    // Assess
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(back.errors).toEqual([]);
    expect(back.intervals).toEqual([{ ...intervals[0], contacts: 0.3333 }, intervals[1]]);
  });
});
