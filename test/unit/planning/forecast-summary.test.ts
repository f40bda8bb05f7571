import { describe, expect, it } from 'vitest';
import { summarizeForecast } from '#core/planning/forecast-summary.js';
import type { ForecastInterval } from '#core/planning/types.js';

const interval = (
  start: string,
  channel: ForecastInterval['channel'],
  contacts: number,
): ForecastInterval => ({
  start,
  minutes: 15,
  channel,
  contacts,
  ahtSeconds: 300,
});

describe('summarizeForecast', () => {
  it('adds contacts up per channel and ISO week and finds the busiest interval and day', () => {
    // Prepare: Sunday 28 November 2027 ends week 47; Monday the 29th starts week 48.
    const intervals = [
      interval('2027-11-28T10:00:00+01:00', 'voice', 10),
      interval('2027-11-28T10:00:00+01:00', 'chat', 4),
      interval('2027-11-29T10:00:00+01:00', 'voice', 7),
      interval('2027-11-29T10:15:00+01:00', 'voice', 8),
      interval('2027-11-29T10:15:00+01:00', 'chat', 3),
    ];

    // Act
    const summary = summarizeForecast(intervals);

    // Assess
    expect(summary.byWeek).toEqual([
      { week: '2027-W47', from: '2027-11-28', contacts: { voice: 10, chat: 4 }, total: 14 },
      { week: '2027-W48', from: '2027-11-29', contacts: { voice: 15, chat: 3 }, total: 18 },
    ]);
    expect(summary.peakInterval).toEqual({ start: '2027-11-28T10:00:00+01:00', contacts: 14 });
    expect(summary.peakDay).toEqual({ date: '2027-11-29', contacts: 18 });
    expect(summary.byChannel.find((c) => c.channel === 'voice')).toEqual({
      channel: 'voice',
      contacts: 25,
      peakInterval: { start: '2027-11-28T10:00:00+01:00', contacts: 10 },
      peakDay: { date: '2027-11-29', contacts: 15 },
    });
  });
});
