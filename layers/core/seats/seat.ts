/**
 * A seasonal seat: one Amazon Connect user for the length of a contract, and the rules every world
 * (Lambda, local stack, simulator, ops CLI) applies to it. Pure: times come in as arguments.
 */
import {
  SEAT_TYPE_SPECS,
  SEAT_TYPES,
  type SeatType,
  type SeatTypeSpec,
} from '#infra/constructs/connect/seat-types.js';

export { SEAT_TYPES, type SeatType };

/**
 * PENDING: written before CreateUser, so an import that crashes knows what it was doing. ACTIVE: the
 * Connect user exists. REVOKED: the user was deleted (or never got created); kept for the audit and
 * the seat-days report.
 */
export type SeatState = 'PENDING' | 'ACTIVE' | 'REVOKED';

/** Who took the access away: the minute sweeper, the TTL stream backstop, or an operator. */
export type RevokedBy = 'sweeper' | 'ttl-backstop' | 'ops';

/** A seat as ops describe it (one CSV row, one `seats add`), before anything exists in Connect. */
export interface NewSeat {
  /** The Connect username; also the seat's key. */
  readonly username: string;
  readonly type: SeatType;
  /** Chats handled at once, for chat seats; undefined for the others. */
  readonly tier?: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** When the contract starts, ISO-8601. */
  readonly validFrom: string;
  /** When the contract ends (exclusive), ISO-8601. Access is revoked within minutes of it. */
  readonly expiresAt: string;
}

export interface Seat extends NewSeat {
  /** The Connect user id, once CreateUser has answered. */
  readonly userId?: string;
  readonly state: SeatState;
  /** ISO-8601; set with `revokedBy` when the state becomes REVOKED. */
  readonly revokedAt?: string;
  readonly revokedBy?: RevokedBy;
  /**
   * For a REVOKED seat: false from the moment the revocation is recorded until `SeatRevoked` is on the bus
   * (write, announce, settle). An unannounced revocation is announced again by the next sweep, so the fact
   * is never lost however the announcing run ended.
   */
  readonly announced?: boolean;
}

export const isSeatType = (value: unknown): value is SeatType =>
  typeof value === 'string' && (SEAT_TYPES as readonly string[]).includes(value);

/** The number of chats a seat of this type handles at once; undefined for seats without chat. */
export const tierOf = (type: SeatType): number | undefined => {
  const spec: SeatTypeSpec = SEAT_TYPE_SPECS[type];
  return spec.concurrency.CHAT;
};

/** The seat an import or `seats add` writes before calling CreateUser. */
export const pendingSeat = (seat: NewSeat): Seat => ({ ...seat, tier: tierOf(seat.type), state: 'PENDING' });

/** True from the contract's end on, whatever the state; TTL deletes the item only hours later. */
export const isExpiredAt = (seat: Pick<Seat, 'expiresAt'>, now: Date): boolean =>
  Date.parse(seat.expiresAt) <= now.getTime();

/**
 * True while the seat gives its agent access: the Connect user exists and the contract has not ended.
 * An expired seat counts as gone even before the sweeper or TTL has removed it. `validFrom` is not
 * checked: Connect cannot hold a user back until a date, so a user exists (and can log in) from the
 * moment it is provisioned.
 */
export const isActiveAt = (seat: Seat, now: Date): boolean =>
  seat.state === 'ACTIVE' && !isExpiredAt(seat, now);

/**
 * What a seat is at `now`, as ops read it: PENDING (being provisioned), ACTIVE, ENDED (the contract is over
 * and the sweeper will revoke it within minutes; it already counts as gone), REVOKED.
 */
export type SeatStatus = SeatState | 'ENDED';

export const seatStatusAt = (seat: Seat, now: Date): SeatStatus =>
  seat.state !== 'REVOKED' && isExpiredAt(seat, now) ? 'ENDED' : seat.state;

/** A seat as `peakline seats list --json` and the local stack's `/api/seats` show it: the same fields in both. */
export const seatView = (seat: Seat, now: Date) => ({
  username: seat.username,
  type: seat.type,
  ...(seat.tier === undefined ? {} : { tier: seat.tier }),
  state: seatStatusAt(seat, now),
  validFrom: seat.validFrom,
  validUntil: seat.expiresAt,
  ...(seat.userId === undefined ? {} : { userId: seat.userId }),
  ...(seat.revokedAt === undefined ? {} : { revokedAt: seat.revokedAt, revokedBy: seat.revokedBy }),
});

const DAY_MS = 86_400_000;

/** When the seat stopped costing: the contract's end, or an earlier revocation. */
const endOfUse = (seat: Seat): number => {
  const contractEnd = Date.parse(seat.expiresAt);
  return seat.revokedAt === undefined ? contractEnd : Math.min(contractEnd, Date.parse(seat.revokedAt));
};

/**
 * Seat-days used per seat type in [from, to): the season's cost. A seat counts from
 * max(validFrom, from) to min(contract end or revocation, to); a part of a day counts as that fraction
 * of 24 hours (a day is elapsed time, so the night the clocks change is no different). PENDING seats
 * never had a Connect user as far as peakline knows, so they cost nothing. Each type's total is rounded
 * to 2 decimals, once, after summing, so that hundreds of seats do not accumulate rounding error.
 */
