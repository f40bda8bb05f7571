/**
 * Writes examples/last-season.csv: a made-up but realistic peak season of a mid-size Polish online shop's
 * contact centre, 1 October to 31 December 2026, 15-minute intervals, Europe/Warsaw. Seeded, so the file
 * can be made again byte for byte: `npx tsx examples/generate-history.ts [seed]`.
 *
 * What is in it: voice and chat during opening hours (8:00-20:00 on weekdays, 9:00-17:00 on Saturdays,
 * 10:00-16:00 on Sundays), e-mail and tasks round the clock; Monday the busiest weekday; a morning peak
 * around 10:00 and an early-afternoon one around 13:30; a slow rise through November; Black Friday
 * (27 November, about 3x), its weekend, Cyber Monday (30 November, about 2.5x), the free-delivery day
 * (8 December), the run-up to the last shipping day (18 December); a quiet Christmas (voice and chat
 * closed on the 25th and 26th, and on the holidays of 1 and 11 November). Counts are Poisson draws around
 * the expected curve; AHT drifts a little over the season and is noisier in quiet intervals. Intervals
 * with no contacts are left out, as many exports do: the forecast reads them as zero.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { Random } from '#simulator/connect/random.js';
import type { PlanningChannel } from '#core/planning/types.js';

const ZONE = 'Europe/Warsaw';
const FIRST = '2026-10-01';
const LAST = '2026-12-31';
const OUT = fileURLToPath(new URL('./last-season.csv', import.meta.url));

/** Contacts on an ordinary Wednesday in October, and the AHT, per channel. */
const CHANNELS: Record<PlanningChannel, { daily: number; aht: number; roundTheClock: boolean }> = {
  voice: { daily: 1750, aht: 300, roundTheClock: false },
  chat: { daily: 880, aht: 600, roundTheClock: false },
  email: { daily: 560, aht: 420, roundTheClock: true },
  task: { daily: 140, aht: 480, roundTheClock: true },
};

/** Luxon weekday (Monday 1) to volume. */
const WEEKDAY = [0, 1.22, 1.06, 1.0, 0.97, 0.92, 0.5, 0.36];

/** Opening hours [from, to) in hours on the wall clock, by luxon weekday. */
const HOURS: Record<number, [number, number]> = { 6: [9, 17], 7: [10, 16] };
const WEEKDAY_HOURS: [number, number] = [8, 20];

/** Special days: a volume factor, and opening hours for voice and chat (null: closed). */
const SPECIAL: Record<string, { factor: number; hours?: [number, number] | null }> = {
  '2026-11-01': { factor: 0.5, hours: null },
  '2026-11-11': { factor: 0.5, hours: null },
  '2026-11-27': { factor: 3.0 },
  '2026-11-28': { factor: 1.6 },
  '2026-11-29': { factor: 1.5 },
  '2026-11-30': { factor: 2.5 },
  '2026-12-08': { factor: 1.8 },
  '2026-12-15': { factor: 1.3 },
  '2026-12-16': { factor: 1.4 },
  '2026-12-17': { factor: 1.6 },
  '2026-12-18': { factor: 1.8 },
  '2026-12-24': { factor: 0.3, hours: [8, 13] },
  '2026-12-25': { factor: 0.25, hours: null },
  '2026-12-26': { factor: 0.3, hours: null },
  '2026-12-28': { factor: 1.15 },
  '2026-12-29': { factor: 1.1 },
  '2026-12-31': { factor: 0.5, hours: [8, 14] },
};

/** The season's level: flat in October, rising through November, holding in December until Christmas. */
const trend = (date: DateTime): number => {
  const november = DateTime.fromISO('2026-11-01', { zone: ZONE });
  const days = date.diff(november, 'days').days;
  return 1 + 0.25 * Math.min(1, Math.max(0, days / 30));
};

const bump = (hour: number, centre: number, width: number): number =>
  Math.exp(-0.5 * ((hour - centre) / width) ** 2);

/** Relative arrivals at a wall-clock hour (fractional): the morning and early-afternoon peaks. */
const intraday = (hour: number, roundTheClock: boolean): number => {
  const day = 0.35 + bump(hour, 10, 1.3) + 0.85 * bump(hour, 13.5, 1.6) + 0.3 * bump(hour, 18, 1.5);
  if (!roundTheClock) return day;
  // Mail and tasks keep arriving at night, at a trickle.
  return 0.08 + day * (1 / (1 + Math.exp(-(hour - 7) * 2))) * (1 / (1 + Math.exp((hour - 22.5) * 2)));
};

const poisson = (random: Random, mean: number): number => {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let n = 0;
  for (let p = random.next(); p > limit; p *= random.next()) n += 1;
  return n;
};

export const generateHistory = (seed: number): string => {
  const random = new Random(seed);
  const lines = ['intervalStart,channel,contacts,ahtSeconds'];
  for (
    let day = DateTime.fromISO(FIRST, { zone: ZONE });
    (day.toISODate() ?? LAST) <= LAST;
    day = day.plus({ days: 1 })
  ) {
    const date = day.toISODate() ?? '';
    const special = SPECIAL[date];
    const hours = special?.hours === undefined ? (HOURS[day.weekday] ?? WEEKDAY_HOURS) : special.hours;
    const level = WEEKDAY[day.weekday] ?? 1;
    const factor = (special?.factor ?? 1) * trend(day);
    // Busy days bring longer calls (more "where is my parcel" escalations), a gentle drift over the season.
    const ahtDrift = 1 + 0.04 * Math.sin((day.ordinal / 92) * Math.PI) + 0.03 * Math.min(1, factor - 1);
    for (const [channel, spec] of Object.entries(CHANNELS) as [
      PlanningChannel,
      (typeof CHANNELS)[PlanningChannel],
    ][]) {
      const open = (hour: number) =>
        spec.roundTheClock || (hours !== null && hour >= hours[0] && hour < hours[1]);
      // Normalise the shape over the open hours, so the day's expected total is the channel's daily volume.
      let shapeSum = 0;
      for (let q = 0; q < 96; q++) if (open(q / 4)) shapeSum += intraday(q / 4 + 0.125, spec.roundTheClock);
      if (shapeSum === 0) continue;
      const dayMean = spec.daily * level * factor;
      const end = day.plus({ days: 1 }).startOf('day');
      for (let t = day.startOf('day'); t < end; t = t.plus({ minutes: 15 })) {
        const hour = t.hour + t.minute / 60;
        if (!open(hour)) continue;
        const contacts = poisson(random, (dayMean * intraday(hour + 0.125, spec.roundTheClock)) / shapeSum);
        if (contacts === 0) continue;
        const aht = spec.aht * ahtDrift * (1 + (0.35 * random.normal()) / Math.sqrt(contacts));
        lines.push(
          `${t.toISO({ suppressMilliseconds: true })},${channel},${contacts},${Math.max(30, aht).toFixed(1)}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const seed = Number(process.argv[2] ?? 20261127);
  writeFileSync(OUT, generateHistory(seed));
  process.stdout.write(`wrote ${OUT}\n`);
}
