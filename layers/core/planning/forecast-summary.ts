/**
 * What a forecast adds up to, for the people who staff it: contacts per channel and week, and the peaks.
 */
import { isoWeek } from './forecast.js';
import { type ForecastInterval, type PlanningChannel, PLANNING_CHANNELS } from './types.js';

export interface ForecastSummary {
  readonly byChannel: {
    readonly channel: PlanningChannel;
    readonly contacts: number;
    readonly peakInterval: { readonly start: string; readonly contacts: number };
    readonly peakDay: { readonly date: string; readonly contacts: number };
  }[];
  /** Per ISO week of the contact centre's calendar: contacts per channel. */
  readonly byWeek: {
    readonly week: string;
    readonly from: string;
    readonly contacts: Partial<Record<PlanningChannel, number>>;
    readonly total: number;
  }[];
  /** The busiest interval and day, all channels together. */
  readonly peakInterval: { readonly start: string; readonly contacts: number };
  readonly peakDay: { readonly date: string; readonly contacts: number };
}

/** Totals per channel and week, and the peaks, read from the intervals' own wall-clock starts. */
export const summarizeForecast = (intervals: readonly ForecastInterval[]): ForecastSummary => {
  const channelTotals = new Map<PlanningChannel, number>();
  const channelDays = new Map<PlanningChannel, Map<string, number>>();
  const channelPeak = new Map<PlanningChannel, { start: string; contacts: number }>();
  const intervalTotals = new Map<string, number>();
  const dayTotals = new Map<string, number>();
  const weeks = new Map<
    string,
    { from: string; contacts: Partial<Record<PlanningChannel, number>>; total: number }
  >();
  const weekOf = new Map<string, string>();
  for (const i of intervals) {
    const date = i.start.slice(0, 10);
    channelTotals.set(i.channel, (channelTotals.get(i.channel) ?? 0) + i.contacts);
    const days = channelDays.get(i.channel) ?? new Map<string, number>();
    channelDays.set(i.channel, days);
    days.set(date, (days.get(date) ?? 0) + i.contacts);
    const peak = channelPeak.get(i.channel);
    if (peak === undefined || i.contacts > peak.contacts)
      channelPeak.set(i.channel, { start: i.start, contacts: i.contacts });
    intervalTotals.set(i.start, (intervalTotals.get(i.start) ?? 0) + i.contacts);
    dayTotals.set(date, (dayTotals.get(date) ?? 0) + i.contacts);
    let week = weekOf.get(date);
    if (week === undefined) weekOf.set(date, (week = isoWeek(date)));
    const row = weeks.get(week) ?? { from: date, contacts: {}, total: 0 };
    weeks.set(week, row);
    row.contacts[i.channel] = (row.contacts[i.channel] ?? 0) + i.contacts;
    row.total += i.contacts;
    if (date < row.from) row.from = date;
  }
  const max = (m: Map<string, number>): [string, number] =>
    [...m].reduce<[string, number]>((best, entry) => (entry[1] > best[1] ? entry : best), ['', -Infinity]);
  const [peakStart, peakIntervalContacts] = max(intervalTotals);
  const [peakDate, peakDayContacts] = max(dayTotals);
  return {
    byChannel: PLANNING_CHANNELS.filter((c) => channelTotals.has(c)).map((channel) => {
      const [date, contacts] = max(channelDays.get(channel) ?? new Map());
      return {
        channel,
        contacts: channelTotals.get(channel) ?? 0,
        peakInterval: channelPeak.get(channel) ?? { start: '', contacts: 0 },
        peakDay: { date, contacts },
      };
    }),
    byWeek: [...weeks].map(([week, row]) => ({ week, ...row })).sort((a, b) => a.from.localeCompare(b.from)),
    peakInterval: { start: peakStart, contacts: Math.max(0, peakIntervalContacts) },
    peakDay: { date: peakDate, contacts: Math.max(0, peakDayContacts) },
  };
};