export const seatDays = (seats: Iterable<Seat>, from: Date, to: Date): Record<SeatType, number> => {
  if (!(to.getTime() > from.getTime())) {
    throw new RangeError(
      `The report period must end after it starts: from ${from.toISOString()} to ${to.toISOString()}.`,
    );
  }
  const totals = Object.fromEntries(SEAT_TYPES.map((type) => [type, 0])) as Record<SeatType, number>;
  for (const seat of seats) {
    if (seat.state === 'PENDING') continue;
    const start = Math.max(Date.parse(seat.validFrom), from.getTime());
    const end = Math.min(endOfUse(seat), to.getTime());
    if (end > start) totals[seat.type] += (end - start) / DAY_MS;
  }
  for (const type of SEAT_TYPES) totals[type] = Math.round(totals[type] * 100) / 100;
  return totals;
};

export type Promotion =
  | { readonly ok: true; readonly type: SeatType; readonly tier: number }
  | { readonly ok: false; readonly reason: string };

/**
 * The next chat tier for an agent who copes with more parallel chats (chat-2 -> chat-4 -> chat-6), or
 * why there is none. With `now`, a seat whose contract has ended cannot be promoted either.
 */
export const promote = (seat: Seat, now?: Date): Promotion => {
  const who = seat.username;
  if (seat.state === 'REVOKED') {
    return {
      ok: false,
      reason: `${who}'s seat was revoked${seat.revokedAt ? ` at ${seat.revokedAt}` : ''}.`,
    };
  }
  if (now !== undefined && isExpiredAt(seat, now)) {
    return { ok: false, reason: `${who}'s seat ended at ${seat.expiresAt}; extend it first.` };
  }
  if (seat.state === 'PENDING' || seat.userId === undefined) {
    // Promotion changes the Connect user's routing profile, and there is no user yet to change.
    return {
      ok: false,
      reason: `${who} has no Connect user yet (the seat is still being provisioned); finish the import first.`,
    };
  }
  const spec: SeatTypeSpec = SEAT_TYPE_SPECS[seat.type];
  if (spec.promotesTo === undefined) {
    const promotable = SEAT_TYPES.filter((type) => 'promotesTo' in SEAT_TYPE_SPECS[type]);
    const tier = tierOf(seat.type);
    return {
      ok: false,
      reason:
        tier === undefined
          ? `${who} has a ${seat.type} seat; only chat seats (${promotable.join(', ')}) can be promoted.`
          : `${who} already handles ${tier} chats at once (${seat.type}), the highest tier.`,
    };
  }
  const next = spec.promotesTo;
  const tier = tierOf(next);
  if (tier === undefined) throw new Error(`Seat type ${next} is promoted to but has no chat concurrency.`);
  return { ok: true, type: next, tier };
};

export interface SeatReadOptions {
  /** Also revoked seats, which are kept for the audit and the seat-days report until their retention ends. */
  readonly includeRevoked?: boolean;
  /**
   * Also seats whose contract has ended but which nobody has revoked yet (the sweeper runs every few
   * minutes). Only the seat-days report wants them: their days were used all the same.
   */
  readonly includeExpired?: boolean;
}

/**
 * Where seats are kept: DynamoDB on AWS and in the local stack, memory in `simulate`. Every method that
 * changes a seat answers the seat as it now is, or undefined when there was no seat it could change, so
 * a sweeper and the TTL backstop racing for the same seat emit one `SeatRevoked` between them.
 */
export interface SeatStore {
  /**
   * Stores a new seat. 'exists' when a seat that is not revoked already holds the username (even one past
   * its end that the sweeper has not revoked yet: its Connect user still exists). A revoked seat under
   * the username is kept for the report and replaced.
   */
  put(seat: Seat): Promise<'created' | 'exists'>;
  /** Records the Connect user created for a PENDING seat. */
  markActive(username: string, userId: string): Promise<Seat | undefined>;
  /** The seat, unless it has ended (or, without `includeRevoked`, was revoked). */
  get(username: string, now: Date, options?: SeatReadOptions): Promise<Seat | undefined>;
  /** All seats in username order, under the same rules as `get`. */
  list(now: Date, options?: SeatReadOptions): Promise<Seat[]>;
  /** Seats that still hold (or may hold) a Connect user and have ended by `now`, oldest end first. */
  dueForRevocation(now: Date, limit: number): Promise<Seat[]>;
  /** Moves the end of a seat that has not ended yet; undefined once it has (a new seat is needed then). */
  extend(username: string, newExpiresAt: Date, now: Date): Promise<Seat | undefined>;
  /** Changes the seat's type (and chat tier), as a promotion does. */
  changeType(username: string, type: SeatType): Promise<Seat | undefined>;
  /**
   * Marks the seat revoked and not yet announced (`announced: false`); undefined when it already was, or
   * is gone.
   */
  markRevoked(username: string, by: RevokedBy, now: Date): Promise<Seat | undefined>;
  /**
   * Records, not yet announced, the revocation of a seat whose item is already gone (the TTL deleted it and
   * the stream backstop revoked its user); undefined when this revocation was already recorded.
   */
  recordRevoked(seat: Seat, by: RevokedBy, now: Date): Promise<Seat | undefined>;
  /** Revocations whose `SeatRevoked` is not known to be on the bus, oldest first, at most `limit`. */
  unannouncedRevocations(limit: number): Promise<Seat[]>;
  /**
   * Records that this revocation's `SeatRevoked` is on the bus: true when it was still unannounced, false
   * when someone settled it first (or the record is gone).
   */
  settleAnnouncement(seat: Seat): Promise<boolean>;
}
