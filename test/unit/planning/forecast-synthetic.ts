/**
 * Histories with a known answer for the forecast tests: every interval's contacts come from a formula of
 * its wall-clock time, with no noise, so what the forecast and the backtest must give can be worked out.
 */
import { DateTime } from 'luxon';
import type { PlanningChannel } from '#core/planning/types.js';

export interface SyntheticHistory {
  readonly from: string;
  readonly to: string;
  readonly zone?: string;
  readonly minutes?: 15 | 30;
  readonly channels?: readonly PlanningChannel[];
  /** Contacts of the interval starting at `start` (wall clock of the zone); undefined: closed, no row. */
  readonly contacts: (start: DateTime, channel: PlanningChannel) => number | undefined;
  readonly ahtSeconds?: (start: DateTime, channel: PlanningChannel) => number;
}

export const syntheticHistoryCsv = ({
  from,
  to,
  zone = 'Europe/Warsaw',
  minutes = 15,
  channels = ['voice'],
  contacts,
  ahtSeconds = () => 300,
}: SyntheticHistory): string => {
  const lines = ['intervalStart,channel,contacts,ahtSeconds'];
  const last = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day');
  for (let t = DateTime.fromISO(from, { zone }).startOf('day'); t < last; t = t.plus({ minutes })) {
    for (const channel of channels) {
      const n = contacts(t, channel);
      if (n === undefined) continue;
      lines.push(`${t.toISO({ suppressMilliseconds: true })},${channel},${n},${ahtSeconds(t, channel)}`);
    }
  }
  return `${lines.join('\n')}\n`;
};

/** Total contacts per local date and channel of forecast or history intervals (starts on the wall clock). */
export const dailyTotals = (
  intervals: readonly { readonly start: string; readonly channel: string; readonly contacts: number }[],
): Map<string, number> => {
  const totals = new Map<string, number>();
  for (const i of intervals) {
    const key = `${i.start.slice(0, 10)} ${i.channel}`;
    totals.set(key, (totals.get(key) ?? 0) + i.contacts);
  }
  return totals;
};
