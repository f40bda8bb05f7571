/**
 * The daily digest of seats ending tomorrow (DESIGN.md, part 5): once a day, at `alarms.seatDigestAt` in the
 * contact centre's time zone, ops are told which seasonal agents lose their access tomorrow, by seat type, so
 * that a contract to extend is extended before the agent finds the door shut. Nothing is sent on a day with
 * none: a message that says "nothing" every day teaches people to ignore the topic.
 *
 * "Tomorrow" is the contact centre's calendar day after today, whatever its length (23 or 25 hours on the
 * nights the clocks change). A seat ends on the day of its last moment of access: its end is exclusive, so a
 * contract "until 24 December" (which ends at midnight after it, 25 December 00:00) ends on the 24th.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../ports.js';
import type { OpsNotifier } from '../routing/store.js';
import { SEAT_TYPES, type Seat, type SeatStore, type SeatType } from './seat.js';

/** One seat as the digest lists it: who, and when the access ends. Usernames are for ops, who run the seats. */
export interface DigestSeat {
  readonly username: string;
  readonly type: SeatType;
  /** The contract's end (exclusive), ISO-8601 UTC. */
  readonly expiresAt: string;
  /** PENDING when the seat is still being provisioned (its agent may not even have a user yet). */
  readonly state: Seat['state'];
}

export interface SeatDigest {
  /** Tomorrow, in the time zone, as YYYY-MM-DD. */
  readonly day: string;
  readonly timeZone: string;
  /** Per seat type with any, in SEAT_TYPES order; each list by end, then username. */
  readonly byType: readonly { readonly type: SeatType; readonly seats: readonly DigestSeat[] }[];
  readonly total: number;
}

/** The calendar day (in `zone`) of the seat's last moment of access. */
const lastDay = (expiresAt: string, zone: string): string =>
  DateTime.fromMillis(Date.parse(expiresAt) - 1, { zone }).toISODate() ?? '';

/** The seats among `seats` whose contract ends tomorrow in `timeZone`, grouped by type. */
export const seatsEndingTomorrow = (seats: Iterable<Seat>, now: Date, timeZone: string): SeatDigest => {
  const tomorrow = DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }).toISODate();
  if (tomorrow === null) throw new RangeError(`${timeZone} is not a time zone luxon knows`);
  const ending = [...seats]
    .filter((seat) => seat.state !== 'REVOKED' && Date.parse(seat.expiresAt) > now.getTime())
    .filter((seat) => lastDay(seat.expiresAt, timeZone) === tomorrow)
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.username.localeCompare(b.username));
  const byType = SEAT_TYPES.flatMap((type) => {
    const ofType = ending.filter((seat) => seat.type === type);
    return ofType.length === 0
      ? []
      : [
          {
            type,
            seats: ofType.map(({ username, expiresAt, state }) => ({ username, type, expiresAt, state })),
          },
        ];
  });
  return { day: tomorrow, timeZone, byType, total: ending.length };
};

/** When the access ends, as ops read it in the centre's zone: at the end of the day, or at a time. */
const endsAt = (expiresAt: string, zone: string): string => {
  const end = DateTime.fromISO(expiresAt, { zone });
  return end.hour === 0 && end.minute === 0 ? 'at the end of the day' : `at ${end.toFormat('HH:mm')}`;
};

/** The ops topic's message, or undefined when no seat ends tomorrow (nothing is sent). */
export const digestMessage = (digest: SeatDigest): { subject: string; message: string } | undefined => {
  if (digest.total === 0) return undefined;
  const weekday = DateTime.fromISO(digest.day, { zone: digest.timeZone })
    .setLocale('en')
    .toFormat('cccc d LLLL yyyy');
  const seats = digest.total === 1 ? '1 seat ends' : `${digest.total} seats end`;
  return {
    subject: `peakline: ${seats} tomorrow (${digest.day})`,
    message: [
      `${digest.total === 1 ? '1 seasonal seat ends' : `${digest.total} seasonal seats end`} tomorrow, ${weekday} (${digest.timeZone}). Their agents lose access to Amazon Connect then, unless the contract is extended: peakline seats extend <username> --until <date>.`,
      ...digest.byType.flatMap(({ type, seats: list }) => [
        '',
        `${type} (${list.length}):`,
        ...list.map(
          (seat) =>
            `  ${seat.username}: access ends ${endsAt(seat.expiresAt, digest.timeZone)}${seat.state === 'PENDING' ? ' (still being provisioned)' : ''}`,
        ),
      ]),
    ].join('\n'),
  };
};

export interface SeatDigestDeps {
  readonly store: Pick<SeatStore, 'list'>;
  readonly ops: OpsNotifier;
  readonly clock: Clock;
}

export interface SeatDigestResult {
  readonly digest: SeatDigest;
  /** False when no seat ends tomorrow: nothing was sent. */
  readonly sent: boolean;
}

/** Reads the current seats, and tells ops of those ending tomorrow; a failed send throws (the run fails). */
export const sendSeatDigest = async (deps: SeatDigestDeps, timeZone: string): Promise<SeatDigestResult> => {
  const now = deps.clock.now();
  const digest = seatsEndingTomorrow(await deps.store.list(now), now, timeZone);
  const message = digestMessage(digest);
  if (message === undefined) return { digest, sent: false };
  await deps.ops.notify(message.subject, message.message);
  return { digest, sent: true };
};
