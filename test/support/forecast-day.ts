/**
 * A small forecast for the simulator's tests: a Friday (open 08:00-20:00 in Warsaw) of 15-minute intervals
 * from 10:00 to 14:00, with the same contacts in every interval. Only the channels given get rows, in the
 * order voice, chat, e-mail, so a test's random stream depends on nothing it did not ask for.
 */
import type { ForecastInterval } from '#core/planning/types.js';

const AHT_SECONDS = { voice: 180, chat: 300, email: 300 } as const;
type Channel = keyof typeof AHT_SECONDS;
const ORDER: readonly Channel[] = ['voice', 'chat', 'email'];

export const fridayMorning = (per15: Partial<Record<Channel, number>>): ForecastInterval[] =>
  Array.from({ length: 16 }, (_, q) => {
    const hh = String(10 + Math.floor(q / 4)).padStart(2, '0');
    const mm = String((q % 4) * 15).padStart(2, '0');
    const start = `2027-11-26T${hh}:${mm}:00+01:00`;
    return ORDER.filter((channel) => per15[channel] !== undefined).map((channel) => ({
      start,
      minutes: 15,
      channel,
      contacts: per15[channel] ?? 0,
      ahtSeconds: AHT_SECONDS[channel],
    }));
  }).flat();
